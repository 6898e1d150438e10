package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.ClassificationSummary;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldPolicy;
import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Grades every value of NiFi records with the classify core, into a {@link ClassificationSummary}: it walks each
 * record with the {@link RecordWalker}, so map keys are graded like values, at the map's entries ({@code /m/*}).
 * Each place's policy is worked out once, not per record. One per FlowFile.
 */
final class RecordGrader {

    private static final long SMALLEST_IDENTIFIER = 10_000_000_000L;

    private final ClassificationSummary summary;
    private final RecordWalker<Place> walker;
    private final RecordWalker.Visitor<Place> visitor = new RecordWalker.Visitor<>() {
        @Override
        public Object value(final RecordWalker.Node<Place> node, final Object value) {
            grade(node.info(), text(value));
            return value;
        }

        @Override
        public Object key(final RecordWalker.Node<Place> node, final String key) {
            grade(node.info(), key);
            return key;
        }
    };
    /** The grade of the record being walked: the highest of its values so far. */
    private Grade recordGrade;

    /** What is known of one place: how its values are graded, and the last finding noted for it. */
    private static final class Place {
        private final FieldPath path;
        private final boolean skipped;
        private FieldPolicy policy;
        private FieldGrade noted;

        Place(final FieldPath path, final boolean skipped) {
            this.path = path;
            this.skipped = skipped;
        }
    }

    /**
     * @param summary          where findings go
     * @param skippedRootField a root field not to grade (the grade field itself), or null
     */
    RecordGrader(final ClassificationSummary summary, final String skippedRootField) {
        this.summary = summary;
        final FieldPath skipped = skippedRootField == null ? null : FieldPath.ROOT.child(skippedRootField);
        this.walker = new RecordWalker<>((path, parent) -> new Place(path, path.equals(skipped)));
    }

    /** Grades a record, notes it in the summary and returns its grade (the highest of its values). */
    Grade grade(final Record record) {
        recordGrade = null;
        walker.walk(record, visitor);
        // Nothing but nulls and blanks: no information to protect
        final Grade grade = recordGrade == null ? summary.ladder().lowest() : recordGrade;
        summary.record(grade);
        return grade;
    }

    private void grade(final Place place, final String text) {
        if (place.skipped || text != null && (text.isEmpty() || isBlank(text))) {
            return;
        }
        FieldPolicy policy = place.policy;
        if (policy == null) {
            policy = summary.policy(place.path);
            place.policy = policy;
        }
        final FieldGrade found = policy.grade(text);
        if (place.noted != found) {
            // Policies hand out the same instance for the same outcome: note each outcome once, not per value
            summary.field(place.path, found);
            place.noted = found;
        }
        recordGrade = Grade.max(recordGrade, found.grade());
    }

    /**
     * Whether a non-empty text is only whitespace. Whitespace characters are either ASCII up to the space or outside
     * ASCII, so a text starting with printable ASCII needs no look-up.
     */
    private static boolean isBlank(final String text) {
        final char first = text.charAt(0);
        return (first <= ' ' || first >= 0x80 && Character.isWhitespace(first)) && text.isBlank();
    }

    /**
     * A value as text for the detectors, or null when no identifier can hide in it (decimals with a fraction, booleans,
     * dates). A number with an integral value is its integer digits, whatever type holds it.
     */
    static String text(final Object value) {
        if (value instanceof String s) {
            return s;
        }
        // Digit-only identifiers have at least 11 digits (a mobile number): smaller integers hold none
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            final long number = ((Number) value).longValue();
            return number >= SMALLEST_IDENTIFIER || number <= -SMALLEST_IDENTIFIER ? value.toString() : null;
        }
        if (value instanceof BigInteger || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
            return decimal.toBigInteger().toString();
        }
        // Spreadsheets and pandas store numbers as floating point: 13800138000.0, 1.3800138E10 hold the phone's digits
        if (value instanceof Double || value instanceof Float) {
            final double number = ((Number) value).doubleValue();
            return Math.abs(number) >= SMALLEST_IDENTIFIER && number == Math.rint(number) && !Double.isInfinite(number)
                    ? BigDecimal.valueOf(number).toBigInteger().toString() : null;
        }
        return null;
    }
}
