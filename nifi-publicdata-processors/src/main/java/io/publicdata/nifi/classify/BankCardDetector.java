package io.publicdata.nifi.classify;

/**
 * Bank card numbers (银行卡号): 16 to 19 digits, whole or grouped by four, with a card-scheme prefix
 * (UnionPay 62, Visa 4, Mastercard 5 and 2, JCB 3, domestic 9) and a valid Luhn check digit.
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
        if (count < 16 || count > 19 || "234569".indexOf(shape.text().charAt(shape.digitRunStart(firstRun))) < 0
                || !separatorsAt(shape, firstRun, lastRun, 4, 8, 12, 16)) {
            return false;
        }
        final String digits = digits(shape, firstRun, lastRun);
        return luhn(digits) && !(count == 18 && ResidentIdDetector.isValidId(digits));
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
