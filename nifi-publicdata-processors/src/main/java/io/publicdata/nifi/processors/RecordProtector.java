package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.FieldPolicy;
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.protect.MethodSpec;
import io.publicdata.nifi.protect.ProtectionException;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Protects the records of one FlowFile for ProtectRecord. Each field's method is decided once per schema where it
 * can be (a Field Methods path, or the field grades ClassifyRecord wrote); a field those do not cover is classified
 * value by value, so a sensitive value is never passed in clear because nobody graded its field. Fields whose
 * values become text change type to string; a field classified value by value may hold either, so its type becomes
 * a choice of its own type and string; dropped fields leave the schema. One per FlowFile, one thread.
 */
final class RecordProtector {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SortedSet<String> NO_LABELS = Collections.unmodifiableSortedSet(new TreeSet<>());
    private static final int MAX_DEPTH = 64;

    // Two markers in a plan's methods, told apart from configured methods by identity (==), never by equals():
    /** A field's method, decided per value: the field is not covered by a configured path or the field grades. */
    private static final MethodSpec PER_VALUE = new MethodSpec(ProtectionMethod.MASK, null, null);
    /** A field that stays in clear. */
    private static final MethodSpec CLEAR = new MethodSpec(ProtectionMethod.GENERALIZE, null, null);

    private final ProtectRecord.Settings settings;
    private final FieldGrades fieldGrades;
    private final Map<RecordSchema, Map<String, Plan>> plans = new IdentityHashMap<>();
    private final Map<String, FieldPolicy> policies = new HashMap<>();
    private final Map<String, ProtectionMethod> applied = new TreeMap<>();
    private long records;
    private long protectedValues;

    /** What to do with each field of a schema at a path, and the schema of the result. */
    private record Plan(RecordField[] fields, String[] paths, MethodSpec[] methods, SortedSet<String>[] labels, RecordSchema output) {
    }

    RecordProtector(final ProtectRecord.Settings settings, final FieldGrades fieldGrades) {
        this.settings = settings;
        this.fieldGrades = fieldGrades;
    }

    Record protect(final Record record) {
        records++;
        return protectRecord(record, "", 0);
    }

    /** The publicdata.protected attribute: field path → method; FPE entries name the cipher and key id. */
    String protectedFieldsJson() {
        final ObjectNode json = MAPPER.createObjectNode();
        applied.forEach((path, method) -> {
            if (method == ProtectionMethod.FPE) {
                json.putObject(path).put("method", method.name()).put("keyId", settings.protector().fpe().keyId());
            } else {
                json.put(path, method.name());
            }
        });
        return json.toString();
    }

    /** One line for provenance: what was protected and how, in numbers and field paths, never values. */
    String describe() {
        if (applied.isEmpty()) {
            return "Protected no field of " + records + (records == 1 ? " record" : " records") + ": nothing called for protection";
        }
        final List<String> fields = new ArrayList<>();
        applied.forEach((path, method) -> fields.add(path + " " + method));
        final boolean keyed = applied.values().stream().anyMatch(method -> MethodSpec.of(method).needsKey());
        return "Protected " + protectedValues + " values in " + applied.size() + (applied.size() == 1 ? " field" : " fields") + " of " + records
                + (records == 1 ? " record" : " records") + ": " + String.join(", ", fields) + (keyed ? settings.keyNote() : "");
    }

    private Record protectRecord(final Record record, final String prefix, final int depth) {
        final Plan plan = plan(record.getSchema(), prefix, depth);
        final Map<String, Object> values = new LinkedHashMap<>(plan.fields.length * 2);
        for (int i = 0; i < plan.fields.length; i++) {
            final MethodSpec method = plan.methods[i];
            if (method != PER_VALUE && method.method() == ProtectionMethod.DROP) {
                if (record.getValue(plan.fields[i]) != null) {
                    note(plan.paths[i], ProtectionMethod.DROP);
                }
                continue;
            }
            values.put(plan.fields[i].getFieldName(), protectValue(record.getValue(plan.fields[i]), plan.fields[i].getFieldName(), plan.paths[i],
                    method, plan.labels[i], depth + 1));
        }
        return new MapRecord(plan.output, values);
    }

