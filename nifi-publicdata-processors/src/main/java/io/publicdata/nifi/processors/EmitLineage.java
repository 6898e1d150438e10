package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.lineage.LineageEvent;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.Stateful;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.components.DescribedValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.components.state.StateMap;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.bouncycastle.crypto.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"lineage", "provenance", "audit", "OpenLineage", "hash chain", "tamper-evident", "traceability", "public data", "China",
        "溯源", "使用过程可追溯", "数据血缘", "审计", "公共数据"})
@CapabilityDescription("Records each use of public data (使用过程可追溯) as an OpenLineage RunEvent (spec 2-0-2): the grant and use context "
        + "EnforceGrantScope decided on, the grades ClassifyRecord found, the protections ProtectRecord applied (as column lineage with "
        + "masking flags), the record count and a digest of the content. Field paths, grades, methods, counts and hashes only: never a "
        + "value. Events form a hash chain per node (SHA-256 or SM3), kept in local state, so that the publicdata lineage verify command "
        + "finds any edited, removed, inserted or reordered event. The data passes through unchanged to success; the event is a child "
        + "FlowFile on lineage, linked to it in NiFi provenance. Works without the other processors' attributes: the event then says less.")
@ReadsAttributes({
    @ReadsAttribute(attribute = PublicDataAttributes.DATASET, description = "The input dataset, by default"),
    @ReadsAttribute(attribute = PublicDataAttributes.GRADE, description = "Highest grade, from ClassifyRecord"),
    @ReadsAttribute(attribute = PublicDataAttributes.GRADE_COUNTS, description = "Records per grade, from ClassifyRecord"),
    @ReadsAttribute(attribute = PublicDataAttributes.FIELDS, description = "Field grades and labels, from ClassifyRecord"),
    @ReadsAttribute(attribute = PublicDataAttributes.PROTECTED, description = "Protection method per field path, from ProtectRecord"),
    @ReadsAttribute(attribute = PublicDataAttributes.GRANT_ID, description = "The deciding grant, from EnforceGrantScope"),
    @ReadsAttribute(attribute = PublicDataAttributes.DECISION, description = "PERMIT or DENY, from EnforceGrantScope"),
    @ReadsAttribute(attribute = PublicDataAttributes.DENY_REASON, description = "Why the use was denied, from EnforceGrantScope"),
    @ReadsAttribute(attribute = "publicdata.use.*", description = "The use context: grantee, domain, scenario, purpose"),
    @ReadsAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Number of records, as record processors write it")
})
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.LINEAGE_ID, description = "The event's run id (a UUID), on the data and on the event"),
    @WritesAttribute(attribute = PublicDataAttributes.LINEAGE_HASH, description = "The event's chain hash, on the data and on the event"),
    @WritesAttribute(attribute = "mime.type", description = "application/json, on the event"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure")
})
@Stateful(scopes = Scope.LOCAL, description = "The head of this node's lineage chain: chain id, sequence number, hash and algorithm of the "
        + "last event. Kept per node, so a cluster has one chain per node. Clearing it starts a new chain with a new chain id.")
@SeeAlso({ClassifyRecord.class, EnforceGrantScope.class})
@UseCase(
    description = "Keep a tamper-evident record of every use of public data for audit (使用过程可追溯).",
    keywords = {"lineage", "audit", "OpenLineage", "hash chain", "溯源"},
    configuration = """
        Place EmitLineage after EnforceGrantScope (and ProtectRecord), before the destination. Connect success to the destination.
        Set "Job Name" to the flow's name, e.g. `open-data-release`, and "Output Dataset" to the destination, e.g. `portal/applicants`.
        Connect lineage to MergeContent (Merge Format: Binary Concatenation) and PutFile, or to an OpenLineage endpoint with InvokeHTTP:
        each event is one JSON line. Check the stored events with `publicdata lineage verify events.jsonl`.
        """
)
public class EmitLineage extends AbstractProcessor {

    /** The hash functions a chain may use. */
    enum ChainHash implements DescribedValue {
        SHA_256(HashAlgorithm.SHA_256, "SHA-256 (FIPS 180-4)"),
        SM3(HashAlgorithm.SM3, "SM3 (GB/T 32905), for deployments that require Chinese commercial cryptography (商用密码)");

        private final HashAlgorithm algorithm;
        private final String description;

        ChainHash(final HashAlgorithm algorithm, final String description) {
            this.algorithm = algorithm;
            this.description = description;
        }

        @Override
        public String getValue() {
            return algorithm.label();
        }

