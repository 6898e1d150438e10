package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.AuthorizationMode;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.GrantStatus;
import io.publicdata.nifi.grant.PermittedFields;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermittedFieldFilterTest {

    private static final RecordSchema PHONE = new SimpleRecordSchema(List.of(
            new RecordField("number", RecordFieldType.STRING.getDataType()),
            new RecordField("owner", RecordFieldType.STRING.getDataType())));
    private static final DataType PHONE_TYPE = RecordFieldType.RECORD.getRecordDataType(PHONE);
    private static final RecordSchema PERSON = new SimpleRecordSchema(List.of(
            new RecordField("id", RecordFieldType.LONG.getDataType()),
            new RecordField("idCard", RecordFieldType.STRING.getDataType()),
            new RecordField("phones", RecordFieldType.MAP.getMapDataType(PHONE_TYPE)),
            new RecordField("tags", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.STRING.getDataType())),
            new RecordField("contact", RecordFieldType.CHOICE.getChoiceDataType(PHONE_TYPE, RecordFieldType.STRING.getDataType())),
            new RecordField("_grade", RecordFieldType.STRING.getDataType())));

    private static Record phone(final String number, final String owner) {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("number", number);
        values.put("owner", owner);
        return new MapRecord(PHONE, values);
    }

    private static Record person(final Object contact) {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 7L);
        values.put("idCard", "11010519491231002X");
        final Map<String, Object> phones = new LinkedHashMap<>();
        phones.put("home", phone("010-1", "张三"));
        phones.put("work", null);
        values.put("phones", phones);
        values.put("tags", new Object[] {"a", null});
        values.put("contact", contact);
        values.put("_grade", "L3");
        return new MapRecord(PERSON, values);
    }

    private static PermittedFieldFilter filter(final boolean remove, final String... patterns) {
        return new PermittedFieldFilter(PermittedFields.of(List.of(patterns)), remove, "_grade");
    }

    @Test
    void passesRecordsWhoseFieldsAreAllPermitted() {
        final Record record = person("x");
        final PermittedFieldFilter filter = filter(false, "/id", "/idCard", "/phones", "/tags", "/contact");
        assertSame(record, filter.filter(record), "the grade field always passes");
        assertFalse(filter.removedValues());
    }

    @Test
    void narrowsChoicesAndArrays() {
        final PermittedFieldFilter filter = filter(true, "/id", "/phones/*", "/contact/number", "/tags/x");
        final Record kept = filter.filter(person(phone("139", "李四")));

        assertEquals(List.of("id", "phones", "contact", "_grade"), kept.getSchema().getFieldNames(),
                "idCard is gone from the schema too, and so are tags: strings hold no field /tags/x");
        @SuppressWarnings("unchecked")
        final Map<String, Object> phones = (Map<String, Object>) kept.getValue("phones");
        assertEquals(List.of("number", "owner"), ((Record) phones.get("home")).getSchema().getFieldNames(), "the entries are permitted whole");
        assertNull(phones.get("work"));
        assertTrue(phones.containsKey("work"), "nulls hold nothing and stay");
        assertEquals(List.of("number"), ((Record) kept.getValue("contact")).getSchema().getFieldNames());
        assertNull(kept.getValue("tags"));
        assertEquals(List.of("/idCard", "/tags", "/contact/owner"), filter.outsidePaths());
        assertTrue(filter.removedValues());

        // the same field holding a plain value in a choice: nothing of it is permitted
        final Record plain = filter.filter(person("13912345678"));
        assertNull(plain.getValue("contact"));
        assertTrue(filter.outsidePaths().contains("/contact"));
    }

    @Test
    void mapKeysAreDataThatLeavesOnlyWithTheEntries() {
        // Permitting a field of the map's values does not permit its keys: a key may be the identifier itself
        final PermittedFieldFilter filter = filter(true, "/id", "/phones/*/number");
        final Map<String, Object> values = new LinkedHashMap<>(((MapRecord) person(null)).toMap());
        values.put("phones", Map.of("11010519491231002X", phone("010-1", "张三")));
        final Record kept = filter.filter(new MapRecord(PERSON, values));
        assertEquals(Map.of(), kept.getValue("phones"), "every entry is removed with its key");
        assertTrue(filter.outsidePaths().contains("/phones/*"), filter.outsidePaths().toString());
        assertFalse(filter.outsidePaths().toString().contains("11010519491231002X"), "a key is never named");
    }

    @Test
    void aFieldNamedWithASlashIsNotTheNestedField() {
        final RecordSchema schema = new SimpleRecordSchema(List.of(
                new RecordField("applicant/name", RecordFieldType.STRING.getDataType()),
                new RecordField("applicant", RecordFieldType.RECORD.getRecordDataType(PHONE))));
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("applicant/name", "张三");
        values.put("applicant", phone("13800138000", "李四"));
        final PermittedFieldFilter nested = filter(true, "/applicant/number");
        final Record kept = nested.filter(new MapRecord(schema, values));
        assertEquals(List.of("applicant"), kept.getSchema().getFieldNames());
        assertEquals(List.of("/applicant\\/name", "/applicant/owner"), nested.outsidePaths());

        final PermittedFieldFilter escaped = filter(true, "/applicant\\/name");
        assertEquals(List.of("applicant/name"), escaped.filter(new MapRecord(schema, values)).getSchema().getFieldNames());
        assertEquals(List.of("/applicant"), escaped.outsidePaths());
    }

    @Test
    void deniesInsteadOfRemovingWhenAsked() {
        final PermittedFieldFilter filter = filter(false, "/id", "/phones/*/number", "/tags", "/contact");
        assertNull(filter.filter(person(null)));
        assertEquals(List.of("/idCard", "/phones/*"), filter.outsidePaths());

        final Map<String, Object> values = new LinkedHashMap<>(((MapRecord) person(null)).toMap());
        values.put("idCard", null);
        values.put("phones", Map.of());
        final Record clean = filter.filter(new MapRecord(PERSON, values));
        assertEquals(List.of(), filter.outsidePaths());
        assertFalse(clean.getSchema().getField("idCard").isPresent(), "a null outside the grant passes, but not its field");
    }

    @Test
    void removalsAreCountedOnlyForAuthorizedRecords() {
        final PermittedFieldFilter filter = filter(true, "/id");
        filter.filter(person(null));
        filter.filter(person(null));
        filter.countRemovals();
        assertEquals(1, filter.trimmedRecords());
        assertEquals("/idCard, /phones, /tags", filter.removedPaths());
    }

    @Test
    void valuesAreListedWhenClassificationSawThem() {
        final GradeLadder ladder = GradeLadder.defaultLadder();
        final GrantScope scope = new GrantScope(new Grant("G", null, "x", AuthorizationMode.WHOLE, List.of(), List.of(), List.of("*"), List.of("*"),
                List.of("/id", "/phones"), "L2", Map.of(), OffsetDateTime.parse("2025-01-01T00:00:00Z"),
                OffsetDateTime.parse("2026-01-01T00:00:00Z"), GrantStatus.ACTIVE, null), ladder);
        final PermittedFieldFilter filter = new PermittedFieldFilter(scope.permittedFields(), true, "_grade");
        final Record kept = filter.filter(person(null));
        assertTrue(filter.allValuesListed(kept, new FieldEvidence(scope,
                FieldGrades.fromJson("{\"/id\":{\"grade\":\"L1\"},\"/phones/*\":{\"grade\":\"L2\"},\"/phones/*/number\":{\"grade\":\"L2\"},"
                        + "\"/phones/*/owner\":{\"grade\":\"L3\"}}", ladder), null)));
        assertFalse(filter.allValuesListed(kept, new FieldEvidence(scope,
                FieldGrades.fromJson("{\"/id\":{\"grade\":\"L1\"},\"/phones/*/number\":{\"grade\":\"L2\"}}", ladder), null)),
                "the owners and the keys were not seen by classification");
    }
}
