package io.publicdata.nifi.classify;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Chinese resident identity card numbers (居民身份证号码, GB 11643-1999): the 18-character form with its
 * ISO 7064 MOD 11-2 check character ({@code X} or {@code x} for ten), and the older 15-digit form.
 * Both must start with a province code and carry a real date of birth. Written whole or in the groups people use:
 * region, birth date, sequence and check ({@code 110101 19900307 7774}, {@code 110101-1990-0307-7774}), or in fours or threes
 * as cards and long numbers are ({@code 1101 0119 9003 0777 74}); an ID that went through floating point (a spreadsheet,
 * JavaScript) and lost its last digits to zeros still counts by its region and birth date; a candidate
 * ends at a run boundary, or at the check character, and is not followed by a letter or digit.
 */
final class ResidentIdDetector extends GroupedDigitsDetector {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    ResidentIdDetector() {
        super(Labels.PERSONAL_ID, 2);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.longestDigitGroup() >= 15;
    }

    @Override
    boolean accepts(final TextShape shape, final int firstRun, final int lastRun) {
        final int count = digitCount(shape, firstRun, lastRun);
        final String text = shape.text();
        final int end = shape.digitRunEnd(lastRun);
        // The check character ten: X, typed x, or the multiplication sign × a Chinese input method offers for it
        final boolean checkX = count == 17 && end < text.length() && (text.charAt(end) == 'X' || text.charAt(end) == 'x' || text.charAt(end) == '\u00d7');
        // A digit after it makes it part of a longer number; a letter only when the ID has no check character to prove it
        final int after = checkX ? end + 1 : end;
        if (count != 18 && count != 15 && !checkX || (count == 15 ? shape.isWordCharAt(after) : isDigitAt(text, after))) {
            return false;
        }
        // Groups: region (6) | birth date (8, or 4 + 4) | sequence and check, or fours (as cards are written) or threes; the
        // 15-digit form, which has no check character: only region | date (6) | sequence
        if (count == 15 ? !separatorsAt(shape, firstRun, lastRun, 6, 12) : !separatorsAt(shape, firstRun, lastRun, 6, 10, 14, 17)
                && !separatorsAt(shape, firstRun, lastRun, 4, 8, 12, 16) && !separatorsAt(shape, firstRun, lastRun, 3, 6, 9, 12, 15)) {
            return false;
        }
        final String digits = digits(shape, firstRun, lastRun);
        return isValidId(checkX ? digits + 'X' : digits) || firstRun == lastRun && wentThroughFloatingPoint(digits) && hasIdStructure(digits);
    }

    /** 2^53: above it a double no longer holds every integer, and an ID stored as one loses its last digits. */
    private static final long EXACT_IN_DOUBLE = 1L << 53;

    /**
     * Whether 18 digits are what is left of a number stored as floating point: a spreadsheet keeps 15 significant digits
     * ({@code 110105199003071000}), JavaScript and most JSON libraries 17 ({@code 110105199003071230} for
     * {@code 110105199003071239}). The number ends in zeros and is exactly the shortest decimal of its nearest double. Its
     * check character no longer holds, but region, birth date and most of the sequence still single a person out.
     */
    static boolean wentThroughFloatingPoint(final String digits) {
        if (digits.length() != 18 || digits.charAt(17) != '0') {
            return false;
        }
        final long value = Long.parseLong(digits);
        if (value <= EXACT_IN_DOUBLE) {
            return false;
        }
        final java.math.BigDecimal shortest = new java.math.BigDecimal(Double.toString((double) value));
        return shortest.compareTo(java.math.BigDecimal.valueOf(value)) == 0;
    }

    /**
     * An 18-character ID proves itself with its check character, region and date of birth, so it counts glued into a long
     * token too ({@code IDCARD110105199003071239NAMEZHANGSAN}, a fixed-width record): a hex digest or Base64 key holds a
     * run of exactly 18 digits that passes all three about once in a million.
     */
    @Override
    boolean countsInsideLongTokens(final TextShape shape, final int firstRun, final int lastRun) {
        return digitCount(shape, firstRun, lastRun) != 15;
    }

    private static boolean isDigitAt(final String text, final int index) {
        return index < text.length() && text.charAt(index) >= '0' && text.charAt(index) <= '9';
    }

    @Override
    int spanEnd(final TextShape shape, final int firstRun, final int lastRun) {
        final int end = shape.digitRunEnd(lastRun);
        return digitCount(shape, firstRun, lastRun) == 17 ? end + 1 : end;
    }

    /** Whether 18 digits start as a resident ID does: a province code and a real date of birth (the check not looked at). */
    static boolean hasIdStructure(final String digits) {
        return digits.length() == 18 && isProvince(digits) && isBirthDate(number(digits, 6, 10), number(digits, 10, 12), number(digits, 12, 14));
    }

    static boolean isValidId(final String id) {
        if (id.length() == 18) {
            return isProvince(id) && isBirthDate(number(id, 6, 10), number(id, 10, 12), number(id, 12, 14))
                    && Character.toUpperCase(id.charAt(17)) == checkCharacter(id);
        }
        return id.length() == 15 && isProvince(id) && isBirthDate(1900 + number(id, 6, 8), number(id, 8, 10), number(id, 10, 12));
    }

    private static int number(final String digits, final int from, final int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + digits.charAt(i) - '0';
        }
        return value;
    }

    /** The GB 11643 check character for the first 17 digits. */
    static char checkCharacter(final CharSequence id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    private static boolean isProvince(final String id) {
        final int province = (id.charAt(0) - '0') * 10 + (id.charAt(1) - '0');
        return (province >= 11 && province <= 15) || (province >= 21 && province <= 23)
                || (province >= 31 && province <= 37) || (province >= 41 && province <= 46)
                || (province >= 50 && province <= 54) || (province >= 61 && province <= 65)
                || province == 71 || province == 81 || province == 82 || province == 83;
    }

    private static boolean isBirthDate(final int year, final int month, final int day) {
        // Every month has 28 days: only a later day needs the month's length
        if (year < 1880 || month < 1 || month > 12 || day < 1 || day > 28 && day > Month.of(month).length(Year.isLeap(year))) {
            return false;
        }
        // Not born in the future; days since the epoch in UTC are close enough and far cheaper than the local date. A year
        // before 1970 + days / 366 (never after the current year) is past for certain: only recent dates need the exact check
        final long today = System.currentTimeMillis() / 86_400_000L + 1;
        return year < 1970 + today / 366 || LocalDate.of(year, month, day).toEpochDay() <= today;
    }
}
