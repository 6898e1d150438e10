package io.publicdata.nifi.processors;

import io.publicdata.nifi.risk.EquivalenceClasses;
import io.publicdata.nifi.risk.RiskReport;
import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.components.DescribedValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

@SideEffectFree
@SupportsBatching
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"risk", "k-anonymity", "l-diversity", "re-identification", "disclosure", "quasi-identifier", "public data", "China",
        "风险评估", "数据汇聚关联风险", "去标识化", "匿名化", "公共数据"})
@CapabilityDescription("Measures the re-identification risk of a data set before it is released (风险评估, 数据汇聚关联风险): records that share "
        + "the same quasi-identifier values (e.g. district, birth year, gender) form an equivalence class; the smallest class is the "
        + "data set's k-anonymity, and the fewest distinct values of a sensitive field in a class its l-diversity. A FlowFile whose "
        + "classes all reach Minimum K (and Minimum L) goes to 'acceptable', else to 'risky'; or, with Risk Action SUPPRESS, the "
        + "records of classes below the thresholds are split off to 'risky' and the rest go to 'acceptable'. Reads the FlowFile twice "
        + "when it suppresses; holds one counter per distinct class (bounded by Maximum Classes).")
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.RISK_K, description = "Size of the smallest equivalence class (k-anonymity) of the input"),
    @WritesAttribute(attribute = AssessDisclosureRisk.RISK_L, description = "Fewest distinct sensitive values in a class (l-diversity), when a Sensitive Field is set"),
    @WritesAttribute(attribute = AssessDisclosureRisk.RISK_CLASSES, description = "Number of equivalence classes of the input"),
    @WritesAttribute(attribute = AssessDisclosureRisk.RISK_AT_RISK, description = "Records in classes below the thresholds"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Records written, on split FlowFiles"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure")
})
@SeeAlso({ClassifyRecord.class, EnforceGrantScope.class})
@UseCase(
    description = "Check that an open-data release is at least 5-anonymous over district, birth year and gender before publishing it.",
    keywords = {"k-anonymity", "open data", "release", "有序开放", "风险评估"},
    configuration = """
        Set "Record Reader" and "Record Writer". Set "Quasi-Identifiers" to `/district, /birthYear, /gender` and "Minimum K" to `5`.
        Keep "Risk Action" at ROUTE. Connect 'acceptable' to the publication step and 'risky' to a review queue; generalise the
        quasi-identifiers further (e.g. birth date to year) upstream until releases pass.
        """
)
@UseCase(
    description = "Release only the records that are hidden in a crowd: suppress equivalence classes smaller than k.",
    keywords = {"suppression", "k-anonymity", "去标识化"},
    configuration = """
        Set "Quasi-Identifiers" to the linkable fields, "Minimum K" to e.g. `10`, "Risk Action" to SUPPRESS.
        Records of classes below k go to 'risky' (keep or review them; they are not released), the others to 'acceptable'.
        """
)
public class AssessDisclosureRisk extends AbstractProcessor {

    static final String RISK_L = "publicdata.risk.l";
    static final String RISK_CLASSES = "publicdata.risk.classes";
    static final String RISK_AT_RISK = "publicdata.risk.records.at.risk";

    /** What happens when some classes are below the thresholds. */
    public enum RiskAction implements DescribedValue {
        ROUTE("Route the whole FlowFile", "The FlowFile goes, unchanged, to 'acceptable' when every class meets the thresholds, else to 'risky'."),
        SUPPRESS("Suppress risky classes", "Records of classes below the thresholds go to 'risky'; the others to 'acceptable'.");

        private final String displayName;
        private final String description;

