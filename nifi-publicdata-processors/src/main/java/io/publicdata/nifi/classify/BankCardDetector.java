package io.publicdata.nifi.classify;

/**
 * Bank card numbers (银行卡号): 16 to 19 digits, whole, grouped by four or as 6 + the rest, with a card-scheme prefix
 * (see {@link #isIssuerPrefix}) and a valid Luhn check digit.
 * An 18-digit run that is a valid resident ID is left to {@link ResidentIdDetector}.
 */
final class BankCardDetector extends GroupedDigitsDetector {

    BankCardDetector() {
        super(Labels.BANK_CARD, 2);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.longestDigitGroup() >= 16;
    }

    @Override
    boolean accepts(final TextShape shape, final int firstRun, final int lastRun) {
        final int count = digitCount(shape, firstRun, lastRun);
        if (count < 16 || count > 19 || "2345689".indexOf(shape.text().charAt(shape.digitRunStart(firstRun))) < 0
                || !standardGroups(shape, firstRun, lastRun)) {
            return false;
        }
        final String digits = digits(shape, firstRun, lastRun);
        return isIssuerPrefix(digits) && luhn(digits) && !(count == 18 && ResidentIdDetector.isValidId(digits));
    }

    /** Whether the groups are the ones cards are written in: none, four by four, or the six-digit issuer number and the rest. */
    private static boolean standardGroups(final TextShape shape, final int firstRun, final int lastRun) {
        if (firstRun == lastRun) {
            return true;
        }
        final int first = shape.digitRunEnd(firstRun) - shape.digitRunStart(firstRun);
        if (first == 6) {
            return lastRun == firstRun + 1;
        }
        for (int run = firstRun; run < lastRun; run++) {
            if (shape.digitRunEnd(run) - shape.digitRunStart(run) != 4) {
                return false;
            }
        }
        return lastRun - firstRun >= 3;
    }

    /**
     * Whether the number starts as cards of a scheme issued in China do: UnionPay 62 and 81, Visa 4, Mastercard 51-55 and
     * 2221-2720, JCB 3528-3589, and the domestic 9 (e.g. 95, 96, 99). A date-led order number (2024...) is none of these.
     */
    static boolean isIssuerPrefix(final String digits) {
        final int two = (digits.charAt(0) - '0') * 10 + digits.charAt(1) - '0';
        final int four = two * 100 + (digits.charAt(2) - '0') * 10 + digits.charAt(3) - '0';
        return switch (digits.charAt(0)) {
            case '4', '9' -> true;
            case '5' -> two >= 51 && two <= 55;
            case '6' -> two == 62 || two == 60 || two == 65;
            case '8' -> two == 81;
            case '2' -> four >= 2221 && four <= 2720;
            case '3' -> four >= 3528 && four <= 3589;
            default -> false;
        };
    }

    /** The Luhn (mod 10) check over all digits, the last being the check digit. */
    static boolean luhn(final String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
