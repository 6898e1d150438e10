package io.publicdata.nifi.path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A field path: where a value sits in a record, or a pattern of such places. This one syntax is used wherever a
 * user or an attribute names a field: classification rules, permitted fields, field methods, quasi-identifiers,
 * {@code publicdata.fields} and {@code publicdata.protected}.
 *
 * <ul>
 *   <li>{@code /applicant/idCard}: field names from the root record, each after a {@code /}. Arrays are transparent:
 *       every element of {@code contacts} is at {@code /contacts}, a field of those elements at {@code /contacts/phone}.</li>
 *   <li>{@code /byPerson/*}: the entries of a map. A map key is data, so a path never names one: keys and values of
 *       the map are both at {@code /byPerson/*}, a field of its record values at {@code /byPerson/*}{@code /name}.</li>
 *   <li>In a pattern, {@code *} is any one segment (a field name or a map's entries) and {@code **} any number of
 *       segments, none included: {@code /**}{@code /idCard} matches {@code /idCard} and {@code /a/b/idCard}.</li>
 *   <li>A name holding {@code /}, {@code *} or {@code \} escapes it with {@code \}: the field {@code applicant/name} is
 *       {@code /applicant\/name}, never the nested {@code /applicant/name}; a field named {@code *} is {@code /\*}.
 *       Any other character may be escaped too ({@code \,} in a comma-separated list). A field with an empty name is
 *       written {@code ""}.</li>
 * </ul>
 *
 * <p>Immutable; equal when their segments are equal. {@link #toString()} is the canonical text, which
 * {@link #parse} reads back to an equal path.</p>
 */
public final class FieldPath implements Comparable<FieldPath> {

    /** The segment of a map's entries in a place, and of any one segment in a pattern. */
    public static final String ANY = "*";
    /** The segment of any number of segments, in a pattern. */
    public static final String ANY_DEPTH = "**";

    /** How a field whose name is empty is written: a segment of two double quotes (a field named so writes {@code \"\"}). */
    private static final String EMPTY_NAME = "\"\"";

    /** The root record itself: the path with no segment, written {@code /}. */
    public static final FieldPath ROOT = new FieldPath(new Segment[0]);

    private final Segment[] segments;
    private final int hash;
    private String text;

    /** One step of a path: a field name, or a wildcard (never both). */
    private record Segment(String name, Kind kind) {
        static final Segment ANY_SEGMENT = new Segment(null, Kind.ANY);
        static final Segment ANY_DEPTH_SEGMENT = new Segment(null, Kind.ANY_DEPTH);
    }

    private enum Kind { NAME, ANY, ANY_DEPTH }

    private FieldPath(final Segment[] segments) {
        this.segments = segments;
        this.hash = Arrays.hashCode(segments);
    }

    /**
     * Reads a path or pattern.
     *
     * @throws IllegalArgumentException saying what is wrong, e.g. a missing leading {@code /} or an empty segment
     */
    public static FieldPath parse(final String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' is not a field path: it must start with '/', e.g. /applicant/idCard");
        }
        if (text.equals("/")) {
            return ROOT;
        }
        final List<Segment> segments = new ArrayList<>();
        final StringBuilder name = new StringBuilder();
        boolean anyEscape = false;
        for (int i = 1; i <= text.length(); i++) {
            final char c = i < text.length() ? text.charAt(i) : '/';
            if (i < text.length() && c == '\\') {
                if (i + 1 == text.length()) {
                    throw new IllegalArgumentException("Field path '" + text + "' ends with an escape character '\\'");
                }
                name.append(text.charAt(++i));
                anyEscape = true;
                continue;
            }
            if (c != '/') {
                name.append(c);
                continue;
            }
            final String segment = name.toString();
            name.setLength(0);
            if (segment.isEmpty() && !anyEscape) {
                throw new IllegalArgumentException("Field path '" + text + "' has an empty segment");
            }
            if (!anyEscape && segment.equals(ANY)) {
                segments.add(Segment.ANY_SEGMENT);
            } else if (!anyEscape && segment.equals(ANY_DEPTH)) {
                segments.add(Segment.ANY_DEPTH_SEGMENT);
            } else if (!anyEscape && segment.equals(EMPTY_NAME)) {
                segments.add(new Segment("", Kind.NAME));
            } else if (!anyEscape && segment.indexOf('*') >= 0) {
                throw new IllegalArgumentException("Field path '" + text + "': '*' stands only for a whole segment (* or **); "
                        + "escape a '*' that is part of a field name as \\*");
            } else {
                segments.add(new Segment(segment, Kind.NAME));
            }
            anyEscape = false;
        }
        return new FieldPath(segments.toArray(new Segment[0]));
    }

    /**
     * Reads a comma-separated list of paths or patterns; blanks around each are ignored, and a comma that belongs to
     * a field name is escaped ({@code \,}).
     *
     * @throws IllegalArgumentException naming the first entry that is not a path
     */
    public static List<FieldPath> parseList(final String text) {
        final List<FieldPath> paths = new ArrayList<>();
        if (text == null) {
            return paths;
        }
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) == '\\') {
                i++;
            } else if (i == text.length() || text.charAt(i) == ',') {
                final String entry = text.substring(start, Math.min(i, text.length())).strip();
                if (!entry.isEmpty()) {
                    paths.add(parse(entry));
                }
                start = i + 1;
            }
        }
        return paths;
    }

    /** The path of the field of this name in the record at this path. */
    public FieldPath child(final String name) {
        return append(new Segment(name, Kind.NAME));
    }

    /** The path of the entries (keys and values) of the map at this path: this path and {@code *}. */
    public FieldPath entries() {
        return append(Segment.ANY_SEGMENT);
    }

    private FieldPath append(final Segment segment) {
        final Segment[] longer = Arrays.copyOf(segments, segments.length + 1);
        longer[segments.length] = segment;
        return new FieldPath(longer);
    }

    /** The path one segment up; the root's parent is the root. */
    public FieldPath parent() {
        return segments.length == 0 ? ROOT : new FieldPath(Arrays.copyOf(segments, segments.length - 1));
    }

    /** Number of segments; 0 for the root. */
    public int depth() {
        return segments.length;
    }

    public boolean isRoot() {
        return segments.length == 0;
    }

    /**
     * The field name of the last segment that names a field (the field a map's entries belong to, for
     * {@code /byPerson/*}); null when there is none.
     */
    public String fieldName() {
        for (int i = segments.length - 1; i >= 0; i--) {
            if (segments[i].kind == Kind.NAME) {
                return segments[i].name;
            }
        }
        return null;
    }

    /** Whether this holds {@code **}: only a pattern does, never the place of a value. */
    public boolean hasAnyDepth() {
        for (final Segment segment : segments) {
            if (segment.kind == Kind.ANY_DEPTH) {
                return true;
            }
        }
        return false;
    }

    /** Whether every segment is a field name: the path leads through records only, no map and no wildcard. */
    public boolean isFieldNamesOnly() {
        for (final Segment segment : segments) {
            if (segment.kind != Kind.NAME) {
                return false;
            }
        }
        return true;
    }

    /** The field names of a path made of field names only (see {@link #isFieldNamesOnly()}). */
    public List<String> fieldNames() {
        if (!isFieldNamesOnly()) {
            throw new IllegalStateException(this + " is not a path of field names only");
        }
        return Arrays.stream(segments).map(Segment::name).toList();
    }

    /**
     * Whether this pattern matches the place {@code path}: a name matches the same name, {@code *} any one segment
     * (a name or a map's entries), {@code **} any number of segments. A name never matches a map's entries.
     */
    public boolean matches(final FieldPath path) {
        return match(0, path, 0, Mode.EXACT);
    }

    /**
     * Whether this pattern matches the place {@code path} or a place above it (a record, array or map holding it):
     * what a pattern names, it names with everything inside.
     */
    public boolean matchesSelfOrAncestorOf(final FieldPath path) {
        return match(0, path, 0, Mode.SELF_OR_ANCESTOR);
    }

    /** Whether this pattern can match a place strictly below {@code path}. */
    public boolean matchesSomethingBelow(final FieldPath path) {
        return match(0, path, 0, Mode.BELOW);
    }

    /** Whether {@code prefix} is this path or a path above it. */
    public boolean startsWith(final FieldPath prefix) {
        if (prefix.segments.length > segments.length) {
            return false;
        }
        for (int i = 0; i < prefix.segments.length; i++) {
            if (!prefix.segments[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private enum Mode { EXACT, SELF_OR_ANCESTOR, BELOW }

    private boolean match(final int p, final FieldPath path, final int s, final Mode mode) {
        final Segment[] place = path.segments;
        if (p == segments.length) {
            return switch (mode) {
                case EXACT -> s == place.length;
                case SELF_OR_ANCESTOR -> true;
                case BELOW -> false;
            };
        }
        if (s == place.length && mode == Mode.BELOW) {
            // The place is used up: what remains of the pattern can name something below it (** alone names nothing more)
            for (int i = p; i < segments.length; i++) {
                if (segments[i].kind != Kind.ANY_DEPTH) {
                    return true;
                }
            }
            return false;
        }
        final Segment segment = segments[p];
        if (segment.kind == Kind.ANY_DEPTH) {
            return match(p + 1, path, s, mode) || (s < place.length && match(p, path, s + 1, mode));
        }
        if (s == place.length) {
            return false;
        }
        final boolean one = segment.kind == Kind.ANY || (place[s].kind == Kind.NAME && segment.name.equals(place[s].name));
        return one && match(p + 1, path, s + 1, mode);
    }

    @Override
    public boolean equals(final Object other) {
        return this == other || other instanceof FieldPath path && hash == path.hash && Arrays.equals(segments, path.segments);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(final FieldPath other) {
        return toString().compareTo(other.toString());
    }

    /** The canonical text: {@code /} and each segment, names escaped; {@code /} for the root. */
    @Override
    public String toString() {
        String formatted = text;
        if (formatted == null) {
            if (segments.length == 0) {
                formatted = "/";
            } else {
                final StringBuilder out = new StringBuilder();
                for (final Segment segment : segments) {
                    out.append('/');
                    switch (segment.kind) {
                        case ANY -> out.append(ANY);
                        case ANY_DEPTH -> out.append(ANY_DEPTH);
                        case NAME -> escape(segment.name, out);
                    }
                }
                formatted = out.toString();
            }
            text = formatted;
        }
        return formatted;
    }

    /** Appends a field name with {@code \}, {@code /} and {@code *} escaped. */
    private static void escape(final String name, final StringBuilder out) {
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == '\\' || c == '/' || c == '*') {
                out.append('\\');
            }
            out.append(c);
        }
        if (name.isEmpty()) {
            out.append(EMPTY_NAME);
        } else if (name.equals(EMPTY_NAME)) {
            out.setLength(out.length() - 2);
            out.append("\\\"\\\"");
        }
    }
}
