package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.ClassificationSummary;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldPolicy;
import io.publicdata.nifi.classify.Grade;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks NiFi records and grades every value with the classify core, into a {@link ClassificationSummary}.
 * Nested records are walked; arrays and maps are transparent, their elements graded under the field's
 * path. Field paths and policies are worked out once per schema, not per record. One per FlowFile.
 */
final class RecordGrader {

    private static final long SMALLEST_IDENTIFIER = 10_000_000_000L;

    private final ClassificationSummary summary;
    private final String skippedRootField;
    private final Map<RecordSchema, SchemaPlan> rootPlans = new IdentityHashMap<>();

    /**
     * @param summary          where findings go
     * @param skippedRootField a root field not to grade (the grade field itself), or null
     */
    RecordGrader(final ClassificationSummary summary, final String skippedRootField) {
        this.summary = summary;
        this.skippedRootField = skippedRootField;
    }

    /** Grades a record, notes it in the summary and returns its grade (the highest of its values). */
    Grade grade(final Record record) {
        final SchemaPlan plan = rootPlans.computeIfAbsent(record.getSchema(), schema -> new SchemaPlan(schema, "", skippedRootField));
        Grade grade = gradeRecord(record, plan);
        if (grade == null) {
            // Nothing but nulls and blanks: no information to protect
            grade = summary.ladder().lowest();
        }
        summary.record(grade);
        return grade;
    }

    private Grade gradeRecord(final Record record, final SchemaPlan plan) {
        Grade grade = null;
        final List<RecordField> fields = plan.schema.getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (i != plan.skipped) {
                grade = Grade.max(grade, gradeValue(record.getValue(fields.get(i)), plan, i));
            }
        }
        return grade;
    }

    private Grade gradeValue(final Object value, final SchemaPlan plan, final int field) {
        if (value == null) {
            return null;
        }
        if (value instanceof Record nested) {
            return gradeRecord(nested, plan.nested(field, nested.getSchema()));
        }
        if (value instanceof Object[] elements) {
            Grade grade = null;
            for (final Object element : elements) {
                grade = Grade.max(grade, gradeValue(element, plan, field));
            }
            return grade;
        }
        if (value instanceof Map<?, ?> map) {
            Grade grade = null;
            for (final Object element : map.values()) {
                grade = Grade.max(grade, gradeValue(element, plan, field));
            }
            return grade;
        }
        final String text = text(value);
        if (text != null && (text.isEmpty() || Character.isWhitespace(text.charAt(0)) && text.isBlank())) {
            return null;
        }
        final FieldGrade found = plan.policy(field, summary).grade(text);
        if (plan.noted[field] != found) {
            // Policies hand out the same instance for the same outcome: note each outcome once, not per value
            summary.field(plan.paths[field], found);
            plan.noted[field] = found;
        }
        return found.grade();
    }

    /** A value as text for the detectors, or null when no identifier can hide in it (decimals, booleans, dates). */
    private static String text(final Object value) {
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
        return null;
    }

    /** The paths and policies of one schema's fields at one place in the record tree. */
    private static final class SchemaPlan {
        private final RecordSchema schema;
        private final String[] paths;
        private final String[] names;
        private final int skipped;
        private final FieldPolicy[] policies;
        private final SchemaPlan[] nested;
        private final FieldGrade[] noted;

        SchemaPlan(final RecordSchema schema, final String parentPath, final String skippedField) {
            this.schema = schema;
            final List<RecordField> fields = schema.getFields();
            this.paths = new String[fields.size()];
            this.names = new String[fields.size()];
            int skip = -1;
            for (int i = 0; i < fields.size(); i++) {
                names[i] = fields.get(i).getFieldName();
                paths[i] = parentPath + "/" + names[i];
                if (names[i].equals(skippedField)) {
                    skip = i;
                }
            }
            this.skipped = skip;
            this.policies = new FieldPolicy[fields.size()];
            this.nested = new SchemaPlan[fields.size()];
            this.noted = new FieldGrade[fields.size()];
        }

        FieldPolicy policy(final int field, final ClassificationSummary summary) {
            FieldPolicy policy = policies[field];
            if (policy == null) {
                policy = summary.policy(paths[field], names[field]);
                policies[field] = policy;
            }
            return policy;
        }

        SchemaPlan nested(final int field, final RecordSchema nestedSchema) {
            SchemaPlan plan = nested[field];
            if (plan == null || plan.schema != nestedSchema) {
                plan = new SchemaPlan(nestedSchema, paths[field], null);
                nested[field] = plan;
            }
            return plan;
        }
    }
}
