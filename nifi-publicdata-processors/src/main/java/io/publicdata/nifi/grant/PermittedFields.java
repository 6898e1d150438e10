package io.publicdata.nifi.grant;

import java.util.List;

/**
 * The field path patterns a grant permits, answering for any field path whether the grant permits all of it, some
 * of what lies below it, or nothing. Paths name fields from the root record ({@code /applicant/idCard}); arrays
 * and maps are transparent. In a pattern {@code *} is one segment and {@code **} any number of segments. A
 * permitted field is permitted with everything below it: permitting {@code /applicant} permits
 * {@code /applicant/idCard}.
 */
public final class PermittedFields {

    /** How much of a field the grant permits. */
    public enum Access {
        /** The field and everything below it. */
        ALL,
        /** Not the field itself, but some fields below it: keep it as a container of those. */
        SOME,
        /** Nothing at or below the field. */
        NONE
    }

    private final List<String[]> patterns;

    private PermittedFields(final List<String[]> patterns) {
        this.patterns = patterns;
    }

    /**
     * @throws IllegalArgumentException when a pattern is not a field path pattern
     */
    public static PermittedFields of(final List<String> patterns) {
        return new PermittedFields(patterns.stream().map(PermittedFields::compile).toList());
    }

    private static String[] compile(final String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("Permitted field '" + pattern + "' must be a field path starting with '/', e.g. /applicant/name or /**");
        }
        final String[] segments = pattern.substring(1).split("/", -1);
        for (final String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("Permitted field '" + pattern + "' has an empty segment");
            }
        }
        return segments;
    }

    public Access access(final String path) {
        final String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        boolean some = false;
        for (final String[] pattern : patterns) {
            if (coversSelfOrAncestor(pattern, 0, segments, 0)) {
                return Access.ALL;
            }
            some = some || matchesDescendant(pattern, 0, segments, 0);
        }
        return some ? Access.SOME : Access.NONE;
    }

    /** Whether the pattern matches the path or one of its ancestors. */
    private static boolean coversSelfOrAncestor(final String[] pattern, final int p, final String[] path, final int s) {
        if (p == pattern.length) {
            return s > 0;
        }
        if (pattern[p].equals("**")) {
            return coversSelfOrAncestor(pattern, p + 1, path, s) || (s < path.length && coversSelfOrAncestor(pattern, p, path, s + 1));
        }
        if (s == path.length) {
            return false;
        }
        return (pattern[p].equals("*") || pattern[p].equals(path[s])) && coversSelfOrAncestor(pattern, p + 1, path, s + 1);
    }

    /** Whether the pattern matches some path strictly below the path. */
    private static boolean matchesDescendant(final String[] pattern, final int p, final String[] path, final int s) {
        if (s == path.length) {
            return p < pattern.length;
        }
        if (p == pattern.length) {
            return false;
        }
        if (pattern[p].equals("**")) {
            return matchesDescendant(pattern, p + 1, path, s) || matchesDescendant(pattern, p, path, s + 1);
        }
        return (pattern[p].equals("*") || pattern[p].equals(path[s])) && matchesDescendant(pattern, p + 1, path, s + 1);
    }
}
