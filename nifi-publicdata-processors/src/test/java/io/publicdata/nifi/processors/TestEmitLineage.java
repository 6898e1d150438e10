package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.OpenLineageSchemas;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestEmitLineage {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT = "{\"id\": 1}\n";

    private TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = newRunner();
    }

    private static TestRunner newRunner() {
        final TestRunner runner = TestRunners.newTestRunner(EmitLineage.class);
        runner.setProperty(EmitLineage.CHAIN_NAME, "nifi-1.example");
        runner.setProperty(EmitLineage.JOB_NAME, "open-data-release");
        return runner;
    }

    private static JsonNode event(final MockFlowFile flowFile) throws IOException {
        return MAPPER.readTree(flowFile.getContent());
    }

    private static JsonNode chain(final MockFlowFile flowFile) throws IOException {
        return event(flowFile).at("/run/facets/publicdata_chain");
    }

    private static ChainVerifier.Result verify(final List<MockFlowFile> events) throws IOException {
        return verify(events, ChainVerifier.Order.AS_WRITTEN);
    }

    private static ChainVerifier.Result verify(final List<MockFlowFile> events, final ChainVerifier.Order order) throws IOException {
        final String lines = events.stream().map(MockFlowFile::getContent).collect(Collectors.joining());
        return ChainVerifier.verify(new BufferedReader(new StringReader(lines)), Set.of(), order);
    }

    private static String sha256(final String content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void passesTheDataThroughAndEmitsAChildEvent() throws Exception {
        runner.enqueue(CONTENT, Map.of("filename", "batch-1.json"));
        runner.run();

        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 1);
        runner.assertTransferCount(EmitLineage.REL_FAILURE, 0);
        final MockFlowFile data = runner.getFlowFilesForRelationship(EmitLineage.REL_SUCCESS).getFirst();
        final MockFlowFile lineage = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst();
        data.assertContentEquals(CONTENT);
        assertTrue(lineage.getContent().endsWith("}\n"), "one JSON line");
        lineage.assertAttributeEquals("mime.type", "application/json");

        final JsonNode event = event(lineage);
        final String hash = event.at("/run/facets/publicdata_chain/hash").asText();
        for (final MockFlowFile flowFile : List.of(data, lineage)) {
            flowFile.assertAttributeEquals(PublicDataAttributes.LINEAGE_ID, event.at("/run/runId").asText());
            flowFile.assertAttributeEquals(PublicDataAttributes.LINEAGE_HASH, hash);
        }
        assertEquals("COMPLETE", event.get("eventType").asText());
        assertEquals("open-data-release", event.at("/job/name").asText());
        assertEquals(0, event.get("inputs").size(), "no publicdata.dataset: no input");
        assertEquals("unnamed", event.at("/outputs/0/name").asText());
        assertEquals(data.getAttribute("uuid"), event.at("/run/facets/publicdata_flowfile/uuid").asText());
        assertEquals(sha256(CONTENT), event.at("/outputs/0/facets/publicdata_content/digest").asText());
        assertEquals(CONTENT.length(), event.at("/outputs/0/outputFacets/outputStatistics/size").asInt());
        assertFalse(event.at("/run/facets").has("publicdata_grant"));
        assertFalse(event.at("/outputs/0/facets").has("publicdata_classification"));
        assertEquals(List.of(), OpenLineageSchemas.validateEvent(event));

        final JsonNode chain = chain(lineage);
        assertEquals(1, chain.get("sequence").asLong());
        assertEquals("0".repeat(64), chain.get("previousHash").asText());
        assertTrue(chain.get("chainId").asText().matches("nifi-1\\.example/[0-9a-f]{8}"), chain.toString());
        runner.getStateManager().assertStateEquals(Map.of(EmitLineage.STATE_CHAIN_ID, chain.get("chainId").asText(),
                EmitLineage.STATE_SEQUENCE, "1", EmitLineage.STATE_HASH, hash, EmitLineage.STATE_ALGORITHM, "SHA-256"), Scope.LOCAL);
    }

    @Test
    void provenanceLinksTheEventToTheDataAndNamesTheHash() throws Exception {
        runner.enqueue(CONTENT);
        runner.run();
        final MockFlowFile data = runner.getFlowFilesForRelationship(EmitLineage.REL_SUCCESS).getFirst();
        final MockFlowFile lineage = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst();
        final String hash = lineage.getAttribute(PublicDataAttributes.LINEAGE_HASH);
        final String expected = "Lineage event " + lineage.getAttribute(PublicDataAttributes.LINEAGE_ID) + ": event 1 of chain "
                + chain(lineage).get("chainId").asText() + ", SHA-256 hash " + hash;

        final ProvenanceEventRecord fork = provenance(ProvenanceEventType.FORK);
        assertEquals(expected, fork.getDetails());
        assertEquals(data.getAttribute("uuid"), fork.getFlowFileUuid());
        assertEquals(List.of(data.getAttribute("uuid")), fork.getParentUuids());
        assertEquals(List.of(lineage.getAttribute("uuid")), fork.getChildUuids());
        assertEquals(expected, provenance(ProvenanceEventType.ATTRIBUTES_MODIFIED).getDetails());
    }

    private ProvenanceEventRecord provenance(final ProvenanceEventType type) {
        return runner.getProvenanceEvents().stream().filter(e -> e.getEventType() == type && e.getDetails() != null).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type + " event with details in " + runner.getProvenanceEvents()));
    }

    /** The policy flow's attributes, as ClassifyRecord, EnforceGrantScope and ProtectRecord write them. */
    private static Map<String, String> policyAttributes(final MockFlowFile classified) {
        final Map<String, String> attributes = new HashMap<>(classified.getAttributes());
        attributes.put(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        attributes.put(PublicDataAttributes.DECISION, "PERMIT");
        attributes.put(PublicDataAttributes.USE_GRANTEE, "acme-analytics");
        attributes.put(PublicDataAttributes.USE_SCENARIO, "job-matching");
        attributes.put(PublicDataAttributes.USE_PURPOSE, "public-welfare");
        attributes.put(PublicDataAttributes.PROTECTED, "{\"/idCard\": \"MASK\", \"/phone\": {\"method\": \"ENCRYPT\", \"keyId\": \"k1\"}}");
        return attributes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void describesAClassifiedGrantedProtectedUseWithoutAnyValue(final String format) throws Exception {
        final TestRunner classify = TestRunners.newTestRunner(ClassifyRecord.class);
        if (format.equals("json")) {
            RecordTestSupport.useJson(classify);
        } else {
            RecordTestSupport.useCsv(classify);
        }
        classify.setProperty(ClassifyRecord.DATASET, "GOV-HR-001");
        final String input = resource(getClass(), "applicants." + format);
        classify.enqueue(input);
        classify.run();
        classify.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        final MockFlowFile classified = classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();

        runner.setProperty(EmitLineage.OUTPUT_DATASET, "portal/applicants");
        runner.enqueue(classified.getContentStream().readAllBytes(), policyAttributes(classified));
        runner.run();
        final MockFlowFile lineage = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst();
        runner.getFlowFilesForRelationship(EmitLineage.REL_SUCCESS).getFirst().assertContentEquals(classified.getContentStream().readAllBytes());
        final JsonNode event = event(lineage);

        assertEquals("GOV-HR-001", event.at("/inputs/0/name").asText());
        assertEquals("portal/applicants", event.at("/outputs/0/name").asText());
        assertEquals(3, event.at("/outputs/0/outputFacets/outputStatistics/rowCount").asInt());
        final JsonNode grant = event.at("/run/facets/publicdata_grant");
        assertEquals("GR-2025-0001", grant.get("grantId").asText());
        assertEquals("PERMIT", grant.get("decision").asText());
        assertEquals("job-matching", grant.get("scenario").asText());
        final JsonNode classification = event.at("/outputs/0/facets/publicdata_classification");
        assertEquals(classified.getAttribute(PublicDataAttributes.GRADE), classification.get("highestGrade").asText());
        long counted = 0;
        for (final JsonNode count : classification.get("gradeCounts")) {
            counted += count.asLong();
        }
        assertEquals(3, counted);
        assertEquals("L3", classification.at("/fields/~1idCard/grade").asText());
        assertEquals("PERSONAL_ID", classification.at("/fields/~1idCard/labels/0").asText());
        final JsonNode columns = event.at("/outputs/0/facets/columnLineage/fields");
        assertEquals("MASK", columns.at("/~1idCard/inputFields/0/transformations/0/description").asText());
        assertTrue(columns.at("/~1idCard/inputFields/0/transformations/0/masking").asBoolean());
        assertEquals("ENCRYPT", columns.at("/~1phone/inputFields/0/transformations/0/description").asText());
        assertEquals("IDENTITY", columns.at("/~1district/inputFields/0/transformations/0/subtype").asText());

        assertEquals(List.of(), OpenLineageSchemas.validateEvent(event));

        final String text = lineage.getContent();
        for (final String value : values(input, format)) {
            assertFalse(text.contains(value), () -> "The event holds the value " + value);
        }
    }

    /** Every value of the fixture that could not appear in an event by chance (inside a hash or UUID). */
    private static Set<String> values(final String input, final String format) throws IOException {
        final Set<String> values = new HashSet<>();
        if (format.equals("json")) {
            final List<JsonNode> pending = new ArrayList<>(List.of(MAPPER.readTree(input)));
            while (!pending.isEmpty()) {
                final JsonNode node = pending.removeLast();
                if (node.isContainerNode()) {
                    node.forEach(pending::add);
                } else if (!node.isNull()) {
                    values.add(node.asText());
                }
            }
        } else {
            input.lines().skip(1).forEach(line -> values.addAll(List.of(line.split(","))));
        }
        values.removeIf(value -> value.length() < 10 && (value.length() < 2 || value.matches("[0-9a-fA-F]*")));
        assertTrue(values.contains("11010519491231002X") && values.contains("朝阳区"), values.toString());
        return values;
    }

    @Test
    void continuesTheChainAcrossRunsAndRestarts() throws Exception {
        for (int i = 0; i < 3; i++) {
            runner.enqueue(CONTENT);
        }
        runner.run(3);
        runner.enqueue(CONTENT);
        runner.run();
        final List<MockFlowFile> events = new ArrayList<>(runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE));

        // A restart: a new processor instance finds the state NiFi kept
        final TestRunner restarted = newRunner();
        restarted.getStateManager().setState(runner.getStateManager().getState(Scope.LOCAL).toMap(), Scope.LOCAL);
        restarted.enqueue(CONTENT);
        restarted.enqueue(CONTENT);
        restarted.run(2);
        events.addAll(restarted.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE));

        final ChainVerifier.Result result = verify(events);
        assertTrue(result.intact(), () -> String.valueOf(result.broken()));
        assertEquals(1, result.heads().size());
        assertEquals(6, result.heads().iterator().next().sequence());
    }

    @Test
    void startsANewChainWhenStateIsLost() throws Exception {
        runner.enqueue(CONTENT);
        runner.enqueue(CONTENT);
        runner.run(2);
        runner.getStateManager().clear(Scope.LOCAL);
        runner.enqueue(CONTENT);
        runner.run();
        final List<MockFlowFile> events = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE);

        final String first = chain(events.get(0)).get("chainId").asText();
        final String second = chain(events.get(2)).get("chainId").asText();
        assertNotEquals(first, second);
        assertTrue(second.startsWith("nifi-1.example/"));
        assertEquals(1, chain(events.get(2)).get("sequence").asLong());
        assertEquals("0".repeat(64), chain(events.get(2)).get("previousHash").asText());
        final ChainVerifier.Result result = verify(events);
        assertTrue(result.intact(), () -> String.valueOf(result.broken()));
        assertEquals(2, result.heads().size());
    }

    @Test
    void startsANewChainWhenTheChainNameOrAlgorithmChanges() throws Exception {
        runner.enqueue(CONTENT);
        runner.run();
        runner.setProperty(EmitLineage.HASH_ALGORITHM, "SM3");
        runner.enqueue(CONTENT);
        runner.run();
        final List<MockFlowFile> events = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE);
        final JsonNode sm3 = event(events.get(1));
        assertEquals("SM3", sm3.at("/run/facets/publicdata_chain/algorithm").asText());
        assertEquals(1, sm3.at("/run/facets/publicdata_chain/sequence").asLong());
        assertEquals(HashAlgorithm.SM3.hex(CONTENT.getBytes(StandardCharsets.UTF_8)), sm3.at("/outputs/0/facets/publicdata_content/digest").asText());
        assertTrue(verify(events).intact());
    }

    @Test
    void concurrentTasksNeverShareASequenceNumber() throws Exception {
        final int count = 200;
        for (int i = 0; i < count; i++) {
            runner.enqueue("{\"n\": " + i + "}");
        }
        runner.setThreadCount(4);
        runner.run(count);
        final List<MockFlowFile> events = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE);
        assertEquals(count, events.size());
        final Set<Long> sequences = new HashSet<>();
        for (final MockFlowFile event : events) {
            assertTrue(sequences.add(chain(event).get("sequence").asLong()));
        }
        assertEquals(LongStream.rangeClosed(1, count).boxed().collect(Collectors.toSet()), sequences);
        // Concurrent tasks may hand their events on in another order than they took their sequence numbers
        final ChainVerifier.Result result = verify(events, ChainVerifier.Order.BY_SEQUENCE);
        assertTrue(result.intact(), () -> String.valueOf(result.broken()));
        assertEquals(count, result.heads().iterator().next().sequence());
    }

    @ParameterizedTest
    @ValueSource(strings = {"publicdata.fields=not json", "record.count=many", "publicdata.grade.counts=L9=3",
        "publicdata.grade.counts=L1", "publicdata.protected=[\"MASK\"]"})
    void unreadableAttributesSendTheOriginalToFailure(final String attribute) {
        final String[] pair = attribute.split("=", 2);
        runner.enqueue(CONTENT, Map.of(pair[0], pair[1]));
        runner.run();
        runner.assertAllFlowFilesTransferred(EmitLineage.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(EmitLineage.REL_FAILURE).getFirst();
        failed.assertContentEquals(CONTENT);
        failed.assertAttributeExists(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        failed.assertAttributeNotExists(PublicDataAttributes.LINEAGE_HASH);
        runner.getStateManager().assertStateNotSet(Scope.LOCAL);
    }

    @Test
    void anEmptyOutputDatasetIsAFailure() {
        runner.setProperty(EmitLineage.OUTPUT_DATASET, "${destination}");
        runner.enqueue(CONTENT);
        runner.run();
        runner.assertAllFlowFilesTransferred(EmitLineage.REL_FAILURE, 1);
        runner.getFlowFilesForRelationship(EmitLineage.REL_FAILURE).getFirst().assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE,
                "Output Dataset evaluated to nothing; set it, or the attributes it refers to");
    }

    @Test
    void whenStateCannotBeSavedNothingIsEmittedAndTheDataStaysQueued() throws IOException {
        runner.getStateManager().setFailOnStateSet(Scope.LOCAL, true);
        runner.enqueue(CONTENT);
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 0);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 0);
        runner.assertTransferCount(EmitLineage.REL_FAILURE, 0);
        runner.assertQueueNotEmpty();

        runner.getStateManager().setFailOnStateSet(Scope.LOCAL, false);
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 1);
        assertEquals("1", runner.getStateManager().getState(Scope.LOCAL).get(EmitLineage.STATE_SEQUENCE));
    }
}
