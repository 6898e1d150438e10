package io.publicdata.nifi.processors;

import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.SerializedForm;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriterRecordsTest {

    private static final RecordSchema SCHEMA = new SimpleRecordSchema(List.of(
            new RecordField("name", RecordFieldType.STRING.getDataType()),
            new RecordField("amount", RecordFieldType.DOUBLE.getDataType())));

    @Test
    void aRecordLeavesWithItsSchemaAndValuesButWithoutItsReadersSerializedForm() {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "张三");
        values.put("amount", 1.5e3);
        final Record read = new MapRecord(SCHEMA, values, SerializedForm.of("{\"name\":\"张三\",\"amount\":1.5E3}", "application/json"));
        assertTrue(read.getSerializedForm().isPresent());

        final Record written = WriterRecords.withoutSerializedForm(read);
        assertTrue(written.getSerializedForm().isEmpty());
        assertSame(SCHEMA, written.getSchema());
        assertEquals(values, written.toMap());
        assertEquals("张三", written.getAsString("name"));
        assertEquals(1500.0, written.getAsDouble("amount"));
    }

    @Test
    void aRecordWithoutASerializedFormLeavesAsItIs() {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "张三");
        values.put("amount", 1500.0);
        final Record read = new MapRecord(SCHEMA, values, true, true);
        assertTrue(read.getSerializedForm().isEmpty());

        assertSame(read, WriterRecords.withoutSerializedForm(read));
    }
}
