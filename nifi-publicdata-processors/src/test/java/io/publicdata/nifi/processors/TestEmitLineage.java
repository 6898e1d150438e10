package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageChain;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.publicdata.nifi.lineage.OpenLineageSchemaTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestEmitLineage {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT = "[{\"name\":\"张*\",\"idCard\":\"110105********002X\",\"phone\":\"pd1:A256GCM:k1:abc\",\"_grade\":\"L3\"}]";

    private TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(EmitLineage.class);
        runner.setProperty(EmitLineage.CHAIN_ID, "node-1");
        runner.setProperty(EmitLineage.JOB_NAME, "policy-flow");
    }

    private static Map<String, String> protectedAttributes() {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put("filename", "social-insurance.json");
        attributes.put(PublicDataAttributes.DATASET, "social-insurance");
        attributes.put(PublicDataAttributes.GRADE, "L3");
        attributes.put(PublicDataAttributes.GRADE_COUNTS, "L2=3,L3=1");
        attributes.put(PublicDataAttributes.FIELDS, "{\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\"]},\"/phone\":{\"grade\":\"L3\",\"labels\":[\"MOBILE\"]}}");
        attributes.put(PublicDataAttributes.GRANT_ID, "JN-DATA-2025-017");
        attributes.put(PublicDataAttributes.USE_GRANTEE, "91370100MA3QLPH82D");
        attributes.put(PublicDataAttributes.USE_SCENARIO, "普惠金融信用评估");
        attributes.put(PublicDataAttributes.DECISION, "PERMIT");
        attributes.put(PublicDataAttributes.PROTECTED, "{\"/idCard\":\"MASK\",\"/phone\":\"ENCRYPT\",\"/bankCard\":\"DROP\"}");
        attributes.put(PublicDataAttributes.RECORD_COUNT, "1");
        return attributes;
    }

    @Test
    void passesDataThroughAndWritesAValidEventAsItsChild() throws Exception {
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 1);
        final MockFlowFile data = runner.getFlowFilesForRelationship(EmitLineage.REL_SUCCESS).getFirst();
        data.assertContentEquals(CONTENT);
        final MockFlowFile lineage = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst();
        final JsonNode event = MAPPER.readTree(lineage.getContent());
        assertEquals(Set.of(), problems(event));

        assertEquals("COMPLETE", event.get("eventType").asText());
        assertEquals("policy-flow", event.path("job").path("name").asText());
        assertEquals("social-insurance", event.path("inputs").path(0).path("name").asText());
        assertEquals("social-insurance:released", event.path("outputs").path(0).path("name").asText());
        final JsonNode run = event.path("run").path("facets");
        assertEquals("JN-DATA-2025-017", run.path("publicdata_grant").path("grantId").asText());
        assertEquals("PERMIT", run.path("publicdata_grant").path("decision").asText());
        assertEquals(1, run.path("publicdata_classification").path("gradeCounts").path("L3").asInt());
        assertEquals("PERSONAL_ID", run.path("publicdata_classification").path("fields").path("/idCard").path("labels").path(0).asText());
        final JsonNode output = event.path("outputs").path(0).path("facets");
        assertEquals(1, output.path("publicdata_content").path("recordCount").asInt());
        assertEquals(64, output.path("publicdata_content").path("sha256").asText().length());
        assertEquals("ENCRYPT", output.path("columnLineage").path("fields").path("/phone").path("inputFields").path(0)
                .path("transformations").path(0).path("description").asText());
        assertTrue(output.path("columnLineage").path("fields").path("/phone").path("inputFields").path(0).path("transformations").path(0)
                .path("masking").asBoolean());
        assertFalse(output.path("columnLineage").path("fields").has("/bankCard"), "a dropped field has no output column");
        assertEquals("DROP", output.path("publicdata_protection").path("fields").path("/bankCard").asText());

        final String hash = run.path(LineageChain.FACET).path("hash").asText();
        assertEquals(1, run.path(LineageChain.FACET).path("sequence").asInt());
        assertEquals(LineageChain.GENESIS, run.path(LineageChain.FACET).path("previousHash").asText());
        data.assertAttributeEquals(PublicDataAttributes.LINEAGE_HASH, hash);
        lineage.assertAttributeEquals(PublicDataAttributes.LINEAGE_HASH, hash);
        data.assertAttributeEquals(PublicDataAttributes.LINEAGE_ID, event.path("run").path("runId").asText());
        lineage.assertAttributeEquals("mime.type", "application/json");
        assertTrue(lineage.getAttribute("filename").matches("node-1@\\d{8}T\\d{6}Z-1\\.json"), lineage.getAttribute("filename"));

        final List<ProvenanceEventRecord> events = runner.getProvenanceEvents();
        final ProvenanceEventRecord fork = events.stream().filter(e -> e.getEventType() == ProvenanceEventType.FORK).findFirst().orElseThrow();
        assertEquals(data.getAttribute("uuid"), fork.getFlowFileUuid());
        assertEquals(List.of(lineage.getAttribute("uuid")), fork.getChildUuids());
        final ProvenanceEventRecord modified = events.stream().filter(e -> e.getEventType() == ProvenanceEventType.ATTRIBUTES_MODIFIED).findFirst().orElseThrow();
        assertTrue(modified.getDetails().startsWith("Lineage event " + event.path("run").path("runId").asText() + ": chain node-1@"), modified.getDetails());
        assertTrue(modified.getDetails().contains(" #1, SHA-256 " + hash + "; content SHA-256 "), modified.getDetails());
    }

    @Test
    void noValueOfTheDataInTheEvent() {
        runner.enqueue("[{\"idCard\":\"11010519491231002X\",\"phone\":\"13800138000\"}]", protectedAttributes());
        runner.run();
        final String event = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst().getContent();
        assertFalse(event.contains("11010519491231002X") || event.contains("13800138000"), event);
    }

    @Test
    void aRestartContinuesTheChain() throws Exception {
        for (int i = 0; i < 3; i++) {
            runner.enqueue(CONTENT, protectedAttributes());
        }
        runner.run(3);
        // run() stops and starts the processor again (OnScheduled) with the same state manager: a restart
        for (int i = 0; i < 2; i++) {
            runner.enqueue(CONTENT, protectedAttributes());
        }
        runner.run(2);
        final List<JsonNode> chain = events();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), chain.stream().map(e -> chainFacet(e).path("sequence").asLong()).toList());
        assertEquals(1, chain.stream().map(e -> chainFacet(e).path("chainId").asText()).distinct().count());
        final ChainVerifier.Result result = verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(),
                runner.getStateManager().getState(Scope.LOCAL).get("chain.hash")));
        assertTrue(result.verified(), result.reason());
    }

    @Test
    void lostStateStartsANewChainAndNeverRepeatsASequenceOnAChain() throws Exception {
        runner.enqueue(CONTENT, protectedAttributes());
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run(2);
        runner.getStateManager().clear(Scope.LOCAL);
        Thread.sleep(1100);
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run();
        final List<JsonNode> chain = events();
        final String first = chainFacet(chain.getFirst()).path("chainId").asText();
        final String second = chainFacet(chain.getLast()).path("chainId").asText();
        assertNotEquals(first, second);
        assertTrue(second.startsWith("node-1@"), second);
        assertEquals(1, chainFacet(chain.getLast()).path("sequence").asInt());
        assertEquals(LineageChain.GENESIS, chainFacet(chain.getLast()).path("previousHash").asText());
        assertTrue(verify(chain, Map.of()).verified());
        assertEquals(3, chain.stream().map(e -> chainFacet(e).path("chainId").asText() + "#" + chainFacet(e).path("sequence").asText())
                .collect(Collectors.toSet()).size());
    }

    @Test
    void concurrentTasksKeepOneUnbrokenChain() throws Exception {
        runner.setProperty(EmitLineage.HASH_ALGORITHM, "SM3");
        final int flowFiles = 60;
        for (int i = 0; i < flowFiles; i++) {
            runner.enqueue(CONTENT + i, protectedAttributes());
        }
        runner.setThreadCount(4);
        runner.run(flowFiles);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, flowFiles);
        final List<JsonNode> chain = events();
        final Set<Long> sequences = new HashSet<>();
        chain.forEach(e -> sequences.add(chainFacet(e).path("sequence").asLong()));
        assertEquals(flowFiles, sequences.size());
        assertEquals("SM3", chainFacet(chain.getFirst()).path("hashAlgorithm").asText());
        assertTrue(verify(chain, Map.of()).verified());
    }

    @Test
    void unreadableAttributesGoToFailureUnchanged() {
        final Map<String, String> attributes = protectedAttributes();
        attributes.put(PublicDataAttributes.PROTECTED, "{not json");
        runner.enqueue(CONTENT, attributes);
        runner.run();
        runner.assertAllFlowFilesTransferred(EmitLineage.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(EmitLineage.REL_FAILURE).getFirst();
        failed.assertContentEquals(CONTENT);
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("publicdata.protected"));
    }

    private List<JsonNode> events() {
        return runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).stream().map(f -> {
            try {
                return MAPPER.readTree(f.getContent());
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        }).sorted(Comparator.comparing((JsonNode e) -> chainFacet(e).path("chainId").asText()).thenComparingLong(e -> chainFacet(e).path("sequence").asLong()))
                .toList();
    }

    private static JsonNode chainFacet(final JsonNode event) {
        return event.path("run").path("facets").path(LineageChain.FACET);
    }

    private static ChainVerifier.Result verify(final List<JsonNode> events, final Map<String, String> heads) throws Exception {
        final String lines = events.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        return new ChainVerifier(heads).verify(new BufferedReader(new StringReader(lines)));
    }
}
