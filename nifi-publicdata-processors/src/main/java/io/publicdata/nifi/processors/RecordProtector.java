package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.FieldPolicy;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.protect.FieldCipher;
import io.publicdata.nifi.protect.FormatPreservingCipher;
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
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Protects the records of one FlowFile for ProtectRecord, walking them with the {@link RecordWalker}. Each place's
 * method is decided once where it can be (a Field Methods path, or the field grades ClassifyRecord wrote); a place
 * those do not cover is classified value by value, so a sensitive value is never passed in clear because nobody
 * graded its field. Map keys are data: a key is classified on its own (or takes the method Field Methods name for
 * the map's entries) and protected in place. Fields whose values become text change type to string; a field
 * classified value by value may hold either, so its type becomes a choice of its own type and string; dropped fields
 * leave the schema. One per FlowFile, one thread.
 *
 * <p>FPE is applied only where a place's method is decided once for all its values, so that every value
 * {@code publicdata.protected} lists as FPE was FPE'd and DecryptRecord can reverse exactly those: a value (or a key)
 * whose own classification calls for FPE is encrypted instead (ENCRYPT), which DecryptRecord recognises by its form.</p>
 */
final class RecordProtector {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SortedSet<String> NO_LABELS = Collections.unmodifiableSortedSet(new TreeSet<>());
    private static final MethodSpec ENCRYPT = MethodSpec.of(ProtectionMethod.ENCRYPT);

    private final ProtectRecord.Settings settings;
    private final FieldGrades fieldGrades;
    private final String ciphertextContext;
    private String recordKey;
    private long encrypted;
    private final RecordWalker<Place> walker;
    private final RecordWalker.Visitor<Place> visitor = new Protecting();
    /** Every place described so far: what was done at each is kept on it. */
    private final List<Place> places = new ArrayList<>();
    /** Protected field names that are data, by place and name: bounded by the schemas' fields. */
    private final Map<String, Object> protectedNames = new HashMap<>();
    private long records;
    private long protectedValues;

    /** How a place's values are protected. */
    private enum Decision {
        /** Every value with the place's method. */
        FIXED,
        /** Each value by its own classification: the place is covered by neither Field Methods nor field grades. */
        PER_VALUE,
        /** Left in clear. */
        CLEAR
    }

    /** What is decided for one place, once. */
    private static final class Place {
        private final FieldPath path;
        private final Decision decision;
        private final MethodSpec method;
        private final SortedSet<String> labels;
        /** Whether the place lies under a configured path or field grades but is itself unlisted (Field grades only). */
        private final boolean unlisted;
        /**
         * Whether Field Methods name the method (for this place or one above it): it then applies to all of a record, array
         * or map here, not only to the values field grades would have it protect.
         */
        private boolean named;
        private FieldPolicy policy;
        /** The methods applied to values or keys here; null while none was. */
        private EnumSet<ProtectionMethod> applied;
        /** Whether a non-null value or key here was left in clear. */
        private boolean clear;

        Place(final FieldPath path, final Decision decision, final MethodSpec method, final SortedSet<String> labels, final boolean unlisted) {
            this.path = path;
            this.decision = decision;
            this.method = method;
            this.labels = labels;
            this.unlisted = unlisted;
        }

        boolean drops() {
            return decision == Decision.FIXED && method.method() == ProtectionMethod.DROP;
        }
    }

    /** @param ciphertextContext what ENCRYPT and FPE values are bound to besides their path (the Ciphertext Context) */
    RecordProtector(final ProtectRecord.Settings settings, final FieldGrades fieldGrades, final String ciphertextContext) {
        this.settings = settings;
        this.fieldGrades = fieldGrades;
        this.ciphertextContext = ciphertextContext;
        final FieldPath gradeField = settings.gradeField() == null ? null : FieldPath.ROOT.child(settings.gradeField());
        this.walker = new RecordWalker<>((path, parent) -> {
            final Place place = describe(path, parent, gradeField);
            places.add(place);
            return place;
        });
    }

    private Place describe(final FieldPath path, final Place parent, final FieldPath gradeField) {
        if (path.isRoot() || path.equals(gradeField)) {
            return new Place(path, Decision.CLEAR, null, NO_LABELS, false);
        }
        final MethodSpec own = settings.rules().forPath(path);
        // A method Field Methods name for a record, array or map applies to every value inside it (MASK, REDACT)
        final MethodSpec configured = own != null ? own : parent != null && parent.named ? parent.method : null;
        final FieldGrade grade = fieldGrades == null ? null : fieldGrades.get(path);
        if (configured != null) {
            // The labels choose the masking: those classification found, and those rules and name hints give the place
            final SortedSet<String> labels = new TreeSet<>(settings.classifier().policy(path).grade(null).labels());
            if (grade != null) {
                labels.addAll(grade.labels());
            }
            final Place place = new Place(path, Decision.FIXED, configured, labels, false);
            place.named = true;
            return place;
        }
        if (grade != null) {
            final MethodSpec resolved = settings.rules().resolve(path, grade);
            return resolved == null ? new Place(path, Decision.CLEAR, null, grade.labels(), false)
                    : new Place(path, Decision.FIXED, resolved, grade.labels(), false);
        }
        return new Place(path, Decision.PER_VALUE, null, NO_LABELS, settings.source() == ProtectRecord.FieldGradesSource.ATTRIBUTE);
    }

    /** @param recordKey the record's value in the Record Key Field, bound into its ciphertexts; null when none is configured */
    Record protect(final Record record, final String recordKey) {
        records++;
        this.recordKey = recordKey;
        return (Record) walker.walk(record, visitor);
    }

    /** How many values were encrypted (ENCRYPT), each with a fresh random nonce under the active key. */
    long encryptedValues() {
        return encrypted;
    }

    /**
     * The publicdata.protected attribute: field path → the method every value (and key) there got. Where values got
     * different methods, an object: {@code method} the weakest of them, or {@link FieldEvidence#PARTIAL} when some were
     * left in clear, and {@code methods} those applied. FPE entries name the cipher's key id and version.
     */
    String protectedFieldsJson() {
        final ObjectNode json = MAPPER.createObjectNode();
        applied().forEach((path, place) -> {
            final EnumSet<ProtectionMethod> methods = place.applied;
            final boolean fpe = methods.contains(ProtectionMethod.FPE);
            if (methods.size() == 1 && !place.clear && !fpe) {
                json.put(path.toString(), methods.iterator().next().name());
                return;
            }
            final ObjectNode entry = json.putObject(path.toString());
            entry.put("method", place.clear ? FieldEvidence.PARTIAL : weakest(methods).name());
            if (methods.size() > 1 || place.clear) {
                final ArrayNode applied = entry.putArray("methods");
                methods.forEach(method -> applied.add(method.name()));
            }
            if (fpe) {
                entry.put("keyId", settings.protector().fpe().keyId()).put("version", FormatPreservingCipher.VERSION);
            }
        });
        return json.toString();
    }

    /** The places where something was protected, by path. */
    private Map<FieldPath, Place> applied() {
        final Map<FieldPath, Place> applied = new TreeMap<>();
        for (final Place place : places) {
            if (place.applied != null) {
                applied.put(place.path, place);
            }
        }
        return applied;
    }

    private static ProtectionMethod weakest(final EnumSet<ProtectionMethod> methods) {
        return methods.stream().min(java.util.Comparator.comparingInt(method -> MethodSpec.of(method).strength())).orElseThrow();
    }

    /** One line for provenance: what was protected and how, in numbers and field paths, never values. */
    String describe() {
        final Map<FieldPath, Place> applied = applied();
        if (applied.isEmpty()) {
            return "Protected no field of " + records + (records == 1 ? " record" : " records") + ": nothing called for protection";
        }
        final List<String> fields = new ArrayList<>();
        applied.forEach((path, place) -> fields.add(path + " " + String.join("+", place.applied.stream().map(Enum::name).toList())
                + (place.clear ? " (some values in clear)" : "")));
        final boolean keyed = applied.values().stream().anyMatch(place -> place.applied.stream().anyMatch(method -> MethodSpec.of(method).needsKey()));
        return "Protected " + protectedValues + " values in " + applied.size() + (applied.size() == 1 ? " field" : " fields") + " of " + records
                + (records == 1 ? " record" : " records") + ": " + String.join(", ", fields) + (keyed ? settings.keyNote() : "");
    }

    /** What the walk does at each value. */
    private final class Protecting implements RecordWalker.Visitor<Place> {

        @Override
        public Object value(final RecordWalker.Node<Place> node, final Object value) {
            final Place place = node.info();
            return switch (place.decision) {
                case CLEAR -> {
                    place.clear = true;
                    yield value;
                }
                case FIXED -> place.drops() ? drop(place) : apply(place, place.method, place.labels, value);
                case PER_VALUE -> perValue(place, value, false);
            };
        }

        @Override
        public Object key(final RecordWalker.Node<Place> node, final String key) {
            return keyOf(node.info(), key);
        }

        @Override
        public Object name(final RecordWalker.Node<Place> node, final String name) {
            return protectedName(node.info(), name);
        }

        @Override
        public Object container(final RecordWalker.Node<Place> node, final Object container) {
            final Place place = node.info();
            if (place.decision == Decision.FIXED && !place.method.rewritesToText()) {
                // REDACT and DROP take a record, an array or a map whole
                note(place, place.method.method());
                return place.drops() ? RecordWalker.REMOVE : null;
            }
            if (place.named) {
                return switch (place.method.method()) {
                    // The whole record, array or map as one value: its JSON, members sorted, encrypted or pseudonymised
                    case ENCRYPT, PSEUDONYMIZE -> apply(place, place.method, place.labels, ContainerJson.of(container));
                    case FPE, GENERALIZE -> throw new ProtectionException("Field Methods: " + place.method.method() + " cannot protect " + place.path
                            + ", which holds " + ContainerJson.kind(container) + "; use ENCRYPT, PSEUDONYMIZE, MASK, REDACT or DROP for it");
                    // MASK: every value inside, each with its own labels' convention
                    default -> RecordWalker.WALK;
                };
            }
            return RecordWalker.WALK;
        }

        @Override
        public Object record(final RecordWalker.Layout<Place> layout, final Record record, final Object[] values, final String[] names) {
            final RecordSchema output = outputSchema(layout);
            if (values == null && names == null && output == layout.schema()) {
                return record;
            }
            final Map<String, Object> kept = new LinkedHashMap<>(layout.size() * 2);
            for (int i = 0; i < layout.size(); i++) {
                final Object value = values == null ? record.getValue(layout.field(i)) : values[i];
                final String name = names == null ? layout.field(i).getFieldName() : names[i];
                if (name != null && !layout.child(i).info().drops() && value != RecordWalker.REMOVE) {
                    kept.put(name, value);
                }
            }
            return new MapRecord(output, kept);
        }
    }

    /**
     * The protected form of a field name that is data (the same for every record of the FlowFile, so that records of
     * one schema keep one schema): as a key of the place, worked out once per name.
     */
    private Object protectedName(final Place place, final String name) {
        return protectedNames.computeIfAbsent(place.path.toString() + '\u0000' + name, k -> keyOf(place, name));
    }

    private Object keyOf(final Place place, final String key) {
        if (place.decision == Decision.FIXED && place.named) {
            // Field Methods name the entries: their keys with them (FPE cannot be told apart from a clear key)
            // A key cannot be null: REDACT takes the entry out, as DROP does
            return !place.method.rewritesToText() ? drop(place)
                    : apply(place, place.method.method() == ProtectionMethod.FPE ? ENCRYPT : place.method, place.labels, key);
        }
        return perValue(place, key, true);
    }

    /** A value (or key) of a place covered by neither Field Methods nor field grades, protected by its own classification. */
    private Object perValue(final Place place, final Object value, final boolean key) {
        if (place.unlisted) {
            throw new IllegalArgumentException("Field " + place.path + " is not listed in " + PublicDataAttributes.FIELDS
                    + ", and Field Grades Source is 'Field grades only'");
        }
        final String text = value instanceof CharSequence || value instanceof Number ? value.toString() : null;
        FieldPolicy policy = place.policy;
        if (policy == null) {
            policy = settings.classifier().policy(place.path);
            place.policy = policy;
        }
        final FieldGrade grade = policy.grade(text);
        MethodSpec decided = settings.rules().resolve(place.path, grade);
        if (decided == null) {
            place.clear = true;
            return value;
        }
        if (decided.method() == ProtectionMethod.FPE) {
            // FPE leaves no mark; only a method decided for the whole place may use it (see the class comment)
            decided = ENCRYPT;
        }
        if (key && !decided.rewritesToText()) {
            // A key cannot be null: REDACT takes the entry out, as DROP does
            return drop(place);
        }
        // A value classified on its own cannot leave the schema; DROP writes null, like REDACT
        return apply(place, decided, grade.labels(), value);
    }

    private Object drop(final Place place) {
        note(place, ProtectionMethod.DROP);
        return RecordWalker.REMOVE;
    }

    private Object apply(final Place place, final MethodSpec method, final SortedSet<String> labels, final Object value) {
        final FieldPath path = place.path;
        note(place, method.method());
        try {
            final String result = settings.protector().protect(new FieldCipher.Binding(path.toString(), ciphertextContext, recordKey), method, labels, value);
            if (method.method() == ProtectionMethod.ENCRYPT) {
                encrypted++;
            }
            return result;
        } catch (final RuntimeException e) {
            // Ours name the cause; anything else (a date parser, a number format) is named by its type alone
            throw new ProtectionException("Field " + path + " (record " + records + "): " + SafeMessages.reason(e));
        }
    }

    private void note(final Place place, final ProtectionMethod method) {
        protectedValues++;
        if (place.applied == null) {
            place.applied = EnumSet.of(method);
        } else {
            place.applied.add(method);
        }
    }

    /** The schema of the protected records of a layout: dropped fields out, types of rewritten fields widened to text. */
    private RecordSchema outputSchema(final RecordWalker.Layout<Place> layout) {
        return layout.derived(this::newOutputSchema);
    }

    private RecordSchema newOutputSchema(final RecordWalker.Layout<Place> layout) {
        final List<RecordField> out = new ArrayList<>(layout.size());
        boolean same = true;
        for (int i = 0; i < layout.size(); i++) {
            final RecordField field = layout.field(i);
            final RecordWalker.Node<Place> node = layout.child(i);
            final Object name = layout.isDataName(i) ? protectedName(node.info(), field.getFieldName()) : field.getFieldName();
            if (node.info().drops() || name == RecordWalker.REMOVE || name == null) {
                same = false;
                continue;
            }
            final DataType type = outputType(field.getDataType(), node, 0);
            same &= type == field.getDataType() && field.isNullable() && name.equals(field.getFieldName());
            out.add(new RecordField(name.toString(), type, field.getDefaultValue(), field.getAliases(), true));
        }
        return same ? layout.schema() : new SimpleRecordSchema(out);
    }

    /** The type of a value at a place once protected: text where the method writes text, the nested schemas protected. */
    private DataType outputType(final DataType type, final RecordWalker.Node<Place> node, final int depth) {
        final Place place = node.info();
        if (place.decision == Decision.CLEAR && !isContainer(type) || depth > RecordWalker.MAX_DEPTH) {
            return type;
        }
        if (place.named && isContainer(type) && (place.method.method() == ProtectionMethod.ENCRYPT
                || place.method.method() == ProtectionMethod.PSEUDONYMIZE)) {
            return type.getFieldType() == RecordFieldType.CHOICE ? RecordFieldType.CHOICE.getChoiceDataType(type, RecordFieldType.STRING.getDataType())
                    : RecordFieldType.STRING.getDataType();
        }
        switch (type.getFieldType()) {
            case RECORD -> {
                final RecordSchema child = ((RecordDataType) type).getChildSchema();
                if (child == null || place.decision == Decision.FIXED && !place.method.rewritesToText()) {
                    return type;
                }
                final RecordSchema output = outputSchema(node.layout(child));
                return output == child ? type : RecordFieldType.RECORD.getRecordDataType(output);
            }
            case ARRAY -> {
                final DataType element = outputType(((ArrayDataType) type).getElementType(), node, depth + 1);
                return element == ((ArrayDataType) type).getElementType() ? type : RecordFieldType.ARRAY.getArrayDataType(element);
            }
            case MAP -> {
                final DataType value = outputType(((MapDataType) type).getValueType(), node.entries(), depth + 1);
                return value == ((MapDataType) type).getValueType() ? type : RecordFieldType.MAP.getMapDataType(value);
            }
            case STRING -> {
                return type;
            }
            case CHOICE -> {
                // Each option protected as a value of its type would be (records under their protected schemas), nested
                // choices flattened, and text last: writers take the first option a value fits, and every value fits text
                final List<DataType> declared = ((ChoiceDataType) type).getPossibleSubTypes();
                final List<DataType> options = new ArrayList<>(declared.size() + 1);
                boolean text = place.decision != Decision.CLEAR;
                for (final DataType option : declared) {
                    final DataType output = outputType(option, node, depth + 1);
                    for (final DataType flat : output instanceof ChoiceDataType nested ? nested.getPossibleSubTypes() : List.of(output)) {
                        if (flat.getFieldType() == RecordFieldType.STRING) {
                            text = true;
                        } else if (!options.contains(flat)) {
                            options.add(flat);
                        }
                    }
                }
                if (text) {
                    options.add(RecordFieldType.STRING.getDataType());
                }
                return options.equals(declared) ? type : RecordFieldType.CHOICE.getChoiceDataType(options);
            }
            default -> {
                if (place.decision == Decision.PER_VALUE) {
                    return RecordFieldType.CHOICE.getChoiceDataType(type, RecordFieldType.STRING.getDataType());
                }
                return place.method.rewritesToText() ? RecordFieldType.STRING.getDataType() : type;
            }
        }
    }

    private static boolean isContainer(final DataType type) {
        return type.getFieldType() == RecordFieldType.RECORD || type.getFieldType() == RecordFieldType.ARRAY
                || type.getFieldType() == RecordFieldType.MAP || type.getFieldType() == RecordFieldType.CHOICE;
    }
}
