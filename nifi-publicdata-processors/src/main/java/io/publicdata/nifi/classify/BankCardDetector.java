package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bank card numbers (银行卡号): 16 to 19 digits, optionally grouped by four, with a card-scheme prefix
 * (UnionPay 62, Visa 4, Mastercard 5 and 2, JCB/AmEx 3, domestic 9) and a valid Luhn check digit.
 * A run that is a valid resident ID is left to {@link ResidentIdDetector}.
 */
final class BankCardDetector extends PatternDetector {

    private static final Pattern CANDIDATES = Pattern.compile(
            "(?<![0-9])[2-69][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])");

    BankCardDetector() {
        super(Labels.BANK_CARD, 2, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.digits() >= 16;
    }

    @Override
    boolean isValid(final Matcher candidate) {
        final String digits = compact(candidate.group());
        return digits.length() >= 16 && digits.length() <= 19 && luhn(digits)
                && !(digits.length() == 18 && ResidentIdDetector.isValidId(digits));
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
