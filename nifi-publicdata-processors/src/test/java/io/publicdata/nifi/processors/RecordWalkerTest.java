package io.publicdata.nifi.processors;

import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordWalkerTest {

    private static final RecordSchema CONTACT = new SimpleRecordSchema(List.of(
            new RecordField("phone", RecordFieldType.STRING.getDataType()),
            new RecordField("a/b", RecordFieldType.STRING.getDataType())));
    private static final RecordSchema PERSON = new SimpleRecordSchema(List.of(
            new RecordField("name", RecordFieldType.STRING.getDataType()),
            new RecordField("contacts", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.RECORD.getRecordDataType(CONTACT))),
            new RecordField("byKey", RecordFieldType.MAP.getMapDataType(RecordFieldType.STRING.getDataType())),
            new RecordField("any", RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.STRING.getDataType(),
                    RecordFieldType.RECORD.getRecordDataType(CONTACT)))));

    private static Record contact(final String phone) {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("phone", phone);
        values.put("a/b", "x");
        return new MapRecord(CONTACT, values);
    }

    private static Record person() {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "张三");
        values.put("contacts", new Object[] {contact("1"), null, contact("2")});
        final Map<String, Object> byKey = new LinkedHashMap<>();
        byKey.put("k1", "v1");
        byKey.put("k2", "v2");
        values.put("byKey", byKey);
        values.put("any", contact("3"));
        return new MapRecord(PERSON, values);
    }

    /** Notes each value and key with its place. */
    private static final class Noting implements RecordWalker.Visitor<String> {
        private final List<String> seen = new ArrayList<>();

        @Override
        public Object value(final RecordWalker.Node<String> node, final Object value) {
            seen.add(node.path() + "=" + value);
            return value;
        }

        @Override
        public Object key(final RecordWalker.Node<String> node, final String key) {
            seen.add(node.path() + " key " + key);
            return key;
        }
    }

    @Test
    void everyValueAndKeyIsSeenAtItsPlace() {
        final RecordWalker<String> walker = new RecordWalker<>((path, parent) -> path.toString());
        final Noting noting = new Noting();
        final Record record = person();
        assertSame(record, walker.walk(record, noting), "a walk that changes nothing keeps the record");
        assertEquals(List.of("/name=张三", "/contacts/phone=1", "/contacts/a\\/b=x", "/contacts/phone=2", "/contacts/a\\/b=x",
                "/byKey/* key k1", "/byKey/*=v1", "/byKey/* key k2", "/byKey/*=v2", "/any/phone=3", "/any/a\\/b=x"), noting.seen);
    }

    @Test
    void placesAreDescribedOnceWithTheirParent() {
        final List<String> described = new ArrayList<>();
        final RecordWalker<String> walker = new RecordWalker<>((path, parent) -> {
            described.add(path + " under " + parent);
            return path.toString();
        });
        final RecordWalker.Visitor<String> infos = (node, value) -> {
            node.info();
            return value;
        };
        walker.walk(person(), infos);
        walker.walk(person(), infos);
        assertEquals(List.of("/ under null", "/name under /", "/contacts under /", "/contacts/phone under /contacts", "/contacts/a\\/b under /contacts",
                "/byKey under /", "/byKey/* under /byKey", "/any under /", "/any/phone under /any", "/any/a\\/b under /any"), described,
                "each place once, its parent first, however many records");
    }

    @Test
    void changesCopyOnlyWhatLeadsToThem() {
        final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
        final Record record = person();
        final Object[] contacts = (Object[]) record.getValue("contacts");
        final Record changed = (Record) walker.walk(record, new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<Void> node, final Object value) {
                return node.path().equals(FieldPath.parse("/contacts/phone")) && value.equals("2") ? RecordWalker.REMOVE
                        : node.path().equals(FieldPath.parse("/byKey/*")) ? value + "!" : value;
            }

            @Override
            public Object key(final RecordWalker.Node<Void> node, final String key) {
                return key.equals("k1") ? RecordWalker.REMOVE : key.toUpperCase();
            }
        });
        assertSame(record, changed, "records change in place by default");
        assertSame(contacts, record.getValue("contacts"), "the array held records that changed in place: it is kept");
        assertEquals(null, ((Record) contacts[2]).getValue("phone"), "a removed record field becomes null by default");
        assertEquals(Map.of("K2", "v2!"), record.getValue("byKey"), "an entry whose key is removed goes whole");
    }

    @Test
    void arrayElementsCanBeRemoved() {
        final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
        final RecordSchema schema = new SimpleRecordSchema(List.of(new RecordField("tags",
                RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.STRING.getDataType()))));
        final Record record = new MapRecord(schema, new LinkedHashMap<>(Map.of("tags", new Object[] {"a", "b", "c"})));
        walker.walk(record, (node, value) -> value.equals("b") ? RecordWalker.REMOVE : value);
        assertArrayEquals(new Object[] {"a", "c"}, (Object[]) record.getValue("tags"));
    }

    @Test
    void keysThatBecomeOneFailTheWalk() {
        final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> walker.walk(person(), new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<Void> node, final Object value) {
                return value;
            }

            @Override
            public Object key(final RecordWalker.Node<Void> node, final String key) {
                return "k*";
            }
        }));
        assertEquals("Field /byKey/*: two keys of a map become the same key once protected; protect the keys with ENCRYPT or PSEUDONYMIZE", e.getMessage());
    }

    @Test
    void nestingIsBounded() {
        final RecordSchema schema = new SimpleRecordSchema(List.of(new RecordField("m",
                RecordFieldType.MAP.getMapDataType(RecordFieldType.STRING.getDataType()))));
        Map<String, Object> deep = new LinkedHashMap<>(Map.of("x", "13800138000"));
        for (int i = 0; i < RecordWalker.MAX_DEPTH + 5; i++) {
            deep = new LinkedHashMap<>(Map.of("x", deep));
        }
        final Record record = new MapRecord(schema, new LinkedHashMap<>(Map.of("m", deep)));
        final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> walker.walk(record, (node, value) -> value));
        assertTrue(e.getMessage().endsWith("is nested more than 64 levels deep"), e.getMessage());
    }

    @Test
    void valueAtFollowsFieldNamesOnly() {
        final Record record = person();
        assertEquals("3", RecordWalker.valueAt(record, FieldPath.parse("/any/phone")));
        assertEquals("x", RecordWalker.valueAt(record, FieldPath.parse("/any/a\\/b")));
        assertEquals(null, RecordWalker.valueAt(record, FieldPath.parse("/missing/phone")));
        assertEquals("Field /contacts holds an array, so /contacts/phone is not a single value", assertThrows(IllegalArgumentException.class,
                () -> RecordWalker.valueAt(record, FieldPath.parse("/contacts/phone"))).getMessage());
    }
}
