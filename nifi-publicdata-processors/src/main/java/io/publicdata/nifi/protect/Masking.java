package io.publicdata.nifi.protect;

/**
 * Masks a text keeping its first and last characters (counted in Unicode code points, so that 张三 is two
 * characters). An e-mail address keeps the first character of its local part and its whole domain.
 *
 * @param keepFirst     characters kept at the start
 * @param keepLast      characters kept at the end
 * @param maskCharacter the code point written for every other character
 * @param email         whether the text is masked as an e-mail address
 */
public record Masking(int keepFirst, int keepLast, int maskCharacter, boolean email) {

    public Masking {
        if (keepFirst < 0 || keepLast < 0) {
            throw new IllegalArgumentException("Characters to keep must not be negative");
        }
    }

    public static Masking keep(final int first, final int last) {
        return new Masking(first, last, '*', false);
    }

    /** The same masking with another mask character. */
    public Masking withMaskCharacter(final int character) {
        return new Masking(keepFirst, keepLast, character, email);
    }

    /**
     * The masked text. Fails closed on short texts: when keeping the configured characters would show all of the
     * text, only the first character of a text of three or more is kept and everything else is masked.
     */
    public String apply(final String text) {
        if (email) {
            final int at = text.lastIndexOf('@');
            if (at > 0) {
                return mask(text.substring(0, at), 1, 0) + text.substring(at);
            }
        }
        return mask(text, keepFirst, keepLast);
    }

    /**
     * Which code points of the text this masking hides, by code point index: what {@link #apply} writes the mask
     * character for.
     */
    public boolean[] hidden(final String text) {
        if (email) {
            final int at = text.lastIndexOf('@');
            if (at > 0) {
                final int local = text.codePointCount(0, at);
                final boolean[] hidden = new boolean[text.codePointCount(0, text.length())];
                final boolean[] localHidden = hidden(local, 1, 0);
                System.arraycopy(localHidden, 0, hidden, 0, local);
                return hidden;
            }
        }
        return hidden(text.codePointCount(0, text.length()), keepFirst, keepLast);
    }

    private static boolean[] hidden(final int length, final int first, final int last) {
        int keepStart = first;
        int keepEnd = last;
        if (keepStart + keepEnd >= length) {
            keepStart = length >= 3 ? Math.min(1, first) : 0;
            keepEnd = 0;
        }
        final boolean[] hidden = new boolean[length];
        for (int i = keepStart; i < length - keepEnd; i++) {
            hidden[i] = true;
        }
        return hidden;
    }

    private String mask(final String text, final int first, final int last) {
        final int[] points = text.codePoints().toArray();
        int keepStart = first;
        int keepEnd = last;
        if (keepStart + keepEnd >= points.length) {
            keepStart = points.length >= 3 ? Math.min(1, first) : 0;
            keepEnd = 0;
        }
        final StringBuilder masked = new StringBuilder(text.length());
        for (int i = 0; i < points.length; i++) {
            masked.appendCodePoint(i < keepStart || i >= points.length - keepEnd ? points[i] : maskCharacter);
        }
        return masked.toString();
    }
}