        RiskAction(final String displayName, final String description) {
            this.displayName = displayName;
            this.description = description;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return displayName;
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    private static final Validator FIELD_PATHS = (subject, input, context) -> {
        final String problem = pathProblem(input);
        return new ValidationResult.Builder().subject(subject).input(input).valid(problem == null).explanation(problem).build();
    };

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(AbstractRecordTransformProcessor.RECORD_READER)
            .build();

    public static final PropertyDescriptor QUASI_IDENTIFIERS = new PropertyDescriptor.Builder()
            .name("Quasi-Identifiers")
            .description("Comma-separated field paths (准标识符) whose values together may single a person out when linked with other "
                    + "data, e.g. /district, /birthYear, /gender. Values must be scalars; a missing value counts as its own value.")
            .required(true)
            .addValidator(FIELD_PATHS)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor SENSITIVE_FIELD = new PropertyDescriptor.Builder()
            .name("Sensitive Field")
            .description("Field path of the sensitive value (e.g. /diagnosis) whose diversity within each class is measured (l-diversity); "
                    + "empty to measure k only.")
            .required(false)
            .addValidator(FIELD_PATHS)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor MINIMUM_K = new PropertyDescriptor.Builder()
            .name("Minimum K")
            .description("Smallest acceptable equivalence class.")
            .required(true)
            .defaultValue("5")
            .addValidator(StandardValidators.createLongValidator(1, Integer.MAX_VALUE, true))
            .build();

    public static final PropertyDescriptor MINIMUM_L = new PropertyDescriptor.Builder()
            .name("Minimum L")
            .description("Fewest acceptable distinct sensitive values in a class.")
            .required(true)
            .defaultValue("2")
            .addValidator(StandardValidators.createLongValidator(1, 1_000, true))
            .dependsOn(SENSITIVE_FIELD)
            .build();

    public static final PropertyDescriptor RISK_ACTION = new PropertyDescriptor.Builder()
            .name("Risk Action")
            .description("What to do when some classes are below the thresholds.")
            .required(true)
            .allowableValues(RiskAction.class)
            .defaultValue(RiskAction.ROUTE)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(AbstractRecordTransformProcessor.RECORD_WRITER)
            .description("Writes the split FlowFiles when Risk Action is SUPPRESS.")
            .dependsOn(RISK_ACTION, RiskAction.SUPPRESS)
            .build();

    public static final PropertyDescriptor MAXIMUM_CLASSES = new PropertyDescriptor.Builder()
            .name("Maximum Classes")
            .description("Most distinct equivalence classes held in memory for one FlowFile; a FlowFile with more goes to failure.")
            .required(true)
            .defaultValue("1000000")
            .addValidator(StandardValidators.createLongValidator(1, Integer.MAX_VALUE, true))
            .build();

    public static final Relationship REL_ACCEPTABLE = new Relationship.Builder()
            .name("acceptable")
            .description("Records whose equivalence classes meet the thresholds")
            .build();

    public static final Relationship REL_RISKY = new Relationship.Builder()
            .name("risky")
            .description("The whole FlowFile (ROUTE) or the records of classes below the thresholds (SUPPRESS)")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("FlowFiles that could not be assessed, unchanged, with record.error.message saying why")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, QUASI_IDENTIFIERS, SENSITIVE_FIELD,
            MINIMUM_K, MINIMUM_L, RISK_ACTION, MAXIMUM_CLASSES);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_ACCEPTABLE, REL_RISKY, REL_FAILURE);

    /** Everything worked out when the processor starts: immutable, shared by all tasks. */
    private record Settings(List<FieldPath> quasiIdentifiers, FieldPath sensitive, int k, int l, boolean suppress, int maxClasses) {
    }