        @Override
        public String getDisplayName() {
            return algorithm.label();
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    public static final PropertyDescriptor JOB_NAMESPACE = new PropertyDescriptor.Builder()
            .name("Job Namespace")
            .description("OpenLineage namespace of the job, e.g. the NiFi instance or the operator (运营单位).")
            .required(true)
            .defaultValue("nifi")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor JOB_NAME = new PropertyDescriptor.Builder()
            .name("Job Name")
            .description("OpenLineage name of the job: the flow or use this processor records, e.g. open-data-release.")
            .required(true)
            .defaultValue("publicdata")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor INPUT_NAMESPACE = new PropertyDescriptor.Builder()
            .name("Input Namespace")
            .description("OpenLineage namespace of the input dataset, e.g. the resource catalog (资源目录).")
            .required(true)
            .defaultValue("publicdata")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor INPUT_DATASET = new PropertyDescriptor.Builder()
            .name("Input Dataset")
            .description("Name of the dataset the data came from, by default its catalog id (资源目录编号). When it evaluates to "
                    + "nothing the event has no input.")
            .required(false)
            .defaultValue("${" + PublicDataAttributes.DATASET + "}")
            .addValidator(StandardValidators.ATTRIBUTE_EXPRESSION_LANGUAGE_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor OUTPUT_NAMESPACE = new PropertyDescriptor.Builder()
            .name("Output Namespace")
            .description("OpenLineage namespace of the output dataset, e.g. the destination system.")
            .required(true)
            .defaultValue("nifi")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor OUTPUT_DATASET = new PropertyDescriptor.Builder()
            .name("Output Dataset")
            .description("Name of the dataset the data goes to, e.g. portal/applicants. A FlowFile for which it evaluates to nothing goes to failure.")
            .required(true)
            .defaultValue("${" + PublicDataAttributes.DATASET + ":replaceEmpty('unnamed')}")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor CHAIN_NAME = new PropertyDescriptor.Builder()
            .name("Chain Name")
            .description("Names this node's chain; the chain id is this name, a slash and eight hex digits chosen when the chain starts. "
                    + "Every node of a cluster needs its own name, which the default, the node's host name, gives.")
            .required(true)
            .defaultValue("${hostname(true)}")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    public static final PropertyDescriptor HASH_ALGORITHM = new PropertyDescriptor.Builder()
            .name("Hash Algorithm")
            .description("Hash of the chain and of the content digest. Changing it starts a new chain.")
            .required(true)
            .allowableValues(ChainHash.class)
            .defaultValue(ChainHash.SHA_256)
            .build();

    public static final PropertyDescriptor GRADE_LADDER = new PropertyDescriptor.Builder()
            .name("Grade Ladder")
            .description("The grades in use, least sensitive first, as comma-separated CODE=name pairs; the same as ClassifyRecord's.")
            .required(true)
            .defaultValue(GradeLadder.DEFAULT_SPEC)
            .addValidator(PublicDataValidators.GRADE_LADDER)
            .build();

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success")
            .description("The data, unchanged, with the lineage id and hash attributes")
            .build();

    public static final Relationship REL_LINEAGE = new Relationship.Builder()
            .name("lineage")
            .description("The lineage event: one JSON object and a line feed, a child of the data in provenance")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("FlowFiles whose attributes could not be read, unchanged, with record.error.message saying why")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(JOB_NAMESPACE, JOB_NAME, INPUT_NAMESPACE, INPUT_DATASET,
            OUTPUT_NAMESPACE, OUTPUT_DATASET, CHAIN_NAME, HASH_ALGORITHM, GRADE_LADDER);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_LINEAGE, REL_FAILURE);

    static final String STATE_CHAIN_ID = "chain.id";
    static final String STATE_SEQUENCE = "chain.sequence";
    static final String STATE_HASH = "chain.hash";
    static final String STATE_ALGORITHM = "chain.algorithm";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PRODUCER = "https://publicdata.io/nifi-publicdata/" + version();
    private static final int BUFFER_SIZE = 65_536;

    /**
     * Serialises the advance of the chain: read head, seal, save head, commit. Held from reading the head until the
     * session's commit has succeeded or failed (released in the commit callbacks), so no two events take the same
     * sequence number; hashing the content, the expensive part, happens before and runs concurrently.
     */
    private final Semaphore chainAdvance = new Semaphore(1);

    private volatile Settings settings;

    /** What does not change while the processor runs. */
    private record Settings(String chainName, HashAlgorithm algorithm, GradeLadder ladder) {
    }

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
        final String algorithm = context.getProperty(HASH_ALGORITHM).getValue();
        settings = new Settings(context.getProperty(CHAIN_NAME).evaluateAttributeExpressions().getValue().strip(),
                HashAlgorithm.forLabel(algorithm), GradeLadder.parse(context.getProperty(GRADE_LADDER).getValue()));
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final long started = System.nanoTime();
        final Settings config = settings;
        final LineageEvent event;
        try {
            event = describe(context, flowFile, config);
            final Digest digest = config.algorithm().newDigest();
            session.read(flowFile, in -> update(digest, in));
            event.content(flowFile.getSize(), config.algorithm(), HashAlgorithm.finish(digest));
        } catch (final IllegalArgumentException e) {
            getLogger().error("Failed to describe {} for lineage; routing to failure: {}", flowFile, e.getMessage());
            flowFile = session.putAttribute(flowFile, PublicDataAttributes.RECORD_ERROR_MESSAGE, e.getMessage());
            session.transfer(flowFile, REL_FAILURE);
            return;
        }
        chainAdvance.acquireUninterruptibly();
        boolean committing = false;
        try {
            committing = appendToChain(context, session, flowFile, event, config, started);
        } catch (final IOException | UncheckedIOException e) {
            // The state provider failed: nothing was emitted; the FlowFile stays queued for another try
            getLogger().error("Failed to advance the lineage chain for {}; will try again", flowFile, e);
            session.rollback();
            context.yield();
        } finally {
            if (!committing) {
                chainAdvance.release();
            }
        }
    }

