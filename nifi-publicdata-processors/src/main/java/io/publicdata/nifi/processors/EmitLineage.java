package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.lineage.LineageEvents;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.Stateful;
import org.apache.nifi.annotation.behavior.TriggerSerially;
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
import org.apache.nifi.components.state.StateMap;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.FlowFileFilter;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@TriggerSerially
@Tags({"lineage", "provenance", "audit", "OpenLineage", "traceability", "hash chain", "SM3", "public data", "China",
        "使用过程可追溯", "数据血缘", "审计", "公共数据"})
@CapabilityDescription("Makes each use traceable (使用过程可追溯): for every FlowFile it writes an OpenLineage RunEvent (spec 2-0-2) as a "
        + "child FlowFile to 'lineage' and passes the data, unchanged, to 'success'. The event carries the grant and decision "
        + "(EnforceGrantScope), grade counts and field grades (ClassifyRecord), column lineage with the protection method and "
        + "masking flag of each field (ProtectRecord), the record count and the SHA-256 of the content, never a value. Events form "
        + "a tamper-evident chain: each holds the hash (SHA-256 or SM3) of its canonical form and the previous event's hash; the "
        + "chain head is kept in local state, saved with the session that emits the events, so a restart continues the chain. One task at a time "
        + "links a batch of FlowFiles in queue order. Verify a chain with `publicdata lineage verify`. Connect EnforceGrantScope's "
        + "'unauthorized' here too: a denied FlowFile (publicdata.decision DENY) gets a denial event (ABORT) in the same chain, with "
        + "the grant, the deny codes and the records denied per code, but nothing of the data, not even its hash, and goes on, "
        + "unchanged, to 'unauthorized', never to 'success'. With a resource catalog upstream, the input dataset carries its catalog "
        + "code, open type and registration.")
@Stateful(scopes = Scope.LOCAL, description = "The head of this node's lineage chain: chain id, last sequence number and last hash, "
        + "committed with the session that emitted the events. "
        + "When the state is cleared or lost, the next event starts a new chain whose id adds the time it started and a random part, at sequence 1.")
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.LINEAGE_ID, description = "The event's run id, on the data and on the event"),
    @WritesAttribute(attribute = PublicDataAttributes.LINEAGE_HASH, description = "The event's chain hash, on the data and on the event"),
    @WritesAttribute(attribute = EmitLineage.LINEAGE_CHAIN, description = "The chain id, on the data and on the event"),
    @WritesAttribute(attribute = EmitLineage.LINEAGE_SEQUENCE, description = "The event's sequence number on its chain"),
    @WritesAttribute(attribute = "mime.type", description = "application/json, on the event"),
    @WritesAttribute(attribute = "filename", description = "<chain id>-<sequence>.json, on the event")
})
@SeeAlso({ClassifyRecord.class, EnforceGrantScope.class, ProtectRecord.class})
@UseCase(
    description = "Keep an audit trail of every release: one verifiable lineage event per FlowFile.",
    keywords = {"audit", "lineage", "traceability", "可追溯"},
    configuration = """
        Put EmitLineage last, before the destination. Set "Job Name" to the flow's name and "Output Dataset Name" to where the data goes.
        Connect 'success' to the destination and 'lineage' to an audit store, e.g. PutFile into an append-only folder, or
        MergeContent (Demarcator: a newline) then PutFile, to get JSON Lines that `publicdata lineage verify` checks.
        """
)
public class EmitLineage extends AbstractProcessor {

    static final String LINEAGE_CHAIN = "publicdata.lineage.chain";
    static final String LINEAGE_SEQUENCE = "publicdata.lineage.sequence";
    private static final String STATE_CHAIN = "chain.id";
    private static final String STATE_SEQUENCE = "chain.sequence";
    private static final String STATE_HASH = "chain.hash";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter CHAIN_START = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The hash functions a chain may use, by the names events carry. */
    enum ChainHash implements DescribedValue {
        SHA_256(HashAlgorithm.SHA_256, "SHA-256 (FIPS 180-4)"),
        SM3(HashAlgorithm.SM3, "SM3 (GB/T 32905), where Chinese commercial cryptography (商用密码) is required");

