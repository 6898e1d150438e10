package io.publicdata.nifi.classify;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One classification rule: which fields it matches (by field path, field name pattern, or label) and
 * what it says about them. A path or name rule grades the fields it matches and may add labels or
 * turn detection off for them; a label rule sets the grade of every field carrying that label,
 * overriding the detector's default.
 *
 * @param path    field path pattern, {@code *} one segment, {@code **} any number of segments; or null
 * @param name    regular expression the whole field name must match; or null
 * @param label   label this rule grades; or null
 * @param grade   the grade the rule gives
 * @param labels  labels the rule attaches to the fields it matches (path and name rules)
 * @param detect  false to switch detectors and field-name hints off for the fields this rule matches
 */
public record Rule(Pattern path, Pattern name, String label, Grade grade, Set<String> labels, boolean detect) {

    public Rule {
        labels = Set.copyOf(labels);
        if ((path == null ? 0 : 1) + (name == null ? 0 : 1) + (label == null ? 0 : 1) != 1) {
            throw new IllegalArgumentException("A rule matches by exactly one of path, name or label");
        }
    }

    /** Whether this path or name rule matches a field. Label rules match no field directly. */
    boolean matchesField(final String fieldPath, final String fieldName) {
        if (path != null) {
            return path.matcher(fieldPath).matches();
        }
        return name != null && name.matcher(fieldName).matches();
    }

    /** Turns a field path pattern such as {@code /applicant/*}{@code /phone} or {@code /**}{@code /idCard} into a regex. */
    static Pattern compilePath(final String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("Field path '" + pattern + "' must start with '/', e.g. /applicant/idCard");
        }
        final StringBuilder regex = new StringBuilder();
        for (final String segment : pattern.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("Field path '" + pattern + "' has an empty segment");
            }
            if (segment.equals("**")) {
                regex.append("(?:/[^/]+)*");
            } else if (segment.equals("*")) {
                regex.append("/[^/]+");
            } else {
                regex.append('/').append(Pattern.quote(segment));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