    private Object protectValue(final Object value, final String name, final String path, final MethodSpec method, final SortedSet<String> labels,
                                final int depth) {
        if (value == null || method == CLEAR) {
            return value;
        }
        if (depth > MAX_DEPTH) {
            throw new ProtectionException("Field " + path + " is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value instanceof Record nested) {
            return method != PER_VALUE && !method.rewritesToText() ? apply(path, method, labels, value) : protectRecord(nested, path, depth);
        }
        if (value instanceof Object[] array) {
            final Object[] protectedArray = new Object[array.length];
            for (int i = 0; i < array.length; i++) {
                protectedArray[i] = protectValue(array[i], name, path, method, labels, depth + 1);
            }
            return protectedArray;
        }
        if (value instanceof Map<?, ?> map) {
            final Map<Object, Object> protectedMap = new LinkedHashMap<>();
            map.forEach((key, element) -> protectedMap.put(key, protectValue(element, name, path, method, labels, depth + 1)));
            return protectedMap;
        }
        if (method != PER_VALUE) {
            return apply(path, method, labels, value);
        }
        final String text = value instanceof CharSequence || value instanceof Number ? value.toString() : null;
        final FieldGrade grade = policies.computeIfAbsent(path, p -> settings.classifier().policy(p, name)).grade(text);
        final MethodSpec decided = settings.rules().resolve(path, grade);
        // A value classified on its own cannot leave the schema; DROP writes null, like REDACT
        return decided == null ? value : apply(path, decided, grade.labels(), value);
    }

    private Object apply(final String path, final MethodSpec method, final SortedSet<String> labels, final Object value) {
        note(path, method.method());
        try {
            return settings.protector().protect(path, method, labels, value);
        } catch (final ProtectionException e) {
            throw new ProtectionException("Field " + path + " (record " + records + "): " + e.getMessage());
        }
    }

    private void note(final String path, final ProtectionMethod method) {
        protectedValues++;
        applied.merge(path, method, (a, b) -> a.ordinal() >= b.ordinal() ? a : b);
    }

    private Plan plan(final RecordSchema schema, final String prefix, final int depth) {
        return plans.computeIfAbsent(schema, s -> new HashMap<>()).computeIfAbsent(prefix, p -> newPlan(schema, p, depth));
    }

    @SuppressWarnings("unchecked")
    private Plan newPlan(final RecordSchema schema, final String prefix, final int depth) {
        final List<RecordField> fields = schema.getFields();
        final RecordField[] in = fields.toArray(new RecordField[0]);
        final String[] paths = new String[in.length];
        final MethodSpec[] methods = new MethodSpec[in.length];
        final SortedSet<String>[] labels = new SortedSet[in.length];
        final List<RecordField> out = new ArrayList<>(in.length);
        for (int i = 0; i < in.length; i++) {
            final RecordField field = in[i];
            paths[i] = prefix + "/" + field.getFieldName();
            labels[i] = NO_LABELS;
            if (prefix.isEmpty() && field.getFieldName().equals(settings.gradeField())) {
                methods[i] = CLEAR;
            } else if (settings.rules().forPath(paths[i]) != null) {
                methods[i] = settings.rules().forPath(paths[i]);
            } else if (fieldGrades != null && fieldGrades.get(paths[i]) != null) {
                final FieldGrade grade = fieldGrades.get(paths[i]);
                final MethodSpec resolved = settings.rules().resolve(paths[i], grade);
                methods[i] = resolved == null && !isContainer(field.getDataType()) ? CLEAR : resolved == null ? PER_VALUE : resolved;
                labels[i] = grade.labels();
            } else if (settings.source() == ProtectRecord.FieldGradesSource.ATTRIBUTE && !isContainer(field.getDataType())) {
                throw new IllegalArgumentException("Field " + paths[i] + " is not listed in " + PublicDataAttributes.FIELDS
                        + ", and Field Grades Source is 'Field grades only'");
            } else {
                methods[i] = PER_VALUE;
            }
            if (methods[i] != PER_VALUE && methods[i].method() == ProtectionMethod.DROP) {
                continue;
            }
            out.add(new RecordField(field.getFieldName(), outputType(field.getDataType(), paths[i], methods[i], depth), field.getDefaultValue(),
                    field.getAliases(), true));
        }
        return new Plan(in, paths, methods, labels, new SimpleRecordSchema(out));
    }

    private static boolean isContainer(final DataType type) {
        return type.getFieldType() == RecordFieldType.RECORD || type.getFieldType() == RecordFieldType.ARRAY
                || type.getFieldType() == RecordFieldType.MAP || type.getFieldType() == RecordFieldType.CHOICE;
    }

    /** The type of a field once protected: text where the method writes text, the nested schemas protected. */
    private DataType outputType(final DataType type, final String path, final MethodSpec method, final int depth) {
        if (method == CLEAR || depth > MAX_DEPTH) {
            return type;
        }
        switch (type.getFieldType()) {
            case RECORD -> {
                final RecordSchema child = ((RecordDataType) type).getChildSchema();
                return method != PER_VALUE && !method.rewritesToText() || child == null ? type
                        : RecordFieldType.RECORD.getRecordDataType(plan(child, path, depth + 1).output);
            }
            case ARRAY -> {
                return RecordFieldType.ARRAY.getArrayDataType(outputType(((ArrayDataType) type).getElementType(), path, method, depth + 1));
            }
            case MAP -> {
                return RecordFieldType.MAP.getMapDataType(outputType(((MapDataType) type).getValueType(), path, method, depth + 1));
            }
            case STRING -> {
                return type;
            }
            case CHOICE -> {
                return RecordFieldType.CHOICE.getChoiceDataType(type, RecordFieldType.STRING.getDataType());
            }
            default -> {
                if (method == PER_VALUE) {
                    return RecordFieldType.CHOICE.getChoiceDataType(type, RecordFieldType.STRING.getDataType());
                }
                return method.rewritesToText() ? RecordFieldType.STRING.getDataType() : type;
            }
        }
    }
}
