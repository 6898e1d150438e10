package io.publicdata.nifi.grant;

import io.publicdata.nifi.path.FieldPath;

import java.util.List;

/**
 * The field path patterns ({@link FieldPath}) a grant permits, answering for any place whether the grant permits
 * all of it, some of what lies below it, or nothing. A permitted field is permitted with everything below it:
 * permitting {@code /applicant} permits {@code /applicant/idCard}, permitting {@code /byPerson} the map's
 * entries {@code /byPerson/*}.
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

    private final List<FieldPath> patterns;

    private PermittedFields(final List<FieldPath> patterns) {
        this.patterns = patterns;
    }

    /**
     * @throws IllegalArgumentException when a pattern is not a field path pattern
     */
    public static PermittedFields of(final List<String> patterns) {
        return new PermittedFields(patterns.stream().map(PermittedFields::compile).toList());
    }

    private static FieldPath compile(final String pattern) {
        try {
            final FieldPath path = FieldPath.parse(pattern);
            if (path.isRoot()) {
                throw new IllegalArgumentException("'/' names no field; permit /** for every field");
            }
            return path;
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("Permitted field '" + pattern + "': " + e.getMessage());
        }
    }

    /** How much of the place at this path the grant permits. */
    public Access access(final FieldPath path) {
        boolean some = false;
        for (final FieldPath pattern : patterns) {
            if (!path.isRoot() && pattern.matchesSelfOrAncestorOf(path)) {
                return Access.ALL;
            }
            some = some || pattern.matchesSomethingBelow(path);
        }
        return some ? Access.SOME : Access.NONE;
    }
}
