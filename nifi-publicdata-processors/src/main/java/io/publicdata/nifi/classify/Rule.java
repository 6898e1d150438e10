package io.publicdata.nifi.classify;

import io.publicdata.nifi.path.FieldPath;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One classification rule: which fields it matches (by field path, field name pattern, or label) and
 * what it says about them. A path or name rule grades the fields it matches and may add labels or
 * turn detection off for them; a label rule sets the grade of every field carrying that label,
 * overriding the detector's default.
 *
 * @param path    field path pattern ({@link FieldPath}: {@code *} one segment, {@code **} any number of segments); or null
 * @param name    regular expression the whole field name must match; or null
 * @param label   label this rule grades; or null
 * @param grade   the grade the rule gives
 * @param labels  labels the rule attaches to the fields it matches (path and name rules)
 * @param detect  false to switch detectors and field-name hints off for the fields this rule matches
 */
public record Rule(FieldPath path, Pattern name, String label, Grade grade, Set<String> labels, boolean detect) {

    public Rule {
        labels = Set.copyOf(labels);
        if ((path == null ? 0 : 1) + (name == null ? 0 : 1) + (label == null ? 0 : 1) != 1) {
            throw new IllegalArgumentException("A rule matches by exactly one of path, name or label");
        }
    }

    /**
     * Whether this path or name rule matches a place. A name rule matches the name of the field the place belongs to
     * (for a map's entries, the map's field). Label rules match no field directly.
     */
    boolean matchesField(final FieldPath place) {
        if (path != null) {
            return path.matches(place);
        }
        final String fieldName = place.fieldName();
        return name != null && fieldName != null && name.matcher(fieldName).matches();
    }
}
