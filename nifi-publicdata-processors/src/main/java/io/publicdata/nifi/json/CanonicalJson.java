package io.publicdata.nifi.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The JSON Canonicalization Scheme (RFC 8785): the one byte sequence that signatures over grant documents and hashes
 * over lineage events cover, so that re-indenting or reordering members keeps them valid.
 *
 * <p>No whitespace; object members sorted by name in UTF-16 code unit order; array order kept; strings in UTF-8 with
 * {@code "} and the backslash escaped, the control characters that have a short escape (backspace, tab, line feed,
 * form feed, carriage return) written with it and the others as a six-character escape with lower-case hex digits,
 * as ECMAScript's {@code JSON.stringify} does. Numbers are limited
 * to integers of at most 2<sup>53</sup> - 1 in magnitude, which every JSON implementation reads exactly and RFC 8785
 * writes as plain digits; fractions and larger numbers are refused rather than written in a form another
 * implementation might not reproduce. Unpaired surrogates are refused: they have no UTF-8 form.
 */
public final class CanonicalJson {

    private static final long MAX_EXACT_INTEGER = (1L << 53) - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * The canonical UTF-8 bytes of a JSON value.
     *
     * @throws IllegalArgumentException when the value holds a number that is not an exact integer, or an unpaired surrogate
     */
    public static byte[] bytes(final JsonNode value) {
        final StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(final JsonNode value, final StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                final TreeSet<String> names = new TreeSet<>();
                value.fieldNames().forEachRemaining(names::add);
                boolean first = true;
                for (final String name : names) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(name, out);
                    out.append(':');
                    write(value.get(name), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(value.asText(), out);
            case BOOLEAN -> out.append(value.asBoolean());
            case NULL -> out.append("null");
            case NUMBER -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong() || Math.abs(value.longValue()) > MAX_EXACT_INTEGER) {
                    throw new IllegalArgumentException("Canonical JSON holds only integers of magnitude at most 2^53-1, not " + value);
                }
                out.append(value.longValue());
            }
            default -> throw new IllegalArgumentException("Canonical JSON cannot hold a " + value.getNodeType());
        }
    }

    private static void writeString(final String text, final StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("Canonical JSON cannot hold an unpaired surrogate");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
