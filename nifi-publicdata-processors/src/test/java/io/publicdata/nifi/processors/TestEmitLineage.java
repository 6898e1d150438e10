package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageChain;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
        assertTrue(lineage.getAttribute("filename").matches("node-1@\\d{8}T\\d{6}Z\\.[0-9a-f]{8}-1\\.json"), lineage.getAttribute("filename"));

        final List<ProvenanceEventRecord> events = runner.getProvenanceEvents();
        final ProvenanceEventRecord fork = events.stream().filter(e -> e.getEventType() == ProvenanceEventType.FORK).findFirst().orElseThrow();
        assertEquals(data.getAttribute("uuid"), fork.getFlowFileUuid());
        assertEquals(List.of(lineage.getAttribute("uuid")), fork.getChildUuids());
        final ProvenanceEventRecord modified = events.stream().filter(e -> e.getEventType() == ProvenanceEventType.ATTRIBUTES_MODIFIED).findFirst().orElseThrow();
        assertTrue(modified.getDetails().startsWith("Lineage event " + event.path("run").path("runId").asText() + ": chain node-1@"), modified.getDetails());
        assertTrue(modified.getDetails().contains(" #1, SHA-256 " + hash + "; content SHA-256 "), modified.getDetails());
        final ProvenanceEventRecord described = events.stream().filter(e -> e.getEventType() == ProvenanceEventType.FORK && e.getDetails() != null)
                .findFirst().orElseThrow();
        assertEquals(modified.getDetails(), described.getDetails());
        assertEquals(List.of(data.getAttribute("uuid")), described.getParentUuids());
        assertEquals(List.of(lineage.getAttribute("uuid")), described.getChildUuids());
    }

    @Test
    void whenTheHeadCannotBeSavedNothingLeavesAndTheDataStaysQueued() throws Exception {
        runner.getStateManager().setFailOnStateSet(Scope.LOCAL, true);
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 0);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 0);
        runner.assertTransferCount(EmitLineage.REL_FAILURE, 0);
        runner.assertQueueNotEmpty();

        runner.getStateManager().setFailOnStateSet(Scope.LOCAL, false);
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 1);
        assertEquals(1, chainFacet(events().getFirst()).path("sequence").asLong());
    }

    @Test
    void aFailedCommitGivesItsSequenceNumberBack() throws Exception {
        final CommitFailingEmitLineage processor = new CommitFailingEmitLineage();
        runner = TestRunners.newTestRunner(processor);
        runner.setProperty(EmitLineage.CHAIN_ID, "node-1");
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run();
        final Map<String, String> afterFirst = runner.getStateManager().getState(Scope.LOCAL).toMap();

        processor.failCommit = true;
        runner.enqueue(CONTENT, protectedAttributes());
        runner.run(1, false, false);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 1);
        runner.getStateManager().assertStateEquals(afterFirst, Scope.LOCAL);
        runner.assertQueueNotEmpty();

        processor.failCommit = false;
        runner.run(1, true, false);
        final List<JsonNode> chain = events();
        assertEquals(2, chain.size());
        assertEquals(2, chainFacet(chain.getLast()).path("sequence").asLong());
        assertTrue(verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(), chainFacet(chain.getLast()).path("hash").asText()))
                .verified());
    }

    /** EmitLineage whose session commit fails on request, as when the repositories cannot be written. */
    private static final class CommitFailingEmitLineage extends EmitLineage {
        private volatile boolean failCommit;

        @Override
        public void onTrigger(final ProcessContext context, final ProcessSession session) {
            if (!failCommit) {
                super.onTrigger(context, session);
                return;
            }
            super.onTrigger(context, (ProcessSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ProcessSession.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commitAsync") && method.getParameterCount() == 2) {
                            session.rollback();
                            @SuppressWarnings("unchecked")
                            final Consumer<Throwable> onFailure = (Consumer<Throwable>) args[1];
                            onFailure.accept(new ProcessException("Content repository full"));
                            return null;
                        }
                        try {
                            return method.invoke(session, args);
                        } catch (final InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }
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
        // Lost twice within a second: each loss still starts a chain of its own
        for (int i = 0; i < 2; i++) {
            runner.getStateManager().clear(Scope.LOCAL);
            runner.enqueue(CONTENT, protectedAttributes());
            runner.run();
        }
        final List<JsonNode> chain = events();
        final List<String> chainIds = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).stream()
                .map(flowFile -> flowFile.getAttribute(EmitLineage.LINEAGE_CHAIN)).toList();
        assertEquals(chainIds.get(0), chainIds.get(1));
        assertEquals(3, Set.copyOf(chainIds).size(), chainIds.toString());
        for (final String chainId : chainIds) {
            assertTrue(chainId.matches("node-1@\\d{8}T\\d{6}Z\\.[0-9a-f]{8}"), chainId);
        }
        final List<JsonNode> restarted = chain.stream().filter(e -> !chainFacet(e).path("chainId").asText().equals(chainIds.get(0))).toList();
        for (final JsonNode event : restarted) {
            assertEquals(1, chainFacet(event).path("sequence").asInt());
            assertEquals(LineageChain.GENESIS, chainFacet(event).path("previousHash").asText());
        }
        assertTrue(verify(chain, Map.of()).verified());
        assertEquals(4, chain.stream().map(e -> chainFacet(e).path("chainId").asText() + "#" + chainFacet(e).path("sequence").asText())
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