    private volatile Settings settings;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) {
        final String sensitive = context.getProperty(SENSITIVE_FIELD).getValue();
        settings = new Settings(
                FieldPath.parseList(context.getProperty(QUASI_IDENTIFIERS).getValue()),
                sensitive == null ? null : FieldPath.parse(sensitive.strip()),
                context.getProperty(MINIMUM_K).asInteger(),
                sensitive == null ? 0 : context.getProperty(MINIMUM_L).asInteger(),
                context.getProperty(RISK_ACTION).asAllowableValue(RiskAction.class) == RiskAction.SUPPRESS,
                context.getProperty(MAXIMUM_CLASSES).asInteger());
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final long started = System.nanoTime();
        final Settings config = settings;
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final EquivalenceClasses classes = new EquivalenceClasses(config.maxClasses);
        final RecordSplit split = new RecordSplit(session, flowFile, context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class),
                new SafeComponentLog(getLogger()));
        final RiskReport report;
        try {
            final PathCheck paths = new PathCheck(config);
            readRecords(session, flowFile, readerFactory, record -> {
                paths.check(record);
                classes.add(quasiIdentifiers(record, config), sensitive(record, config));
            });
            report = classes.report(config.k, config.l);
            if (config.suppress && !report.acceptable()) {
                readRecords(session, flowFile, readerFactory, record -> {
                    final RecordSplit.Side side = classes.meets(quasiIdentifiers(record, config), config.k, config.l) ? split.accepted() : split.rejected();
                    side.write(record);
                });
                split.finish();
            }
        } catch (final Exception e) {
            split.discard();
            final String reason = SafeMessages.reason(e);
            getLogger().error("Failed to assess the disclosure risk of {}: {}; routing to failure", flowFile, reason);
            flowFile = session.putAttribute(flowFile, PublicDataAttributes.RECORD_ERROR_MESSAGE, reason);
            session.transfer(flowFile, REL_FAILURE);
            return;
        }

        final Map<String, String> attributes = new HashMap<>();
        attributes.put(PublicDataAttributes.RISK_K, String.valueOf(report.k()));
        if (config.sensitive != null) {
            attributes.put(RISK_L, String.valueOf(report.l()));
        }
        attributes.put(RISK_CLASSES, String.valueOf(report.classes()));
        attributes.put(RISK_AT_RISK, String.valueOf(report.recordsAtRisk()));
        final String details = report.describe(config.k, config.sensitive == null ? 0 : config.l);
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (!config.suppress || report.acceptable()) {
            flowFile = session.putAllAttributes(flowFile, attributes);
            final Relationship route = report.acceptable() ? REL_ACCEPTABLE : REL_RISKY;
            session.getProvenanceReporter().route(flowFile, route, details, millis);
            session.transfer(flowFile, route);
            return;
        }
        final List<FlowFile> children = new ArrayList<>();
        for (final RecordSplit.Side side : List.of(split.accepted(), split.rejected())) {
            if (side.isOpen()) {
                final Map<String, String> childAttributes = new HashMap<>(attributes);
                childAttributes.putAll(side.attributes());
                final FlowFile child = session.putAllAttributes(side.flowFile(), childAttributes);
                children.add(child);
                session.transfer(child, side == split.accepted() ? REL_ACCEPTABLE : REL_RISKY);
            }
        }
        session.getProvenanceReporter().fork(flowFile, children, details + "; those records suppressed to 'risky'", millis);
        session.remove(flowFile);
    }

    /**
     * Fails closed on a path that names no field: a misspelt quasi-identifier would make every record one class (a
     * three-record set with k=1 reported as k=3). Each path must be a field of every record's schema, level by level; a
     * field that is there but null in a record is a class of its own, as it should be. Checked once per schema.
     */
    private static final class PathCheck {
        private final Settings config;
        private final Set<RecordSchema> checked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private long records;

        PathCheck(final Settings config) {
            this.config = config;
        }

        void check(final Record record) {
            records++;
            if (!checked.add(record.getSchema())) {
                return;
            }
            for (final FieldPath path : config.quasiIdentifiers) {
                if (!names(record.getSchema(), path.fieldNames())) {
                    throw new IllegalArgumentException("Quasi-identifier " + path + " names no field of record " + records
                            + "; a path that names nothing would put every record in one class, so nothing is assessed (paths match field names exactly)");
                }
            }
            if (config.sensitive != null && !names(record.getSchema(), config.sensitive.fieldNames())) {
                throw new IllegalArgumentException("Sensitive Field " + config.sensitive + " names no field of record " + records
                        + "; l-diversity over nothing would be meaningless, so nothing is assessed (paths match field names exactly)");
            }
        }

        /** Whether the schema has the first name as a field and, below it, a record schema (or a choice of one) with the rest. */
        private static boolean names(final RecordSchema schema, final List<String> names) {
            final Optional<RecordField> field = schema.getField(names.getFirst());
            if (field.isEmpty()) {
                return false;
            }
            return names.size() == 1 || holds(field.get().getDataType(), names.subList(1, names.size()));
        }

        private static boolean holds(final DataType type, final List<String> names) {
            return switch (type) {
                case RecordDataType record -> record.getChildSchema() != null && names(record.getChildSchema(), names);
                case ChoiceDataType choice -> choice.getPossibleSubTypes().stream().anyMatch(sub -> holds(sub, names));
                default -> false;
            };
        }
    }

    /** Receives each record of a FlowFile. */
    @FunctionalInterface
    private interface RecordConsumer {
        void accept(Record record) throws Exception;
    }

    private void readRecords(final ProcessSession session, final FlowFile flowFile, final RecordReaderFactory readerFactory,
                             final RecordConsumer consumer) throws Exception {
        try (InputStream in = new JsonRecordGuard(session.read(flowFile));
             RecordReader reader = readerFactory.createRecordReader(flowFile.getAttributes(), in, flowFile.getSize(), new SafeComponentLog(getLogger()))) {
            Record record;
            while ((record = reader.nextRecord()) != null) {
                consumer.accept(record);
            }
        }
    }

    private static List<String> quasiIdentifiers(final Record record, final Settings config) {
        final List<String> values = new ArrayList<>(config.quasiIdentifiers.size());
        for (final FieldPath path : config.quasiIdentifiers) {
            values.add(value(record, path));
        }
        return values;
    }

    private static String sensitive(final Record record, final Settings config) {
        return config.sensitive == null ? null : String.valueOf(value(record, config.sensitive));
    }

    /** The scalar at a field path, as text; null when absent. */
    private static String value(final Record record, final FieldPath path) {
        final Object value = RecordWalker.valueAt(record, path);
        if (value instanceof Record || value instanceof Object[] || value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("Field " + path + " is not a single value; quasi-identifiers must be scalars");
        }
        return value == null ? null : value.toString();
    }

    private static String pathProblem(final String list) {
        final List<FieldPath> paths;
        try {
            paths = FieldPath.parseList(list);
        } catch (final IllegalArgumentException e) {
            return e.getMessage();
        }
        if (paths.isEmpty()) {
            return "name at least one field path, e.g. /district";
        }
        for (final FieldPath path : paths) {
            if (path.isRoot() || !path.isFieldNamesOnly()) {
                return "'" + path + "' is not a field path such as /district or /applicant/city (no wildcards, no map entries)";
            }
        }
        return null;
    }
}
