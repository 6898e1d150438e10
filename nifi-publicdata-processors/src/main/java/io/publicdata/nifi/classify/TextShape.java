package io.publicdata.nifi.classify;

/**
 * Cheap facts about a text, computed in one pass, that let detectors skip texts that cannot hold
 * their identifiers (most values hold none of them).
 */
public record TextShape(int digits, boolean hasAt, boolean hasDot, int colons, boolean hasCjk) {

    public static TextShape of(final String text) {
        int digits = 0;
        int colons = 0;
        boolean at = false;
        boolean dot = false;
        boolean cjk = false;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '@') {
                at = true;
            } else if (c == '.') {
                dot = true;
            } else if (c == ':') {
                colons++;
            } else if (c >= '\u4e00' && c <= '\u9fff') {
                cjk = true;
            }
        }
        return new TextShape(digits, at, dot, colons, cjk);
    }
}