    /** Reads what the event says about the FlowFile from its attributes. */
    private static LineageEvent describe(final ProcessContext context, final FlowFile flowFile, final Settings config) {
        final Map<String, String> attributes = flowFile.getAttributes();
        final String output = context.getProperty(OUTPUT_DATASET).evaluateAttributeExpressions(flowFile).getValue();
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("Output Dataset evaluated to nothing; set it, or the attributes it refers to");
        }
        final LineageEvent event = new LineageEvent(PRODUCER)
                .job(evaluate(context, JOB_NAMESPACE, flowFile), evaluate(context, JOB_NAME, flowFile))
                .input(evaluate(context, INPUT_NAMESPACE, flowFile), evaluate(context, INPUT_DATASET, flowFile))
                .output(evaluate(context, OUTPUT_NAMESPACE, flowFile), output.strip())
                .flowFile(attributes.get(CoreAttributes.UUID.key()))
                .records(recordCount(attributes.get(PublicDataAttributes.RECORD_COUNT)));
        if (attributes.containsKey(PublicDataAttributes.GRANT_ID) || attributes.containsKey(PublicDataAttributes.DECISION)
                || attributes.containsKey(PublicDataAttributes.USE_GRANTEE)) {
            event.grant(new LineageEvent.GrantUse(attributes.get(PublicDataAttributes.GRANT_ID), attributes.get(PublicDataAttributes.DECISION),
                    attributes.get(PublicDataAttributes.DENY_REASON), attributes.get(PublicDataAttributes.USE_GRANTEE),
                    attributes.get(PublicDataAttributes.USE_DOMAIN), attributes.get(PublicDataAttributes.USE_SCENARIO),
                    attributes.get(PublicDataAttributes.USE_PURPOSE)));
        }
        final String fields = attributes.get(PublicDataAttributes.FIELDS);
        final String counts = attributes.get(PublicDataAttributes.GRADE_COUNTS);
        if (fields != null || counts != null || attributes.containsKey(PublicDataAttributes.GRADE)) {
            event.classification(attributes.get(PublicDataAttributes.GRADE), gradeCounts(counts, config.ladder()),
                    fields == null ? Map.of() : FieldGrades.fromJson(fields, config.ladder()).byPath());
        }
        final String protectedFields = attributes.get(PublicDataAttributes.PROTECTED);
        if (protectedFields != null) {
            event.protections(FieldEvidence.parseProtected(protectedFields));
        }
        return event;
    }

    private static String evaluate(final ProcessContext context, final PropertyDescriptor property, final FlowFile flowFile) {
        final String value = context.getProperty(property).evaluateAttributeExpressions(flowFile).getValue();
        return value == null ? null : value.strip();
    }

