package io.publicdata.nifi.processors;

import io.publicdata.nifi.protect.ProtectionException;
import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Base of the processors that turn each record of a FlowFile into one output record (grading, protecting,
 * decrypting). It owns the record loop: the first record is transformed before the writer is created, so
 * the writer gets the transformed schema; the FlowFile fails as a whole, unchanged and with
 * {@code record.error.message}, when anything goes wrong; provenance says what the transform did.
 */
public abstract class AbstractRecordTransformProcessor extends AbstractProcessor {

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the incoming records.")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the outgoing records.")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success")
            .description("FlowFiles whose records were all processed")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("FlowFiles that could not be processed, unchanged, with record.error.message saying why")
            .build();

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);

    /** The work done on one FlowFile: created per FlowFile, used by one thread. */
    protected interface RecordTransform {

        /** Transforms one record; may return the same instance. Messages of exceptions must not hold values. */
        Record apply(Record record);

        /** Attributes to add to the outgoing FlowFile once every record was written. */
        Map<String, String> attributes();

        /** One line for provenance saying what was done, in numbers; never a value. */
        String provenanceDetails();

        /**
         * Called once every record was written, before anything is committed: may still refuse the FlowFile (it then
         * goes to failure unchanged), e.g. when a key has encrypted as many values as it safely can.
         */
        default void finish() {
        }
    }

    /**
     * Prepares the transform of one FlowFile.
     *
     * @throws IllegalArgumentException when the FlowFile cannot be processed (say why; it goes to failure)
     */
    protected abstract RecordTransform createTransform(ProcessContext context, FlowFile flowFile);

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final long started = System.nanoTime();
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final Map<String, String> originalAttributes = flowFile.getAttributes();
        final FlowFile original = flowFile;
        final Map<String, String> attributes = new HashMap<>();
        final RecordTransform transform;
        try {
            transform = createTransform(context, flowFile);
            flowFile = session.write(flowFile, (in, out) -> {
                final RecordReader created;
                try {
                    created = readerFactory.createRecordReader(originalAttributes, new JsonRecordGuard(in), original.getSize(), new SafeComponentLog(getLogger()));
                } catch (final Exception e) {
                    // Schema inference reads records too, and its messages quote what it read
                    throw new RecordFailure("The records could not be read", e);
                }
                try (RecordReader recordReader = created) {
                    final StrictReader reader = new StrictReader(recordReader);
                    Record record = reader.next();
                    final Record first = record == null ? null : apply(transform, record, 1);
                    final RecordSchema schema = writerFactory.getSchema(originalAttributes,
                            first == null ? recordReader.getSchema() : first.getSchema());
                    try (RecordSetWriter writer = writerFactory.createWriter(new SafeComponentLog(getLogger()), schema, out, originalAttributes)) {
                        writer.beginRecordSet();
                        long written = 0;
                        if (first != null) {
                            write(writer, first, ++written);
                            while ((record = reader.next()) != null) {
                                write(writer, apply(transform, record, written + 1), ++written);
                            }
                        }
                        final WriteResult result = writer.finishRecordSet();
                        transform.finish();
                        attributes.putAll(result.getAttributes());
                        attributes.put(PublicDataAttributes.RECORD_COUNT, String.valueOf(result.getRecordCount()));
                        attributes.put(CoreAttributes.MIME_TYPE.key(), writer.getMimeType());
                    }
                } catch (final MalformedRecordException | org.apache.nifi.schema.access.SchemaNotFoundException e) {
                    throw new RecordFailure("The records could not be written", e);
                }
            });
        } catch (final Exception e) {
            // Readers, writers and the JDK quote values in their messages: only what SafeMessages lets through leaves
            final String reason = SafeMessages.reason(e);
            getLogger().error("Failed to process {}: {}; routing to failure", original, reason);
            getLogger().debug("The failure of {} in detail", original, SafeMessages.loggable(e));
            flowFile = session.putAttribute(original, PublicDataAttributes.RECORD_ERROR_MESSAGE, reason);
            session.transfer(flowFile, REL_FAILURE);
            return;
        }
        attributes.putAll(transform.attributes());
        flowFile = session.putAllAttributes(flowFile, attributes);
        session.getProvenanceReporter().modifyContent(flowFile, transform.provenanceDetails(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        session.transfer(flowFile, REL_SUCCESS);
    }

    /** Transforms one record; a failure whose message this project did not write is named with the record number. */
    private static Record apply(final RecordTransform transform, final Record record, final long number) {
        try {
            return transform.apply(record);
        } catch (final ProtectionException | IllegalArgumentException | IllegalStateException e) {
            if (SafeMessages.trusted(e)) {
                throw e;
            }
            throw new RecordFailure("Record " + number + " could not be processed", e);
        } catch (final RuntimeException e) {
            throw new RecordFailure("Record " + number + " could not be processed", e);
        }
    }

    private static void write(final RecordSetWriter writer, final Record record, final long number) {
        try {
            writer.write(WriterRecords.withoutSerializedForm(record));
        } catch (final Exception e) {
            // A writer's message may quote the whole record (MapRecord[{mobile=...}])
            throw new RecordFailure("Record " + number + " could not be written", e);
        }
    }

    /**
     * Reads records keeping the values their schema does not know, and refuses such a record: its extra values
     * (e.g. a CSV line with more columns than the header, or a JSON member an explicit schema lacks) would pass
     * unexamined or be silently lost. Nested records are checked through the {@link RecordWalker}. One per FlowFile.
     */
    private static final class StrictReader {
        private final RecordReader reader;
        private final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
        private final RecordWalker.Visitor<Void> checkNested = new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<Void> node, final Object value) {
                return value;
            }

            @Override
            public Object container(final RecordWalker.Node<Void> node, final Object container) {
                if (container instanceof Record nested) {
                    final String unknown = unknownName(nested);
                    if (unknown != null) {
                        throw new UnknownField(node.path(), unknown);
                    }
                }
                return RecordWalker.WALK;
            }
        };
        private long index;

        StrictReader(final RecordReader reader) {
            this.reader = reader;
        }

        Record next() {
            final Record record;
            try {
                record = reader.nextRecord(true, false);
            } catch (final Exception e) {
                // A reader's message may quote the value it could not read
                throw new RecordFailure("Record " + (index + 1) + " could not be read", e);
            }
            index++;
            if (record != null) {
                UnknownField unknown = null;
                final String name = unknownName(record);
                if (name != null) {
                    unknown = new UnknownField(FieldPath.ROOT, name);
                } else if (walker.layout(record.getSchema()).derived(StrictReader::canNest)) {
                    try {
                        walker.walk(record, checkNested);
                    } catch (final UnknownField e) {
                        unknown = e;
                    }
                }
                if (unknown != null) {
                    throw new RecordFailure("Record " + index + " has a value outside the schema (" + unknown.describe()
                            + "), e.g. a CSV line with more columns than its header", null);
                }
            }
            return record;
        }

        /** The name of a value the record holds whose field its schema lacks; or null. */
        private static String unknownName(final Record record) {
            final RecordSchema schema = record.getSchema();
            for (final String name : record.getRawFieldNames()) {
                if (schema.getField(name).isEmpty()) {
                    return name;
                }
            }
            return null;
        }

        private static boolean canNest(final RecordWalker.Layout<Void> layout) {
            return layout.schema().getFields().stream().anyMatch(field -> canHoldRecord(field.getDataType()));
        }

        private static boolean canHoldRecord(final DataType type) {
            return switch (type) {
                case RecordDataType ignored -> true;
                case ArrayDataType array -> canHoldRecord(array.getElementType());
                case MapDataType map -> canHoldRecord(map.getValueType());
                case ChoiceDataType choice -> choice.getPossibleSubTypes().stream().anyMatch(StrictReader::canHoldRecord);
                default -> false;
            };
        }

        /** Ends a walk at the first value outside its schema. */
        private static final class UnknownField extends RuntimeException {
            private static final Pattern EXTRA_COLUMN = Pattern.compile("unknown_field_index_\\d{1,9}");
            private final transient FieldPath record;
            private final String name;

            UnknownField(final FieldPath record, final String name) {
                super(null, null, false, false);
                this.record = record;
                this.name = name;
            }

            /**
             * Where the value is. The name of a member the schema lacks is data of the input (it may be a key holding an
             * identifier), so it is not named; a reader's name for an extra CSV column is.
             */
            String describe() {
                if (EXTRA_COLUMN.matcher(name).matches()) {
                    return record.child(name).toString();
                }
                return "a member of " + (record.isRoot() ? "the record" : record.toString()) + " that its schema lacks";
            }
        }
    }

    /** A failure at a record (or before any), with a message that names the record and never a value. */
    private static final class RecordFailure extends RuntimeException {
        RecordFailure(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
