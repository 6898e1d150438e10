package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Detectors;
import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.protect.FieldCipher;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one walk over the values of NiFi records that every processor uses, so that all of them see the same values at
 * the same {@link FieldPath}s: the fields of a record at {@code parent/name}, the elements of an array at the
 * array's own path (arrays are transparent), the keys and values of a map at {@code map/*} (a key is data, never a
 * path), and a choice as whatever its value is. Nothing is skipped: a value the walk does not understand is handed
 * to the visitor as a value.
 *
 * <p>A walk goes through {@link Node}s, one per place in the record tree, each made once and kept: its path, and
 * what the processor works out once for that place (its {@code info}: a grading policy, a protection method, an
 * access decision). Records are walked through a {@link Layout} per schema and place, so paths and infos are never
 * worked out per record. A walk that changes nothing allocates nothing; a change copies only the containers on
 * the way to it (records are rebuilt by the visitor, see {@link Visitor#record}).</p>
 *
 * <p>One per FlowFile, used by one thread.</p>
 *
 * @param <I> what the processor works out once per place
 */
final class RecordWalker<I> {

    /** Deeper nesting fails the walk: it bounds the work on recursive data. */
    static final int MAX_DEPTH = 64;

    /** Returned by a visitor to take a value out: a record's field, an array's element, a map's entry. */
    static final Object REMOVE = new Object();

    /** Returned by {@link Visitor#container} to walk into the container. */
    static final Object WALK = new Object();

    /** Works out the info of a place, once. */
    @FunctionalInterface
    interface Describer<I> {
        /**
         * @param path   the place
         * @param parent the info of the nearest place above (the record, map or root holding it); null at the root
         */
        I describe(FieldPath path, I parent);
    }

    /** What a walk does at each value. Every method returns the value to keep: the one given, another, or {@link #REMOVE}. */
    interface Visitor<I> {

        /** A non-null value that is no record, array or map. */
        Object value(Node<I> node, Object value);

        /** A map key; the node is the map's entries ({@code map/*}). A key becomes text: a replacement's {@code toString()}. */
        default Object key(final Node<I> node, final String key) {
            return key;
        }

        /**
         * A field name that is data (see {@link Layout#isDataName}), once per record; the node is the record's entries.
         * Unlike map keys, such names are few (they come from the schema): the same name must give the same result for
         * every record, or the records of one schema would not share one. By default, {@link #key}.
         */
        default Object name(final Node<I> node, final String name) {
            return key(node, name);
        }

        /** A record, array or map, before it is walked: {@link #WALK} to walk into it, anything else to replace it whole. */
        default Object container(final Node<I> node, final Object container) {
            return WALK;
        }

        /**
         * A record whose fields were walked: make the record to keep. {@code values} is null when no value changed, else
         * it holds, by the layout's field index, each field's value to keep or {@link #REMOVE}. {@code names} is null when
         * no field name that is data (see {@link Layout#isDataName}) changed, else it holds each field's name to keep. By
         * default an unchanged record is kept, a record with changed values is changed in place, and one with changed
         * names is made anew under the new names (fields whose value or name is REMOVE left out).
         */
        default Object record(final Layout<I> layout, final Record record, final Object[] values, final String[] names) {
            if (names != null) {
                return layout.renamed(record, values, names);
            }
            if (values == null) {
                return record;
            }
            final Record retyped = layout.retyped(values);
            if (retyped != null) {
                return retyped;
            }
            for (int i = 0; i < values.length; i++) {
                record.setValue(layout.field(i), values[i] == REMOVE ? null : values[i]);
            }
            return record;
        }
    }

    /** A place in the record tree: its path, its info, and the places below it. */
    static final class Node<I> {
        private final RecordWalker<I> walker;
        private final FieldPath path;
        private final Node<I> parent;
        private final int depth;
        private I info;
        private boolean described;
        private Node<I> entries;
        private RecordSchema lastSchema;
        private Layout<I> lastLayout;
        private Map<RecordSchema, Layout<I>> layouts;

        private Node(final RecordWalker<I> walker, final FieldPath path, final Node<I> parent, final int depth) {
            this.walker = walker;
            this.path = path;
            this.parent = parent;
            this.depth = depth;
        }

        FieldPath path() {
            return path;
        }

        /** The place holding this one (the record's or map's place); null for the root. */
        Node<I> parent() {
            return parent;
        }

        /** What the processor worked out for this place. */
        I info() {
            if (!described) {
                info = walker.describer.describe(path, parent == null ? null : parent.info());
                described = true;
            }
            return info;
        }

        /** The place of the keys and values of a map here. */
        Node<I> entries() {
            if (entries == null) {
                entries = new Node<>(walker, path.entries(), this, depth + 1);
            }
            return entries;
        }

        /** The fields of a record of this schema here. */
        Layout<I> layout(final RecordSchema schema) {
            if (schema == lastSchema) {
                return lastLayout;
            }
            if (layouts == null) {
                layouts = new IdentityHashMap<>();
            }
            final Layout<I> layout = layouts.computeIfAbsent(schema, s -> new Layout<>(this, s));
            lastSchema = schema;
            lastLayout = layout;
            return layout;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * The fields of one record schema at one place, and the place of each. A field whose name is data (see
     * {@link RecordWalker#isDataName}; an inferred schema makes every JSON object a record, so a map keyed by resident ID
     * numbers arrives as fields named by them) is a key, not a name: its place is the record's entries
     * ({@code /record/*}) and its name is handed to {@link Visitor#name} once per record.
     */
    static final class Layout<I> {
        private final Node<I> node;
        private final RecordSchema schema;
        private final RecordField[] fields;
        private final Node<I>[] children;
        private final boolean[] dataNames;
        private final boolean anyDataName;
        private Object derived;
        private Map<List<String>, RecordSchema> renamedSchemas;

        @SuppressWarnings("unchecked")
        private Layout(final Node<I> node, final RecordSchema schema) {
            this.node = node;
            this.schema = schema;
            final List<RecordField> list = schema.getFields();
            this.fields = list.toArray(new RecordField[0]);
            this.children = new Node[fields.length];
            this.dataNames = new boolean[fields.length];
            boolean any = false;
            for (int i = 0; i < fields.length; i++) {
                final String name = fields[i].getFieldName();
                dataNames[i] = RecordWalker.isDataName(name);
                any |= dataNames[i];
                children[i] = dataNames[i] ? node.entries() : new Node<>(node.walker, node.path.child(name), node, node.depth + 1);
            }
            this.anyDataName = any;
        }

        /** Whether the name of a field is data: it holds an identifier, so the field is an entry of {@code /record/*}. */
        boolean isDataName(final int index) {
            return dataNames[index];
        }

        /**
         * A new record of these values when a record inside them now has another schema (its names changed) than the
         * type of its field says, so that writers see the new names; null when every type still holds.
         */
        Record retyped(final Object[] values) {
            List<RecordField> retyped = null;
            for (int i = 0; i < fields.length; i++) {
                final DataType type = values[i] == REMOVE ? fields[i].getDataType() : typeOf(fields[i].getDataType(), values[i]);
                if (type != fields[i].getDataType() && retyped == null) {
                    retyped = new java.util.ArrayList<>(Arrays.asList(fields).subList(0, i));
                }
                if (retyped != null) {
                    retyped.add(type == fields[i].getDataType() ? fields[i]
                            : new RecordField(fields[i].getFieldName(), type, fields[i].getDefaultValue(), fields[i].getAliases(), fields[i].isNullable()));
                }
            }
            if (retyped == null) {
                return null;
            }
            final Map<String, Object> kept = new LinkedHashMap<>(fields.length * 2);
            for (int i = 0; i < fields.length; i++) {
                kept.put(fields[i].getFieldName(), values[i] == REMOVE ? null : values[i]);
            }
            return new org.apache.nifi.serialization.record.MapRecord(new org.apache.nifi.serialization.SimpleRecordSchema(retyped), kept);
        }

        /** The type a value has when it holds a record of another schema than the declared type; else the declared type. */
        private static DataType typeOf(final DataType declared, final Object value) {
            return switch (value) {
                case Record record when declared instanceof RecordDataType type && type.getChildSchema() != null
                        && !type.getChildSchema().equals(record.getSchema()) -> RecordFieldType.RECORD.getRecordDataType(record.getSchema());
                case Record record when declared instanceof ChoiceDataType choice && choice.getPossibleSubTypes().stream()
                        .noneMatch(option -> option instanceof RecordDataType type && (type.getChildSchema() == null
                                || type.getChildSchema().equals(record.getSchema()))) -> {
                    final List<DataType> options = new java.util.ArrayList<>(choice.getPossibleSubTypes());
                    options.add(RecordFieldType.RECORD.getRecordDataType(record.getSchema()));
                    yield RecordFieldType.CHOICE.getChoiceDataType(options);
                }
                case Object[] array when declared instanceof ArrayDataType type -> {
                    final Object first = Arrays.stream(array).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                    final DataType element = first == null ? type.getElementType() : typeOf(type.getElementType(), first);
                    yield element == type.getElementType() ? declared : RecordFieldType.ARRAY.getArrayDataType(element);
                }
                case Map<?, ?> map when declared instanceof MapDataType type -> {
                    final Object first = map.values().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
                    final DataType valueType = first == null ? type.getValueType() : typeOf(type.getValueType(), first);
                    yield valueType == type.getValueType() ? declared : RecordFieldType.MAP.getMapDataType(valueType);
                }
                case null, default -> declared;
            };
        }

        /** A record like the given one, under new names (REMOVE leaves a field out). */
        Record renamed(final Record record, final Object[] values, final String[] names) {
            final List<String> key = Arrays.asList(names);
            if (renamedSchemas == null) {
                renamedSchemas = new java.util.HashMap<>();
            }
            final RecordSchema renamed = renamedSchemas.computeIfAbsent(key, k -> {
                final List<RecordField> kept = new java.util.ArrayList<>();
                for (int i = 0; i < fields.length; i++) {
                    if (names[i] != null) {
                        kept.add(new RecordField(names[i], fields[i].getDataType(), fields[i].getDefaultValue(), fields[i].isNullable()));
                    }
                }
                return new org.apache.nifi.serialization.SimpleRecordSchema(kept);
            });
            final Map<String, Object> kept = new LinkedHashMap<>(fields.length * 2);
            for (int i = 0; i < fields.length; i++) {
                final Object value = values == null ? record.getValue(fields[i]) : values[i];
                if (names[i] != null && value != REMOVE) {
                    kept.put(names[i], value);
                }
            }
            return new org.apache.nifi.serialization.record.MapRecord(renamed, kept);
        }

        /** The place of the record. */
        Node<I> node() {
            return node;
        }

        RecordSchema schema() {
            return schema;
        }

        int size() {
            return fields.length;
        }

        RecordField field(final int index) {
            return fields[index];
        }

        /** The place of a field. */
        Node<I> child(final int index) {
            return children[index];
        }

        /** Something the processor works out once per layout (e.g. the schema of its output), kept here. */
        @SuppressWarnings("unchecked")
        <T> T derived(final Function<Layout<I>, T> derive) {
            if (derived == null) {
                derived = derive.apply(this);
            }
            return (T) derived;
        }
    }

    private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{64}");

    private final Describer<I> describer;
    private final Node<I> root;

    RecordWalker(final Describer<I> describer) {
        this.describer = describer;
        this.root = new Node<>(this, FieldPath.ROOT, null, 0);
    }

    /**
     * Whether a field name is data rather than a name: it holds an identifier, or is what protection makes of one (a
     * ciphertext, a pseudonym, a mask). Such a name is never written into a path, and is protected and decrypted in place.
     */
    static boolean isDataName(final String name) {
        return Detectors.holdsIdentifier(name) || FieldCipher.isCiphertext(name) || PSEUDONYM.matcher(name).matches() || name.contains("**");
    }

    /** The root record's place. */
    Node<I> root() {
        return root;
    }

    /** The layout of a root record of this schema. */
    Layout<I> layout(final RecordSchema schema) {
        return root.layout(schema);
    }

    /**
     * Walks a root record.
     *
     * @return what the visitor made of it: the same record when nothing changed
     * @throws IllegalArgumentException when the record is nested deeper than {@value #MAX_DEPTH} levels
     */
    Object walk(final Record record, final Visitor<I> visitor) {
        return walkRecord(root.layout(record.getSchema()), record, visitor, 0);
    }

    /**
     * Walks a value found at a place, as a walk from the root would.
     *
     * @return what to keep of it
     */
    Object walk(final Node<I> node, final Object value, final Visitor<I> visitor) {
        return value == null ? null : walkValue(node, value, visitor, 0);
    }

    private Object walkRecord(final Layout<I> layout, final Record record, final Visitor<I> visitor, final int depth) {
        Object[] changed = null;
        final String[] names = layout.anyDataName ? walkNames(layout, visitor) : null;
        for (int i = 0; i < layout.fields.length; i++) {
            final Object value = record.getValue(layout.fields[i]);
            if (value == null) {
                continue;
            }
            // A field whose name (a key) is taken out goes whole: its value is not walked
            final Object kept = names != null && names[i] == null ? REMOVE : walkValue(layout.children[i], value, visitor, depth);
            if (kept != value) {
                if (changed == null) {
                    changed = new Object[layout.fields.length];
                    for (int j = 0; j < i; j++) {
                        changed[j] = record.getValue(layout.fields[j]);
                    }
                }
                changed[i] = kept;
            } else if (changed != null) {
                changed[i] = value;
            }
        }
        return visitor.record(layout, record, changed, names);
    }

    /** Hands the names that are data to the visitor as keys; null when it kept every one, else the names to keep (null for REMOVE). */
    private String[] walkNames(final Layout<I> layout, final Visitor<I> visitor) {
        String[] names = null;
        for (int i = 0; i < layout.fields.length; i++) {
            if (!layout.dataNames[i]) {
                continue;
            }
            final String name = layout.fields[i].getFieldName();
            final Object kept = visitor.name(layout.children[i], name);
            if (kept != name && names == null) {
                names = new String[layout.fields.length];
                for (int j = 0; j < names.length; j++) {
                    names[j] = layout.fields[j].getFieldName();
                }
            }
            if (names != null) {
                names[i] = kept == REMOVE || kept == null ? null : kept.toString();
            }
        }
        if (names != null) {
            final java.util.Set<String> distinct = new java.util.HashSet<>();
            for (final String name : names) {
                if (name != null && !distinct.add(name)) {
                    throw new IllegalArgumentException("Field " + layout.node.path.entries() + ": two field names become the same name once"
                            + " protected; protect them with ENCRYPT or PSEUDONYMIZE");
                }
            }
        }
        return names;
    }

    private Object walkValue(final Node<I> node, final Object value, final Visitor<I> visitor, final int depth) {
        if (value instanceof Record || value instanceof Object[] || value instanceof Map<?, ?> || value instanceof List<?>) {
            if (depth >= MAX_DEPTH) {
                throw new IllegalArgumentException("Field " + node.path + " is nested more than " + MAX_DEPTH + " levels deep");
            }
            final Object replaced = visitor.container(node, value);
            if (replaced != WALK) {
                return replaced;
            }
            return switch (value) {
                case Record record -> walkRecord(node.layout(record.getSchema()), record, visitor, depth + 1);
                case Object[] array -> walkArray(node, array, visitor, depth + 1);
                case List<?> list -> walkArray(node, list.toArray(), visitor, depth + 1);
                case Map<?, ?> map -> walkMap(node.entries(), map, visitor, depth + 1);
                default -> throw new IllegalStateException(value.getClass().getName());
            };
        }
        return visitor.value(node, value);
    }

    private Object walkArray(final Node<I> node, final Object[] array, final Visitor<I> visitor, final int depth) {
        Object[] changed = null;
        int removed = 0;
        for (int i = 0; i < array.length; i++) {
            final Object element = array[i];
            final Object kept = element == null ? null : walkValue(node, element, visitor, depth);
            if (kept != element && changed == null) {
                changed = array.clone();
            }
            if (changed != null) {
                if (kept == REMOVE) {
                    removed++;
                } else {
                    changed[i - removed] = kept;
                }
            }
        }
        if (changed == null) {
            return array;
        }
        return removed == 0 ? changed : Arrays.copyOf(changed, array.length - removed);
    }

    private Object walkMap(final Node<I> entries, final Map<?, ?> map, final Visitor<I> visitor, final int depth) {
        Map<String, Object> changed = null;
        int index = 0;
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            final Object key = entry.getKey();
            final String keyText = key == null ? null : key.toString();
            final Object value = entry.getValue();
            final Object keptKey = keyText == null ? null : visitor.key(entries, keyText);
            // An entry whose key is taken out goes whole: its value is not walked
            final Object keptValue = value == null || keptKey == REMOVE ? value : walkValue(entries, value, visitor, depth);
            if ((keptKey != keyText || keptValue != value || keyText != key) && changed == null) {
                changed = new LinkedHashMap<>();
                int copied = 0;
                for (final Map.Entry<?, ?> earlier : map.entrySet()) {
                    if (copied++ == index) {
                        break;
                    }
                    changed.put(earlier.getKey() == null ? null : earlier.getKey().toString(), earlier.getValue());
                }
            }
            if (changed != null && keptKey != REMOVE && (keptKey != null || keyText == null) && keptValue != REMOVE) {
                final String newKey = keptKey == null ? null : keptKey.toString();
                if (changed.containsKey(newKey)) {
                    throw new IllegalArgumentException("Field " + entries.path + ": two keys of a map become the same key once protected;"
                            + " protect the keys with ENCRYPT or PSEUDONYMIZE");
                }
                changed.put(newKey, keptValue);
            }
            index++;
        }
        return changed == null ? map : changed;
    }

    /**
     * The value at a path of field names only (no map, no wildcard) in a record, through nested records; null when a
     * record on the way is missing. Arrays and maps on the way are refused: they hold many values, not one.
     *
     * @throws IllegalArgumentException when the path leads into an array or a map
     */
    static Object valueAt(final Record record, final FieldPath path) {
        Object value = record;
        final List<String> names = path.fieldNames();
        for (int i = 0; i < names.size(); i++) {
            if (value == null) {
                return null;
            }
            if (!(value instanceof Record nested)) {
                FieldPath at = FieldPath.ROOT;
                for (final String above : names.subList(0, i)) {
                    at = at.child(above);
                }
                throw new IllegalArgumentException("Field " + at + " holds " + kind(value) + ", so " + path + " is not a single value");
            }
            value = nested.getValue(names.get(i));
        }
        return value;
    }

    private static String kind(final Object value) {
        return value instanceof Map ? "a map" : value instanceof Object[] || value instanceof List ? "an array" : "a single value";
    }
}
