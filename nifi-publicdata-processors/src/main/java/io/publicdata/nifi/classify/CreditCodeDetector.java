package io.publicdata.nifi.classify;

/**
 * Unified social credit codes of organisations (统一社会信用代码, GB 32100-2015): a word of exactly 18
 * characters from a 31-character alphabet without I, O, S, V and Z: a registration authority code
 * (1-9, A, N or Y), an organisation type, a six-digit administrative region, a nine-character
 * organisation code and a MOD 31 check character.
 */
final class CreditCodeDetector extends BaseDetector {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final String AUTHORITIES = "123456789ANY";
    /** By authority (in the order of {@link #AUTHORITIES}): the organisation types it registers, GB 32100-2015 table 1. */
    private static final String[] TYPES = {"1239", "19", "123459", "19", "1239", "129", "1239", "19", "123", "19", "1239", "1"};
    /** By the first two digits of the region: whether they are a province (or 10, the state's own registrations). */
    private static final boolean[] REGIONS = new boolean[100];

    static {
        for (final int province : new int[] {10, 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
            50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}) {
            REGIONS[province] = true;
        }
    }
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    /** Value of each ASCII character in the alphabet, or -1. */
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    CreditCodeDetector() {
        super(Labels.CREDIT_CODE, 1);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.hasWordOfLength(18);
    }

    @Override
    public void find(final TextShape shape, final SpanSink sink) {
        final String text = shape.text();
        for (int run = 0; run < shape.wordRunCount(); run++) {
            final int start = shape.wordRunStart(run);
            final int end = shape.wordRunEnd(run);
            if (end - start == 18 && isValidCode(text, start)) {
                sink.accept(start, end);
            }
        }
    }

    private static boolean isRegion(final char first, final char second) {
        return first >= '0' && first <= '9' && second >= '0' && second <= '9' && REGIONS[(first - '0') * 10 + second - '0'];
    }

    private static boolean isValidCode(final String text, final int start) {
        final char authority = Character.toUpperCase(text.charAt(start));
        final int types = AUTHORITIES.indexOf(authority) < 0 ? -1 : AUTHORITIES.indexOf(authority);
        // The organisation type must be one the registration authority issues, and the region must start with a province
        if (types < 0 || TYPES[types].indexOf(Character.toUpperCase(text.charAt(start + 1))) < 0
                || !isRegion(text.charAt(start + 2), text.charAt(start + 3))) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            final char c = text.charAt(start + i);
            final int value = c < 128 ? VALUES[Character.toUpperCase(c)] : -1;
            if (value < 0 || (i >= 2 && i < 8 && value > 9)) {
                return false;
            }
            sum += value * WEIGHTS[i];
        }
        return Character.toUpperCase(text.charAt(start + 17)) == ALPHABET.charAt((31 - sum % 31) % 31);
    }
}