        private final HashAlgorithm algorithm;
        private final String description;

        ChainHash(final HashAlgorithm algorithm, final String description) {
            this.algorithm = algorithm;
            this.description = description;
        }

        @Override
        public String getValue() {
            return algorithm.displayName();
        }

        @Override
        public String getDisplayName() {
            return algorithm.displayName();
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    public static final PropertyDescriptor CHAIN_ID = new PropertyDescriptor.Builder()
            .name("Chain ID")
            .description("Names this node's chain: in a cluster each node keeps its own chain, so the id must differ per node (the default "
                    + "is the host name). Letters, digits, '.', '_', '-' and '@'.")
            .required(true)
            .defaultValue("${hostname(true)}")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    public static final PropertyDescriptor JOB_NAMESPACE = new PropertyDescriptor.Builder()
            .name("Job Namespace")
            .description("OpenLineage job namespace, e.g. the data authority or the operator.")
            .required(true)
            .defaultValue("nifi-publicdata")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor JOB_NAME = new PropertyDescriptor.Builder()
            .name("Job Name")
            .description("OpenLineage job name: the flow or use this data passes through.")
            .required(true)
            .defaultValue("public-data-flow")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor DATASET_NAMESPACE = new PropertyDescriptor.Builder()
            .name("Dataset Namespace")
            .description("OpenLineage namespace of the input and output datasets, e.g. the catalog (资源目录) they belong to.")
            .required(true)
            .defaultValue("nifi-publicdata")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor INPUT_DATASET = new PropertyDescriptor.Builder()
            .name("Input Dataset Name")
            .description("Name of the dataset the data came from; by default its catalog id (publicdata.dataset), else its file name.")
            .required(true)
            .defaultValue("${publicdata.dataset:replaceEmpty(${filename})}")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor OUTPUT_DATASET = new PropertyDescriptor.Builder()
            .name("Output Dataset Name")
            .description("Name of the dataset the data goes to, e.g. the operator's product or the open-data portal's resource.")
            .required(true)
            .defaultValue("${publicdata.dataset:replaceEmpty(${filename})}:released")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor HASH_ALGORITHM = new PropertyDescriptor.Builder()
            .name("Chain Hash Algorithm")
            .description("Hash of the chain: SHA-256, or SM3 (GB/T 32905). Changing it on a running chain is recorded in each event.")
            .required(true)
            .allowableValues(ChainHash.class)
            .defaultValue(ChainHash.SHA_256)
            .build();

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success").description("The data, unchanged, with the lineage attributes").build();
    public static final Relationship REL_LINEAGE = new Relationship.Builder()
            .name("lineage").description("One OpenLineage RunEvent (JSON) per FlowFile, a child of the data in provenance").build();
    public static final Relationship REL_UNAUTHORIZED = new Relationship.Builder()
            .name("unauthorized").description("FlowFiles EnforceGrantScope denied (publicdata.decision DENY), unchanged, once their "
                    + "denial event is on the chain: a denied FlowFile never goes to 'success'").build();
    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure").description("FlowFiles whose content could not be read, unchanged, with record.error.message").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(CHAIN_ID, JOB_NAMESPACE, JOB_NAME, DATASET_NAMESPACE, INPUT_DATASET,
            OUTPUT_DATASET, HASH_ALGORITHM);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_LINEAGE, REL_UNAUTHORIZED, REL_FAILURE);
    /** Grant facts: facet member → attribute. */
    private static final Map<String, String> GRANT_FACTS = new LinkedHashMap<>();

    /** Catalog facts of the input dataset: facet member → attribute. */
    private static final Map<String, String> CATALOG_FACTS = new LinkedHashMap<>();

