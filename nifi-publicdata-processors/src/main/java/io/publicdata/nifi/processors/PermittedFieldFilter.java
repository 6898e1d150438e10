package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.PermittedFields;
import io.publicdata.nifi.grant.PermittedFields.Access;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Keeps of NiFi records only the fields a grant permits: the record is passed as it is when the grant permits all
 * its fields; otherwise a new record with a narrowed schema holds the permitted fields, and a value in any other
 * field is either removed or makes the record denied. Nested records are narrowed field by field; arrays and maps
 * are transparent, their elements narrowed under the field's path. The plans for a schema are worked out once,
 * not per record. One per FlowFile.
 */
final class PermittedFieldFilter {

    /** Nesting deeper than this is not narrowed but removed: it bounds the work on recursive schemas. */
    private static final int MAX_DEPTH = 64;
    private static final int NOTED_PATHS = 10;
    /** Stands for a value the grant does not permit, taken out of its container. */
    private static final Object REMOVED = new Object();

    private final PermittedFields permitted;
    private final boolean removeOutside;
    private final String gradeField;
    private final Map<String, Map<RecordSchema, Plan>> plans = new HashMap<>();
    private final SortedSet<String> removedPaths = new TreeSet<>();

    /** Paths of the values of the last record that the grant does not permit. */
    private final List<String> outside = new ArrayList<>();
    private long trimmedRecords;
    private RecordSchema rootSchema;
    private Plan rootPlan;

    /**
     * @param removeOutside true to remove values the grant does not permit, false to deny the record holding them
     * @param gradeField    a root field that always passes (the record's grade, which is not data), or null
     */
    PermittedFieldFilter(final PermittedFields permitted, final boolean removeOutside, final String gradeField) {
        this.permitted = permitted;
        this.removeOutside = removeOutside;
        this.gradeField = gradeField;
    }

    /**
     * The record with only what the grant permits, or null when it holds a value the grant does not permit and
     * such records are denied ({@link #outsidePaths()} names the fields).
     */
    Record filter(final Record record) {
        outside.clear();
        final RecordSchema schema = record.getSchema();
        if (schema != rootSchema) {
            // Records of a FlowFile nearly always share one schema: look its plan up once, not per record
            rootSchema = schema;
            rootPlan = plan(schema, "", 0);
        }
        final Record kept = (Record) filterRecord(record, rootPlan);
        return removeOutside || outside.isEmpty() ? kept : null;
    }

    /** The schema of the records this filter makes of records of this schema. */
    RecordSchema keptSchema(final RecordSchema schema) {
        return plan(schema, "", 0).keptSchema;
    }

    /** The paths of the values in the last record that the grant does not permit. */
    List<String> outsidePaths() {
        return outside;
    }

    /** Whether values were removed from the last record. */
    boolean removedValues() {
        return removeOutside && !outside.isEmpty();
    }

    /** Counts what was removed from the last record, once it is authorized: records denied whole lose nothing. */
    void countRemovals() {
        if (!removeOutside || outside.isEmpty()) {
            return;
        }
        trimmedRecords++;
        for (final String path : outside) {
            if (removedPaths.size() < NOTED_PATHS) {
                removedPaths.add(path);
            }
        }
    }

    /** How many authorized records had values removed so far. */
    long trimmedRecords() {
        return trimmedRecords;
    }

    /** Paths of removed values (the first few), for provenance. */
    String removedPaths() {
        return String.join(", ", removedPaths) + (removedPaths.size() >= NOTED_PATHS ? ", ..." : "");
    }

    /**
     * Whether classification saw every field that holds a value in a filtered record, so that field grades can
     * bound its grade: a field added after classification must not count as graded.
     */
    boolean allValuesListed(final Record filtered, final FieldEvidence evidence) {
        return valuesListed(filtered, "", evidence, 0);
    }