    private static Long recordCount(final String text) {
        if (text == null) {
            return null;
        }
        try {
            final long count = Long.parseLong(text.strip());
            if (count >= 0) {
                return count;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("record.count '" + text + "' is not a number of records");
    }

    /** Reads {@code publicdata.grade.counts} ({@code L1=120,L3=8}) in ladder order. */
    static Map<String, Long> gradeCounts(final String text, final GradeLadder ladder) {
        final Map<String, Long> byCode = new HashMap<>();
        if (text != null && !text.isBlank()) {
            for (final String entry : text.split(",")) {
                final String[] parts = entry.split("=", 2);
                try {
                    byCode.put(ladder.grade(parts[0].strip()).code(), Long.parseLong(parts[1].strip()));
                } catch (final ArrayIndexOutOfBoundsException | NumberFormatException e) {
                    throw new IllegalArgumentException("Grade counts (" + PublicDataAttributes.GRADE_COUNTS + ") '" + text
                            + "' are not GRADE=count pairs such as L1=120,L3=8");
                }
            }
        }
        final Map<String, Long> ordered = new LinkedHashMap<>();
        ladder.grades().forEach(grade -> {
            if (byCode.containsKey(grade.code())) {
                ordered.put(grade.code(), byCode.get(grade.code()));
            }
        });
        return ordered;
    }

    private static void update(final Digest digest, final InputStream in) throws IOException {
        final byte[] buffer = new byte[BUFFER_SIZE];
        int read;
        while ((read = in.read(buffer)) != -1) {
            digest.update(buffer, 0, read);
        }
    }

    /**
     * Seals the event onto the chain, saves the new head and hands the session to commit. The head is saved last before
     * the commit, so that no later event can take its sequence number; if the commit fails, the previous head is
     * restored. A crash between the two leaves a gap that the verifier reports as a missing event, never a repeated
     * sequence number.
     *
     * @return true when the session was handed to commit (its callbacks release the chain), false when nothing was emitted
     */
    private boolean appendToChain(final ProcessContext context, final ProcessSession session, final FlowFile flowFile,
                                  final LineageEvent event, final Settings config, final long started) throws IOException {
        final StateManager stateManager = context.getStateManager();
        final StateMap state = stateManager.getState(Scope.LOCAL);
        final LineageChain.Head previous = headOf(state.toMap(), config);
        final ObjectNode json = event.toJson();
        final LineageChain.Head head = LineageChain.seal(json, previous);

        final Map<String, String> lineage = Map.of(PublicDataAttributes.LINEAGE_ID, event.runId().toString(),
                PublicDataAttributes.LINEAGE_HASH, head.hash());
        final byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        FlowFile child = session.create(flowFile);
        child = session.write(child, out -> out.write(bytes));
        final Map<String, String> childAttributes = new HashMap<>(lineage);
        childAttributes.put(CoreAttributes.MIME_TYPE.key(), "application/json");
        childAttributes.put(CoreAttributes.FILENAME.key(), event.runId() + ".json");
        child = session.putAllAttributes(child, childAttributes);
        final FlowFile data = session.putAllAttributes(flowFile, lineage);

        final String details = "Lineage event " + event.runId() + ": event " + head.sequence() + " of chain " + head.chainId() + ", "
                + head.algorithm().label() + " hash " + head.hash();
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        session.getProvenanceReporter().fork(data, List.of(child), details, millis);
        session.getProvenanceReporter().modifyAttributes(data, details);
        session.transfer(data, REL_SUCCESS);
        session.transfer(child, REL_LINEAGE);

        final Map<String, String> saved = new HashMap<>();
        saved.put(STATE_CHAIN_ID, head.chainId());
        saved.put(STATE_SEQUENCE, String.valueOf(head.sequence()));
        saved.put(STATE_HASH, head.hash());
        saved.put(STATE_ALGORITHM, head.algorithm().label());
        if (!stateManager.replace(state, saved, Scope.LOCAL)) {
            throw new IOException("The lineage chain head changed while this event was sealed");
        }
        session.commitAsync(chainAdvance::release, failure -> {
            try {
                // Nothing was emitted: give the sequence number back so the chain has no gap
                stateManager.setState(state.toMap(), Scope.LOCAL);
            } catch (final IOException e) {
                getLogger().error("Failed to restore lineage chain head after a failed commit; the chain will show event {} missing",
                        head.sequence(), e);
            } finally {
                chainAdvance.release();
            }
        });
        return true;
    }

    /** The chain head in state, or a new chain when there is none, or when Chain Name or Hash Algorithm changed since. */
    private LineageChain.Head headOf(final Map<String, String> state, final Settings config) {
        final String chainId = state.get(STATE_CHAIN_ID);
        if (chainId != null && chainId.startsWith(config.chainName() + "/") && config.algorithm().label().equals(state.get(STATE_ALGORITHM))) {
            try {
                return new LineageChain.Head(chainId, Long.parseLong(state.get(STATE_SEQUENCE)), state.get(STATE_HASH), config.algorithm());
            } catch (final NumberFormatException | NullPointerException e) {
                getLogger().warn("Lineage chain head of {} in state is incomplete; starting a new chain", chainId);
            }
        }
        final LineageChain.Head start = LineageChain.start(config.chainName(), config.algorithm());
        getLogger().info("Starting lineage chain {}{}", start.chainId(), chainId == null ? "" : " after chain " + chainId);
        return start;
    }

    private static String version() {
        final String version = EmitLineage.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