    static {
        GRANT_FACTS.put("grantId", PublicDataAttributes.GRANT_ID);
        GRANT_FACTS.put("issuer", PublicDataAttributes.GRANT_ISSUER);
        GRANT_FACTS.put("mode", PublicDataAttributes.GRANT_MODE);
        GRANT_FACTS.put("validFrom", PublicDataAttributes.GRANT_VALID_FROM);
        GRANT_FACTS.put("validUntil", PublicDataAttributes.GRANT_VALID_UNTIL);
        GRANT_FACTS.put("serial", PublicDataAttributes.GRANT_SERIAL);
        GRANT_FACTS.put("pricing", PublicDataAttributes.GRANT_PRICING);
        GRANT_FACTS.put("grantee", PublicDataAttributes.USE_GRANTEE);
        GRANT_FACTS.put("domain", PublicDataAttributes.USE_DOMAIN);
        GRANT_FACTS.put("scenario", PublicDataAttributes.USE_SCENARIO);
        GRANT_FACTS.put("purpose", PublicDataAttributes.USE_PURPOSE);
        GRANT_FACTS.put("purposeCategory", PublicDataAttributes.USE_PURPOSE_CATEGORY);
        GRANT_FACTS.put("decision", PublicDataAttributes.DECISION);
        GRANT_FACTS.put("denyReason", PublicDataAttributes.DENY_REASON);
        CATALOG_FACTS.put("name", PublicDataAttributes.CATALOG_NAME);
        CATALOG_FACTS.put("department", PublicDataAttributes.CATALOG_DEPARTMENT);
        CATALOG_FACTS.put("domain", PublicDataAttributes.CATALOG_DOMAIN);
        CATALOG_FACTS.put("openType", PublicDataAttributes.CATALOG_OPEN_TYPE);
        CATALOG_FACTS.put("registrationStatus", PublicDataAttributes.CATALOG_REGISTRATION);
        CATALOG_FACTS.put("registrationNumber", PublicDataAttributes.CATALOG_REGISTRATION_NUMBER);
        CATALOG_FACTS.put("registrationDate", PublicDataAttributes.CATALOG_REGISTRATION_DATE);
        CATALOG_FACTS.put("updateCycle", PublicDataAttributes.CATALOG_UPDATE_CYCLE);
    }

    /** A trigger takes FlowFiles in queue order up to this many, or until their content reaches {@link #MAX_BATCH_BYTES}. */
    static final int MAX_BATCH_FLOWFILES = 100;
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