    private boolean valuesListed(final Object value, final String path, final FieldEvidence evidence, final int depth) {
        if (value == null) {
            return true;
        }
        if (depth > MAX_DEPTH) {
            return false;
        }
        if (value instanceof Record record) {
            for (final RecordField field : record.getSchema().getFields()) {
                final Object fieldValue = record.getValue(field);
                final String fieldPath = path + "/" + field.getFieldName();
                if (fieldValue != null && !(depth == 0 && field.getFieldName().equals(gradeField))
                        && (!evidence.lists(fieldPath) || !valuesListed(fieldValue, fieldPath, evidence, depth + 1))) {
                    return false;
                }
            }
            return true;
        }
        final Iterable<?> elements = value instanceof Object[] array ? Arrays.asList(array) : value instanceof Map<?, ?> map ? map.values() : null;
        if (elements != null) {
            for (final Object element : elements) {
                if (!valuesListed(element, path, evidence, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Object filterRecord(final Record record, final Plan plan) {
        if (plan.passThrough) {
            return record;
        }
        final Map<String, Object> values = new LinkedHashMap<>(plan.fields.size() * 2);
        for (int i = 0; i < plan.fields.size(); i++) {
            final RecordField field = plan.fields.get(i);
            final Object value = record.getValue(field);
            switch (plan.access[i]) {
                case ALL -> values.put(field.getFieldName(), value);
                case SOME -> {
                    if (plan.keptTypes[i] == null) {
                        notPermitted(value, plan.paths[i]);
                    } else {
                        final Object kept = filterValue(value, plan.paths[i], plan.depth + 1);
                        values.put(field.getFieldName(), kept == REMOVED ? null : kept);
                    }
                }
                case NONE -> notPermitted(value, plan.paths[i]);
            }
        }
        return new MapRecord(plan.keptSchema, values);
    }

    /** Narrows the value of a field the grant permits only some fields below; REMOVED when nothing of it is permitted. */
    private Object filterValue(final Object value, final String path, final int depth) {
        if (value == null) {
            return null;
        }
        if (depth > MAX_DEPTH) {
            return notPermitted(value, path);
        }
        if (value instanceof Record record) {
            return filterRecord(record, plan(record.getSchema(), path, depth));
        }
        if (value instanceof Object[] array) {
            final List<Object> kept = new ArrayList<>(array.length);
            for (final Object element : array) {
                final Object narrowed = filterValue(element, path, depth + 1);
                if (narrowed != REMOVED) {
                    kept.add(narrowed);
                }
            }
            return kept.toArray();
        }
        if (value instanceof Map<?, ?> map) {
            final Map<Object, Object> kept = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                final Object narrowed = filterValue(entry.getValue(), path, depth + 1);
                if (narrowed != REMOVED) {
                    kept.put(entry.getKey(), narrowed);
                }
            }
            return kept;
        }
        // A plain value where the grant permits only fields below: it holds none of them
        return notPermitted(value, path);
    }

    /** Notes a value the grant does not permit and takes it out; a null holds nothing and stays. */
    private Object notPermitted(final Object value, final String path) {
        if (value == null) {
            return null;
        }
        if (!outside.contains(path)) {
            outside.add(path);
        }
        return REMOVED;
    }

    private Plan plan(final RecordSchema schema, final String path, final int depth) {
        return plans.computeIfAbsent(path, p -> new IdentityHashMap<>()).computeIfAbsent(schema, s -> new Plan(s, path, depth));
    }

    /** What to keep of the fields of one schema at one place in the record tree. */
    private final class Plan {
        private final List<RecordField> fields;
        private final String[] paths;
        private final Access[] access;
        /** For SOME fields: the narrowed type, null when the field can hold nothing the grant permits. */
        private final DataType[] keptTypes;
        private final boolean passThrough;
        private final RecordSchema keptSchema;
        private final int depth;

        Plan(final RecordSchema schema, final String parentPath, final int depth) {
            this.fields = schema.getFields();
            this.depth = depth;
            this.paths = new String[fields.size()];
            this.access = new Access[fields.size()];
            this.keptTypes = new DataType[fields.size()];
            final List<RecordField> keptFields = new ArrayList<>();
            boolean all = true;
            for (int i = 0; i < fields.size(); i++) {
                final RecordField field = fields.get(i);
                paths[i] = parentPath + "/" + field.getFieldName();
                access[i] = depth == 0 && field.getFieldName().equals(gradeField) ? Access.ALL : permitted.access(paths[i]);
                all &= access[i] == Access.ALL;
                if (access[i] == Access.ALL) {
                    keptFields.add(field);
                } else if (access[i] == Access.SOME) {
                    keptTypes[i] = keptType(field.getDataType(), paths[i], depth + 1);
                    if (keptTypes[i] != null) {
                        keptFields.add(new RecordField(field.getFieldName(), keptTypes[i], field.getDefaultValue(), field.getAliases(), field.isNullable()));
                    }
                }
            }
            this.passThrough = all;
            this.keptSchema = all ? schema : new SimpleRecordSchema(keptFields);
        }

        /** The type of what the grant permits of a field of this type; null when it permits nothing of it. */
        private DataType keptType(final DataType type, final String path, final int typeDepth) {
            if (typeDepth > MAX_DEPTH) {
                return null;
            }
            return switch (type) {
                case RecordDataType record -> record.getChildSchema() == null ? type
                        : RecordFieldType.RECORD.getRecordDataType(plan(record.getChildSchema(), path, typeDepth).keptSchema);
                case ArrayDataType array -> {
                    final DataType element = keptType(array.getElementType(), path, typeDepth + 1);
                    yield element == null ? null : RecordFieldType.ARRAY.getArrayDataType(element, array.isElementsNullable());
                }
                case MapDataType map -> {
                    final DataType value = keptType(map.getValueType(), path, typeDepth + 1);
                    yield value == null ? null : RecordFieldType.MAP.getMapDataType(value, map.isValuesNullable());
                }
                case ChoiceDataType choice -> {
                    final List<DataType> kept = new ArrayList<>();
                    for (final DataType option : choice.getPossibleSubTypes()) {
                        final DataType keptOption = keptType(option, path, typeDepth + 1);
                        if (keptOption != null) {
                            kept.add(keptOption);
                        }
                    }
                    yield kept.isEmpty() ? null : kept.size() == 1 ? kept.getFirst() : RecordFieldType.CHOICE.getChoiceDataType(kept);
                }
                default -> null;
            };
        }
    }
}
