package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.PermittedFields;
import io.publicdata.nifi.grant.PermittedFields.Access;
import io.publicdata.nifi.path.FieldPath;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Keeps of NiFi records only the fields a grant permits: the record is passed as it is when the grant permits all
 * its fields; otherwise a new record with a narrowed schema holds the permitted fields, and a value in any other
 * field is either removed or makes the record denied. Records are walked with the {@link RecordWalker}: nested
 * records are narrowed field by field, arrays are transparent, and a map's keys and values are at the map's entries
 * ({@code /m/*}): a key is data, so an entry stays only when the grant permits the entries themselves (permitting
 * only {@code /m/*}{@code /name} removes every entry, keys holding identifiers would otherwise leave). The plans for a
 * schema are worked out once, not per record. One per FlowFile.
 */
final class PermittedFieldFilter {

    private static final int NOTED_PATHS = 10;

    private final PermittedFields permitted;
    private final boolean removeOutside;
    private final RecordWalker<Access> walker;
    private final RecordWalker.Visitor<Access> narrowing = new Narrowing();
    private final SortedSet<String> removedPaths = new TreeSet<>();
    private final FieldPath gradeField;

    /** Paths of the values of the last record that the grant does not permit. */
    private final List<String> outside = new ArrayList<>();
    private long trimmedRecords;

    /**
     * @param removeOutside true to remove values the grant does not permit, false to deny the record holding them
     * @param gradeField    a root field that always passes (the record's grade, which is not data), or null
     */
    PermittedFieldFilter(final PermittedFields permitted, final boolean removeOutside, final String gradeField) {
        this.permitted = permitted;
        this.removeOutside = removeOutside;
        this.gradeField = gradeField == null ? null : FieldPath.ROOT.child(gradeField);
        this.walker = new RecordWalker<>((path, parent) -> path.isRoot() ? Access.SOME
                : path.equals(this.gradeField) ? Access.ALL : permitted.access(path));
    }

    /**
     * The record with only what the grant permits, or null when it holds a value the grant does not permit and
     * such records are denied ({@link #outsidePaths()} names the fields).
     */
    Record filter(final Record record) {
        outside.clear();
        if (plan(walker.layout(record.getSchema())).passThrough) {
            // The grant permits every field of this schema whole: the walk would keep each value as it is
            return record;
        }
        final Record kept = (Record) walker.walk(record, narrowing);
        return removeOutside || outside.isEmpty() ? kept : null;
    }

    /** The schema of the records this filter makes of records of this schema. */
    RecordSchema keptSchema(final RecordSchema schema) {
        return plan(walker.layout(schema)).keptSchema;
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
     * Whether classification saw every place that holds a value in a filtered record, so that field grades can
     * bound its grade: a field added after classification must not count as graded.
     */
    boolean allValuesListed(final Record filtered, final FieldEvidence evidence) {
        final boolean[] listed = {true};
        walker.walk(filtered, new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<Access> node, final Object value) {
                check(node);
                return value;
            }

            @Override
            public String key(final RecordWalker.Node<Access> node, final String key) {
                check(node);
                return key;
            }

            @Override
            public Object container(final RecordWalker.Node<Access> node, final Object container) {
                check(node);
                return listed[0] ? RecordWalker.WALK : container;
            }

            private void check(final RecordWalker.Node<Access> node) {
                if (!node.path().equals(gradeField) && !evidence.lists(node.path())) {
                    listed[0] = false;
                }
            }
        });
        return listed[0];
    }

    /** What the walk does with each value. */
    private final class Narrowing implements RecordWalker.Visitor<Access> {

        @Override
        public Object value(final RecordWalker.Node<Access> node, final Object value) {
            // A plain value where the grant permits only fields below holds none of them
            return node.info() == Access.ALL ? value : notPermitted(node);
        }

        @Override
        public Object key(final RecordWalker.Node<Access> node, final String key) {
            return node.info() == Access.ALL ? key : notPermitted(node);
        }

        @Override
        public Object container(final RecordWalker.Node<Access> node, final Object container) {
            return switch (node.info()) {
                case ALL -> container;
                case SOME -> RecordWalker.WALK;
                case NONE -> notPermitted(node);
            };
        }

        @Override
        public Object record(final RecordWalker.Layout<Access> layout, final Record record, final Object[] values, final String[] names) {
            final Plan plan = plan(layout);
            if (plan.passThrough && values == null) {
                return record;
            }
            final Map<String, Object> kept = new LinkedHashMap<>(layout.size() * 2);
            for (int i = 0; i < layout.size(); i++) {
                if (plan.kept[i]) {
                    final Object value = values == null ? record.getValue(layout.field(i)) : values[i];
                    if (value == RecordWalker.REMOVE) {
                        kept.put(layout.field(i).getFieldName(), null);
                    } else if (value != null && plan.narrowed[i] != null && !fits(value, plan.narrowed[i])) {
                        // A shape the grant keeps nothing of here (text or an array where only a record's fields are
                        // permitted, the field a choice): it goes, and the record still fits its narrowed schema
                        notPermitted(layout.child(i));
                        kept.put(layout.field(i).getFieldName(), null);
                    } else {
                        kept.put(layout.field(i).getFieldName(), value);
                    }
                } else if (values == null && record.getValue(layout.field(i)) != null) {
                    notPermitted(layout.child(i));
                }
            }
            return new MapRecord(plan.keptSchema, kept);
        }
    }

    /** Notes a value the grant does not permit and takes it out. */
    private Object notPermitted(final RecordWalker.Node<Access> node) {
        final String path = node.path().toString();
        if (!outside.contains(path)) {
            outside.add(path);
        }
        return RecordWalker.REMOVE;
    }

    /** Whether a value kept for some of what lies below it has a shape its narrowed type holds. */
    private static boolean fits(final Object value, final DataType type) {
        return switch (type) {
            case ChoiceDataType choice -> choice.getPossibleSubTypes().stream().anyMatch(option -> fits(value, option));
            case RecordDataType ignored -> value instanceof Record;
            case ArrayDataType ignored -> value instanceof Object[] || value instanceof List;
            case MapDataType ignored -> value instanceof Map;
            default -> !(value instanceof Record || value instanceof Object[] || value instanceof List || value instanceof Map);
        };
    }

    private Plan plan(final RecordWalker.Layout<Access> layout) {
        return layout.derived(Plan::new);
    }

    /** What to keep of the fields of one schema at one place in the record tree. */
    private static final class Plan {
        /** By field: whether the field stays in the schema. */
        private final boolean[] kept;
        /** By field: the narrowed type of a field kept for some of what lies below it, else null. */
        private final DataType[] narrowed;
        private final boolean passThrough;
        private final RecordSchema keptSchema;

        Plan(final RecordWalker.Layout<Access> layout) {
            this.kept = new boolean[layout.size()];
            this.narrowed = new DataType[layout.size()];
            final List<RecordField> keptFields = new ArrayList<>();
            boolean all = true;
            for (int i = 0; i < layout.size(); i++) {
                final RecordField field = layout.field(i);
                final RecordWalker.Node<Access> node = layout.child(i);
                final Access access = node.info();
                all &= access == Access.ALL;
                // A name that is data leaves only with its entry: permitting fields below it does not permit the name
                if (access == Access.ALL) {
                    keptFields.add(field);
                    kept[i] = true;
                } else if (access == Access.SOME && !layout.isDataName(i)) {
                    final DataType type = keptType(field.getDataType(), node, 0);
                    if (type != null) {
                        keptFields.add(new RecordField(field.getFieldName(), type, field.getDefaultValue(), field.getAliases(), field.isNullable()));
                        kept[i] = true;
                        narrowed[i] = type;
                    }
                }
            }
            this.passThrough = all;
            this.keptSchema = all ? layout.schema() : new SimpleRecordSchema(keptFields);
        }

        /** The type of what the grant permits of a value of this type at a place; null when it permits nothing of it. */
        private static DataType keptType(final DataType type, final RecordWalker.Node<Access> node, final int depth) {
            if (depth > RecordWalker.MAX_DEPTH || node.info() == Access.NONE) {
                return null;
            }
            if (node.info() == Access.ALL) {
                return type;
            }
            return switch (type) {
                case RecordDataType record -> record.getChildSchema() == null ? type
                        : RecordFieldType.RECORD.getRecordDataType(node.layout(record.getChildSchema()).derived(Plan::new).keptSchema);
                case ArrayDataType array -> {
                    final DataType element = keptType(array.getElementType(), node, depth + 1);
                    yield element == null ? null : RecordFieldType.ARRAY.getArrayDataType(element, array.isElementsNullable());
                }
                case MapDataType map -> {
                    final DataType value = keptType(map.getValueType(), node.entries(), depth + 1);
                    yield value == null ? null : RecordFieldType.MAP.getMapDataType(value, map.isValuesNullable());
                }
                case ChoiceDataType choice -> {
                    final List<DataType> kept = new ArrayList<>();
                    for (final DataType option : choice.getPossibleSubTypes()) {
                        final DataType keptOption = keptType(option, node, depth + 1);
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
