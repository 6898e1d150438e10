package io.publicdata.nifi.processors;

import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;

/** Records as the processors hand them to a record writer. */
final class WriterRecords {

    private WriterRecords() {
    }

    /**
     * The record without the serialized form its reader may have kept. Before copying a serialized form, NiFi's JSON
     * writer checks it: it serialises the reader's tree into a string and scans all of it with a regular expression for
     * scientific notation, and writes the fields anyway when that finds something. That costs more than writing the
     * fields, so records leave the processors without it (nested records keep theirs). The values are shared, not copied.
     * A record that has none (e.g. one a CSV reader made) is passed as it is: a copy would only cost a record per record.
     */
    static Record withoutSerializedForm(final Record record) {
        return record instanceof MapRecord && record.getSerializedForm().isPresent()
                ? new MapRecord(record.getSchema(), record.toMap(), false, false) : record;
    }
}
