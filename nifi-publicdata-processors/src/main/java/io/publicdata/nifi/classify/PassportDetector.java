package io.publicdata.nifi.classify;

/**
 * Passport numbers of the People's Republic of China (护照号码) in the formats the issuing authorities
 * use: ordinary passports {@code E} + 8 digits, {@code E} + letter + 7 digits (letters I and O are
 * never used) and the older {@code G} + 8 digits; diplomatic, service and public-affairs passports
 * {@code DE}, {@code SE}, {@code PE} + 7 digits. Passport numbers carry no check digit, so the
 * validation is the format of a whole nine-character word: prefix, alphabet and digits, and a serial
 * that is not all zeros. The prefix may be typed in lower case ({@code e12345678}), as people fill in forms.
 */
final class PassportDetector extends BaseDetector {

    PassportDetector() {
        super(Labels.PASSPORT, 2);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.hasWordOfLength(9);
    }

    @Override
    public void find(final TextShape shape, final SpanSink sink) {
        final String text = shape.text();
        for (int run = 0; run < shape.wordRunCount(); run++) {
            final int start = shape.wordRunStart(run);
            if (shape.wordRunEnd(run) - start == 9 && isValidPassport(text, start)) {
                sink.accept(start, start + 9);
            }
        }
    }

    private static boolean isValidPassport(final String text, final int start) {
        final char first = Character.toUpperCase(text.charAt(start));
        final char second = Character.toUpperCase(text.charAt(start + 1));
        final int serialStart;
        if ((first == 'E' || first == 'G') && isDigit(second)) {
            serialStart = 1;
        } else if (first == 'E' && second >= 'A' && second <= 'Z' && second != 'I' && second != 'O') {
            serialStart = 2;
        } else if ((first == 'D' || first == 'S' || first == 'P') && second == 'E') {
            serialStart = 2;
        } else {
            return false;
        }
        boolean allZero = true;
        for (int i = start + serialStart; i < start + 9; i++) {
            final char c = text.charAt(i);
            if (!isDigit(c)) {
                return false;
            }
            allZero &= c == '0';
        }
        return !allZero;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }
}
