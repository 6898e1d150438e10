package io.publicdata.nifi.classify;

import java.util.Arrays;

/**
 * One pass over a text that records what the detectors need: the maximal runs of ASCII digits and of
 * ASCII letters-and-digits, and a few counts. Detectors validate candidates straight from these runs,
 * and skip texts whose shape cannot hold their identifiers (most values hold none). Not thread-safe: one
 * thread may {@link #reset} an instance for value after value to spare allocations.
 */
public final class TextShape {

    private static final String PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    private static final int[] NONE = new int[0];

    private String text;
    private int digits;
    private int dots;
    private int colons;
    private boolean at;
    private boolean plateStart;
    private int[] digitRuns = NONE;
    private int digitRunCount;
    private int[] wordRuns = NONE;
    private int wordRunCount;
    private int longestDigitRun;
    private int longestDigitGroup;
    private int groupDigits;
    private long wordLengths;

    public static TextShape of(final String text) {
        return new TextShape().reset(text);
    }

    /** Makes this the shape of another text, reusing its storage. */
    public TextShape reset(final String text) {
        this.text = text;
        digits = 0;
        dots = 0;
        colons = 0;
        at = false;
        plateStart = false;
        digitRunCount = 0;
        wordRunCount = 0;
        longestDigitRun = 0;
        longestDigitGroup = 0;
        groupDigits = 0;
        wordLengths = 0;
        scan();
        return this;
    }

    private void scan() {
        final int length = text.length();
        int digitStart = -1;
        int wordStart = -1;
        for (int i = 0; i <= length; i++) {
            final char c = i < length ? text.charAt(i) : '\0';
            final boolean digit = c >= '0' && c <= '9';
            final boolean word = digit || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (digit) {
                digits++;
                if (digitStart < 0) {
                    digitStart = i;
                }
            } else if (digitStart >= 0) {
                endDigitRun(digitStart, i);
                digitStart = -1;
            }
            if (word) {
                if (wordStart < 0) {
                    wordStart = i;
                }
            } else if (wordStart >= 0) {
                wordRuns = add(wordRuns, wordRunCount++, wordStart, i);
                wordLengths |= 1L << Math.min(i - wordStart, 63);
                wordStart = -1;
            }
            if (!word && i < length) {
                switch (c) {
                    case '.' -> dots++;
                    case ':' -> colons++;
                    case '@' -> at = true;
                    default -> {
                        if (c >= '\u4e00' && i + 1 < length && text.charAt(i + 1) >= 'A' && text.charAt(i + 1) <= 'Z'
                                && PROVINCES.indexOf(c) >= 0) {
                            plateStart = true;
                        }
                    }
                }
            }
        }
    }

    private void endDigitRun(final int start, final int end) {
        final int length = end - start;
        // A run continues the previous group when a single space or dash separates them: 138 0013 8000
        final boolean joined = digitRunCount > 0 && start - digitRunEnd(digitRunCount - 1) == 1
                && (text.charAt(start - 1) == ' ' || text.charAt(start - 1) == '-');
        groupDigits = joined ? groupDigits + length : length;
        longestDigitGroup = Math.max(longestDigitGroup, groupDigits);
        longestDigitRun = Math.max(longestDigitRun, length);
        digitRuns = add(digitRuns, digitRunCount++, start, end);
    }

    private static int[] add(final int[] runs, final int index, final int start, final int end) {
        final int[] target = runs.length > index * 2 + 1 ? runs : Arrays.copyOf(runs, Math.max(8, runs.length * 2));
        target[index * 2] = start;
        target[index * 2 + 1] = end;
        return target;
    }

    public String text() {
        return text;
    }

    /** Number of ASCII digits. */
    public int digits() {
        return digits;
    }

    public int dots() {
        return dots;
    }

    public int colons() {
        return colons;
    }

    public boolean hasAt() {
        return at;
    }

    /** Length of the longest run of digits. */
    public int longestDigitRun() {
        return longestDigitRun;
    }

    /** Most digits in runs joined by single spaces or dashes, as in 6222 0202 0000 1234 567. */
    public int longestDigitGroup() {
        return longestDigitGroup;
    }

    /** Whether some word (maximal run of ASCII letters and digits) is exactly this long (at most 62). */
    public boolean hasWordOfLength(final int length) {
        return (wordLengths & (1L << length)) != 0;
    }

    /**
     * Whether any built-in detector could find something here: the union of their
     * {@link Detector#mayOccurIn} tests, checked once so that plain values skip every detector.
     */
    public boolean mayHoldIdentifier() {
        return longestDigitGroup >= 11 || wordLengths != 0 && (hasWordOfLength(9) || hasWordOfLength(18))
                || at || (plateStart && digits >= 3) || (dots >= 3 && digits >= 4) || colons >= 2;
    }

    /** Whether a province abbreviation is followed by a capital letter, as at the start of a vehicle plate. */
    public boolean hasPlateStart() {
        return plateStart;
    }

    /** Number of maximal runs of ASCII digits. */
    public int digitRunCount() {
        return digitRunCount;
    }

    public int digitRunStart(final int run) {
        return digitRuns[run * 2];
    }

    public int digitRunEnd(final int run) {
        return digitRuns[run * 2 + 1];
    }

    /** Number of maximal runs of ASCII letters and digits ("words"). */
    public int wordRunCount() {
        return wordRunCount;
    }

    public int wordRunStart(final int run) {
        return wordRuns[run * 2];
    }

    public int wordRunEnd(final int run) {
        return wordRuns[run * 2 + 1];
    }

    /** Whether the character at the index exists and is an ASCII letter or digit. */
    public boolean isWordCharAt(final int index) {
        if (index < 0 || index >= text.length()) {
            return false;
        }
        final char c = text.charAt(index);
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
