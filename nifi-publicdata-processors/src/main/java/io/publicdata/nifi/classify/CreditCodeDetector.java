package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unified social credit codes of organisations (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet without I, O, S, V and Z, a registration authority code, a six-digit
 * administrative region, and a MOD 31 check character.
 */
final class CreditCodeDetector extends PatternDetector {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final String CHAR = "[0-9A-HJ-NPQRTUWXY]";
    private static final Pattern CANDIDATES = Pattern.compile(
            "(?<![0-9A-Za-z])[1-9ANY]" + CHAR + "[0-9]{6}" + CHAR + "{10}(?![0-9A-Za-z])");
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    CreditCodeDetector() {
        super(Labels.CREDIT_CODE, 1, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.digits() >= 6;
    }

    @Override
    boolean isValid(final Matcher candidate) {
        final String code = candidate.group();
        return code.charAt(17) == checkCharacter(code);
    }

    /** The GB 32100 check character for the first 17 characters. */
    static char checkCharacter(final CharSequence code) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(code.charAt(i)) * WEIGHTS[i];
        }
        return ALPHABET.charAt((31 - sum % 31) % 31);
    }
}
