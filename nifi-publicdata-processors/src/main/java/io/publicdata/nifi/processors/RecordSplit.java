package io.publicdata.nifi.processors;

import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two children one FlowFile's records may split into, accepted and rejected, each written by its own record
 * writer as records arrive and created when its first record arrives. Nothing is transferred here: the caller
 * transfers the children only after {@link #finish()}, and {@link #discard()}s them on any failure, so that an
 * input is either wholly split or not at all. Used by one thread for one FlowFile.
 */
final class RecordSplit {

    private final ProcessSession session;
    private final FlowFile original;
    private final RecordSetWriterFactory writerFactory;
    private final ComponentLog logger;
    private final Side accepted = new Side();
    private final Side rejected = new Side();

    RecordSplit(final ProcessSession session, final FlowFile original, final RecordSetWriterFactory writerFactory, final ComponentLog logger) {
        this.session = session;
        this.original = original;
        this.writerFactory = writerFactory;
        this.logger = logger;
    }

    Side accepted() {
        return accepted;
    }

    Side rejected() {
        return rejected;
    }

    /** Finishes both record sets; the children are then complete. */
    void finish() throws IOException {
        for (final Side side : List.of(accepted, rejected)) {
            if (side.isOpen()) {
                side.result = side.writer.finishRecordSet();
                side.writer.close();
            }
        }
    }

    /** Removes the children written so far, closing their writers (closing twice does no harm). */
    void discard() {
        for (final Side side : List.of(accepted, rejected)) {
            if (side.isOpen()) {
                try {
                    side.writer.close();
                } catch (final IOException e) {
                    logger.warn("Failed to close a record writer for {}", original, e);
                }
                session.remove(side.flowFile);
                side.flowFile = null;
                side.writer = null;
            }
        }
    }

    /** One of the two children. */
    final class Side {
        private FlowFile flowFile;
        private RecordSetWriter writer;
        private WriteResult result;

        void write(final Record record) throws Exception {
            if (!isOpen()) {
                open(record.getSchema());
            }
            writer.write(record);
        }

        /** Creates the child with a writer for this schema, e.g. to pass on an empty record set. */
        void open(final RecordSchema schema) throws Exception {
            final FlowFile child = session.create(original);
            final OutputStream out = session.write(child);
            try {
                writer = writerFactory.createWriter(logger, writerFactory.getSchema(original.getAttributes(), schema), out, child);
                writer.beginRecordSet();
            } catch (final Exception e) {
                out.close();
                session.remove(child);
                writer = null;
                throw e;
            }
            flowFile = child;
        }

        boolean isOpen() {
            return writer != null;
        }

        FlowFile flowFile() {
            return flowFile;
        }

        /** The writer's attributes, {@code record.count} and {@code mime.type}; after {@link #finish()}. */
        Map<String, String> attributes() {
            final Map<String, String> attributes = new HashMap<>(result.getAttributes());
            attributes.put(PublicDataAttributes.RECORD_COUNT, String.valueOf(result.getRecordCount()));
            attributes.put(CoreAttributes.MIME_TYPE.key(), writer.getMimeType());
            return attributes;
        }
    }
}