    /**
     * Set while a trigger runs. NiFi never overlaps triggers of a {@link TriggerSerially} processor; should something
     * trigger it concurrently anyway, the second trigger yields instead of reading a head the first is about to move.
     * Never held beyond {@code onTrigger}, so no thread waits for a commit.
     */
    private final AtomicBoolean triggering = new AtomicBoolean();
    /** The head the last successful commit saved, to catch a head NiFi failed to save after committing the FlowFiles. */
    private volatile LineageChain.Head committedHead;
    private volatile String configuredChainId;
    private volatile HashAlgorithm hashAlgorithm;

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
        final String chainId = context.getProperty(CHAIN_ID).evaluateAttributeExpressions().getValue().strip();
        if (!chainId.matches("[A-Za-z0-9._@-]{1,128}")) {
            throw new IllegalArgumentException("Chain ID '" + chainId + "' must be 1 to 128 letters, digits, '.', '_', '-' or '@'");
        }
        configuredChainId = chainId;
        hashAlgorithm = HashAlgorithm.fromDisplayName(context.getProperty(HASH_ALGORITHM).getValue());
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        if (!triggering.compareAndSet(false, true)) {
            getLogger().warn("Triggered while another trigger advances the lineage chain; yielding");
            context.yield();
            return;
        }
        try {
            advanceChain(context, session);
        } finally {
            triggering.set(false);
        }
    }

    /**
     * Links a batch of FlowFiles to the chain, in queue order, and commits the events, the data and the new head in
     * one session: NiFi saves the head with the FlowFiles, and a session that fails to commit saves neither, so the
     * next trigger gives the same sequence numbers to the same data. No head is saved before a commit nor restored
     * after one.
     */
    private void advanceChain(final ProcessContext context, final ProcessSession session) {
        final List<FlowFile> flowFiles = session.get(batch());
        if (flowFiles.isEmpty()) {
            return;
        }
        final LineageChain.Head start;
        try {
            start = head(session.getState(Scope.LOCAL));
        } catch (final IOException e) {
            getLogger().error("Failed to read the lineage chain head; yielding", e);
            session.rollback();
            context.yield();
            return;
        }
        LineageChain.Head head = start;
        for (final FlowFile flowFile : flowFiles) {
            head = emit(context, session, flowFile, head);
        }
        if (head.equals(start)) {
            return;
        }
        final LineageChain.Head committed = head;
        try {
            session.setState(Map.of(STATE_CHAIN, head.chainId(), STATE_SEQUENCE, String.valueOf(head.sequence()), STATE_HASH, head.hash()), Scope.LOCAL);
        } catch (final IOException e) {
            getLogger().error("Failed to save the lineage chain head; yielding", e);
            session.rollback();
            context.yield();
            return;
        }
        try {
            session.commitAsync(() -> committedHead = committed, failure -> getLogger().error(
                    "Failed to commit lineage events {} to {} of chain {}: none left and the chain did not advance; they will be written again",
                    start.sequence() + 1, committed.sequence(), committed.chainId(), failure));
        } catch (final RuntimeException e) {
            // The session rolled back and reported the failure to the callback above
            context.yield();
        }
    }

    /**
     * Describes one FlowFile, links its event to the chain after {@code head} and transfers both; returns the new
     * head, or {@code head} when the FlowFile went to failure.
     */
    private LineageChain.Head emit(final ProcessContext context, final ProcessSession session, FlowFile flowFile, final LineageChain.Head previous) {
        final long started = System.nanoTime();
        final boolean denied = Decision.Outcome.DENY.name().equals(flowFile.getAttribute(PublicDataAttributes.DECISION));
        final ObjectNode event;
        final String contentHash;
        try {
            // A denied use leaves no trace of its data in the chain, not even a hash: only the grant, the codes and the counts
            contentHash = denied ? null : sha256(session, flowFile);
            event = denied ? LineageEvents.denialEvent(denial(context, flowFile)) : LineageEvents.runEvent(facts(context, flowFile, contentHash));
            LineageEvents.addCatalog(event, catalogFacts(flowFile));
        } catch (final RuntimeException | IOException e) {
            final String reason = "Lineage event not written: " + SafeMessages.reason(e);
            getLogger().error("Failed to describe {}: {}; routing to failure", flowFile, reason);
            flowFile = session.putAttribute(flowFile, PublicDataAttributes.RECORD_ERROR_MESSAGE, reason);
            session.transfer(flowFile, REL_FAILURE);
            return previous;
        }
        final LineageChain.Head head = LineageChain.append(event, previous, hashAlgorithm);

        final String runId = event.path("run").path("runId").asText();
        final Map<String, String> lineage = Map.of(PublicDataAttributes.LINEAGE_ID, runId, PublicDataAttributes.LINEAGE_HASH, head.hash(),
                LINEAGE_CHAIN, head.chainId(), LINEAGE_SEQUENCE, String.valueOf(head.sequence()));
        FlowFile child = session.create(flowFile);
        child = session.write(child, out -> out.write(event.toString().getBytes(StandardCharsets.UTF_8)));
        final Map<String, String> childAttributes = new HashMap<>(lineage);
        childAttributes.put(CoreAttributes.MIME_TYPE.key(), "application/json");
        childAttributes.put(CoreAttributes.FILENAME.key(), head.chainId() + "-" + head.sequence() + ".json");
        child = session.putAllAttributes(child, childAttributes);
        final FlowFile data = session.putAllAttributes(flowFile, lineage);

        final String details = (denied ? "Denial event " : "Lineage event ") + runId + ": chain " + head.chainId() + " #" + head.sequence() + ", "
                + hashAlgorithm.displayName() + " " + head.hash() + (denied ? "; denied " + event.at("/run/facets/publicdata_denial/codes")
                : "; content SHA-256 " + contentHash);
        // The FORK links the event to the data in NiFi's lineage view; the same line on both says what was recorded
        session.getProvenanceReporter().fork(data, List.of(child), details, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        session.getProvenanceReporter().modifyAttributes(data, details);
        session.transfer(data, denied ? REL_UNAUTHORIZED : REL_SUCCESS);
        // Children are created and queued in sequence order, so events leave in the order of the chain
        session.transfer(child, REL_LINEAGE);
        return head;
    }

    /** Takes FlowFiles from the head of the queue and never passes one over, so the batch keeps queue order. */
    private static FlowFileFilter batch() {
        return new FlowFileFilter() {
            private int count;
            private long bytes;

            @Override
            public FlowFileFilterResult filter(final FlowFile flowFile) {
                count++;
                bytes += flowFile.getSize();
                return count >= MAX_BATCH_FLOWFILES || bytes >= MAX_BATCH_BYTES ? FlowFileFilterResult.ACCEPT_AND_TERMINATE : FlowFileFilterResult.ACCEPT_AND_CONTINUE;
            }
        };
    }

    private LineageChain.Head head(final StateMap state) {
        final String chainId = state.get(STATE_CHAIN);
        final String sequence = state.get(STATE_SEQUENCE);
        final String hash = state.get(STATE_HASH);
        if (chainId != null && sequence != null && hash != null && (chainId.equals(configuredChainId) || chainId.startsWith(configuredChainId + "@"))) {
            final LineageChain.Head saved = new LineageChain.Head(chainId, Long.parseLong(sequence), hash);
            final LineageChain.Head known = committedHead;
            if (known != null && known.chainId().equals(saved.chainId()) && known.sequence() > saved.sequence()) {
                // NiFi writes local state after the FlowFiles and only logs when that write fails: the events up to the
                // head this processor saw committed have left, so the chain goes on from there, not from the stale state
                getLogger().warn("The lineage chain head in state is #{} of {}, but events up to #{} were committed; continuing from #{}",
                        saved.sequence(), chainId, known.sequence(), known.sequence());
                return known;
            }
            return saved;
        }
        // No head for this chain id: the state was lost or cleared, or the chain id changed. Sequence numbers restart, so the
        // chain gets a new id (the time it starts): one chain id never has two events with the same sequence number
        // The random part keeps two chains started within one second apart
        final String newChain = configuredChainId + "@" + CHAIN_START.format(Instant.now()) + "." + HexFormat.of().toHexDigits(RANDOM.nextInt());
        getLogger().info("Starting lineage chain {}", newChain);
        return LineageChain.Head.start(newChain);
    }

    /** The attributes named in a facts map that the FlowFile has, by facet member. */
    private static Map<String, String> present(final Map<String, String> facts, final FlowFile flowFile) {
        final Map<String, String> found = new LinkedHashMap<>();
        facts.forEach((member, attribute) -> {
            final String value = flowFile.getAttribute(attribute);
            if (value != null && !value.isBlank()) {
                found.put(member, value);
            }
        });
        return found;
    }

    /** The catalog facts of the input dataset, when a catalog said anything of it. */
    private static Map<String, String> catalogFacts(final FlowFile flowFile) {
        final Map<String, String> catalog = present(CATALOG_FACTS, flowFile);
        final String code = flowFile.getAttribute(PublicDataAttributes.DATASET);
        if (catalog.isEmpty() || code == null || code.isBlank()) {
            return Map.of();
        }
        catalog.put("catalogCode", code.strip());
        return catalog;
    }

    /** What a denial event says: the grant, the codes and counts of publicdata.deny.counts, the records denied in all. */
    private LineageEvents.Denial denial(final ProcessContext context, final FlowFile flowFile) {
        final Map<String, Long> codes = new LinkedHashMap<>();
        final String counts = flowFile.getAttribute(PublicDataAttributes.DENY_COUNTS);
        if (counts != null && !counts.isBlank()) {
            for (final String pair : counts.split(",")) {
                final String[] parts = pair.strip().split("=", 2);
                if (!parts[0].matches("[A-Z][A-Z_]{0,63}") || (parts.length == 2 && !parts[1].matches("\\d{1,18}"))) {
                    throw new IllegalArgumentException("Deny counts (" + PublicDataAttributes.DENY_COUNTS + ") '" + counts
                            + "' are not CODE=count pairs such as GRADE_EXCEEDS_GRANT=2");
                }
                codes.merge(parts[0], parts.length == 2 ? Long.parseLong(parts[1]) : -1L, (a, b) -> a < 0 || b < 0 ? -1L : a + b);
            }
        } else {
            final String reason = flowFile.getAttribute(PublicDataAttributes.DENY_REASON);
            final String code = reason == null ? "" : reason.split(":", 2)[0].strip();
            if (!code.matches("[A-Z][A-Z_]{0,63}")) {
                throw new IllegalArgumentException("A denied FlowFile needs " + PublicDataAttributes.DENY_COUNTS + " or a " + PublicDataAttributes.DENY_REASON
                        + " that starts with its code; it has neither");
            }
            codes.put(code, -1L);
        }
        final String recordCount = flowFile.getAttribute(PublicDataAttributes.RECORD_COUNT);
        final long records = codes.values().stream().allMatch(count -> count >= 0) ? codes.values().stream().mapToLong(Long::longValue).sum()
                : recordCount != null && recordCount.matches("\\d{1,18}") ? Long.parseLong(recordCount) : -1;
        final String namespace = context.getProperty(DATASET_NAMESPACE).evaluateAttributeExpressions(flowFile).getValue();
        return new LineageEvents.Denial(Instant.now(), UUID.randomUUID(),
                context.getProperty(JOB_NAMESPACE).evaluateAttributeExpressions(flowFile).getValue(),
                context.getProperty(JOB_NAME).evaluateAttributeExpressions(flowFile).getValue(),
                new LineageEvents.Dataset(namespace, context.getProperty(INPUT_DATASET).evaluateAttributeExpressions(flowFile).getValue()),
                present(GRANT_FACTS, flowFile), codes, records);
    }

    private LineageEvents.Facts facts(final ProcessContext context, final FlowFile flowFile, final String contentHash) throws IOException {
        final Map<String, String> grant = present(GRANT_FACTS, flowFile);
        final String fields = flowFile.getAttribute(PublicDataAttributes.FIELDS);
        final JsonNode fieldGrades = fields == null ? null : MAPPER.readTree(fields);
        final String protectedJson = flowFile.getAttribute(PublicDataAttributes.PROTECTED);
        final Map<String, String> protectedFields = protectedJson == null ? Map.of() : new TreeMap<>(FieldEvidence.parseProtected(protectedJson));
        final String recordCount = flowFile.getAttribute(PublicDataAttributes.RECORD_COUNT);
        final String namespace = context.getProperty(DATASET_NAMESPACE).evaluateAttributeExpressions(flowFile).getValue();
        return new LineageEvents.Facts(Instant.now(), UUID.randomUUID(),
                context.getProperty(JOB_NAMESPACE).evaluateAttributeExpressions(flowFile).getValue(),
                context.getProperty(JOB_NAME).evaluateAttributeExpressions(flowFile).getValue(),
                new LineageEvents.Dataset(namespace, context.getProperty(INPUT_DATASET).evaluateAttributeExpressions(flowFile).getValue()),
                new LineageEvents.Dataset(namespace, context.getProperty(OUTPUT_DATASET).evaluateAttributeExpressions(flowFile).getValue()),
                recordCount != null && recordCount.matches("\\d{1,18}") ? Long.parseLong(recordCount) : -1, contentHash, flowFile.getSize(),
                grant, flowFile.getAttribute(PublicDataAttributes.GRADE), flowFile.getAttribute(PublicDataAttributes.GRADE_COUNTS), fieldGrades,
                protectedFields);
    }

    private static String sha256(final ProcessSession session, final FlowFile flowFile) {
        final MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        session.read(flowFile, in -> {
            try (InputStream digesting = new DigestInputStream(in, digest)) {
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
            }
        });
        return HexFormat.of().formatHex(digest.digest());
    }
}
