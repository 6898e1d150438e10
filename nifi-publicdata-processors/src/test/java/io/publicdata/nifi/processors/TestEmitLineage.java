package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageChain;
import org.apache.nifi.annotation.behavior.TriggerSerially;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.publicdata.nifi.lineage.OpenLineageSchemaTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    /** Sessions that save state with their commit, over the runner's queue and state, the processor scheduled. */
    private CommittingSessions committingSessions() {
        runner.run(1, false, true);
        return new CommittingSessions(runner.getProcessSessionFactory(), runner.getStateManager(), EmitLineage.REL_LINEAGE);
    }

    private void trigger(final CommittingSessions sessions) {
        ((EmitLineage) runner.getProcessor()).onTrigger(runner.getProcessContext(), sessions);
    }

    @Test
    void aFailedCommitSavesNoHeadAndTheSameDataGetsTheSameSequenceNumbersAgain() throws Exception {
        final CommittingSessions sessions = committingSessions();
        runner.enqueue(CONTENT + 1, protectedAttributes());
        trigger(sessions);
        final Map<String, String> afterFirst = runner.getStateManager().getState(Scope.LOCAL).toMap();

        sessions.nextCommits(CommittingSessions.Commit.FAIL);
        runner.enqueue(CONTENT + 2, protectedAttributes());
        runner.enqueue(CONTENT + 3, protectedAttributes());
        trigger(sessions);
        runner.getStateManager().assertStateEquals(afterFirst, Scope.LOCAL);
        assertEquals(2, runner.getQueueSize().getObjectCount(), "the data stays queued");
        assertEquals(1, sessions.downstream().size(), "no event of the failed commit left");

        sessions.nextCommits(CommittingSessions.Commit.SUCCEED);
        trigger(sessions);
        final List<JsonNode> chain = parse(sessions.downstream());
        assertEquals(List.of(1L, 2L, 3L), chain.stream().map(e -> chainFacet(e).path("sequence").asLong()).toList());
        final ChainVerifier.Result result = verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(),
                runner.getStateManager().getState(Scope.LOCAL).get("chain.hash")));
        assertTrue(result.verified(), result.reason());
    }

    @Test
    void aHeadNiFiFailedToSaveAfterTheCommitIsNotUsedAgain() throws Exception {
        final CommittingSessions sessions = committingSessions();
        runner.enqueue(CONTENT + 1, protectedAttributes());
        trigger(sessions);
        // The FlowFiles are committed, the state write after them fails (NiFi logs a warning): the state is one event behind
        sessions.nextCommits(CommittingSessions.Commit.LOSE_STATE_WRITE);
        runner.enqueue(CONTENT + 2, protectedAttributes());
        trigger(sessions);
        assertEquals("1", runner.getStateManager().getState(Scope.LOCAL).get("chain.sequence"));

        sessions.nextCommits(CommittingSessions.Commit.SUCCEED);
        runner.enqueue(CONTENT + 3, protectedAttributes());
        trigger(sessions);
        final List<JsonNode> chain = parse(sessions.downstream());
        assertEquals(List.of(1L, 2L, 3L), chain.stream().map(e -> chainFacet(e).path("sequence").asLong()).toList());
        assertEquals("3", runner.getStateManager().getState(Scope.LOCAL).get("chain.sequence"));
        final ChainVerifier.Result result = verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(),
                runner.getStateManager().getState(Scope.LOCAL).get("chain.hash")));
        assertTrue(result.verified(), result.reason());
    }

    @Test
    void deferredCommitCallbacksNeitherBlockTheNextTriggerNorRepeatASequence() throws Exception {
        // Stateless NiFi runs commit callbacks only when the whole dataflow has finished; the old lock waited for them
        final CommittingSessions sessions = committingSessions();
        sessions.nextCommits(CommittingSessions.Commit.DEFER_CALLBACKS);
        for (int i = 0; i < 3; i++) {
            runner.enqueue(CONTENT + i, protectedAttributes());
            trigger(sessions);
        }
        sessions.completeDeferred();
        runner.enqueue(CONTENT + 3, protectedAttributes());
        trigger(sessions);
        final List<JsonNode> chain = parse(sessions.downstream());
        assertEquals(List.of(1L, 2L, 3L, 4L), chain.stream().map(e -> chainFacet(e).path("sequence").asLong()).toList());
        assertTrue(verify(chain, Map.of()).verified());
    }

    @Test
    void concurrentTriggersAndArrivalsKeepOneChainInOrder() throws Exception {
        // NiFi never overlaps triggers of a processor it triggers serially; here they overlap anyway, while data arrives
        assertNotNull(EmitLineage.class.getAnnotation(TriggerSerially.class));
        runner.setProperty(EmitLineage.HASH_ALGORITHM, "SM3");
        final CommittingSessions sessions = committingSessions();
        final int flowFiles = 400;
        final int threads = 4;
        final ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
        try {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<?>> tasks = new ArrayList<>();
            tasks.add(executor.submit(() -> {
                go.await();
                for (int i = 0; i < flowFiles; i++) {
                    runner.enqueue(CONTENT + i, protectedAttributes());
                }
                return null;
            }));
            for (int t = 0; t < threads; t++) {
                tasks.add(executor.submit(() -> {
                    go.await();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (sessions.downstream().size() < flowFiles && System.nanoTime() < deadline) {
                        trigger(sessions);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (final Future<?> task : tasks) {
                task.get(90, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        final List<MockFlowFile> emitted = sessions.downstream();
        assertEquals(flowFiles, emitted.size());
        final List<JsonNode> chain = parse(emitted);
        assertEquals(LongStream.rangeClosed(1, flowFiles).boxed().toList(), chain.stream().map(e -> chainFacet(e).path("sequence").asLong()).toList(),
                "each sequence number once, none missing, in the order the events left");
        assertEquals(1, chain.stream().map(e -> chainFacet(e).path("chainId").asText()).distinct().count());
        assertEquals("SM3", chainFacet(chain.getFirst()).path("hashAlgorithm").asText());
        // Read in the order they left, as an append-only store would hold them
        final ChainVerifier.Result result = verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(),
                runner.getStateManager().getState(Scope.LOCAL).get("chain.hash")));
        assertTrue(result.verified(), result.reason());
    }

    @Test
    void oneTriggerLinksABatchInQueueOrderAndAFailedFlowFileTakesNoSequenceNumber() throws Exception {
        final int flowFiles = EmitLineage.MAX_BATCH_FLOWFILES + 20;
        for (int i = 0; i < flowFiles; i++) {
            final Map<String, String> attributes = protectedAttributes();
            attributes.remove(PublicDataAttributes.DATASET);
            attributes.put("filename", "part-" + i);
            if (i == 7) {
                attributes.put(PublicDataAttributes.PROTECTED, "{not json");
            }
            runner.enqueue(CONTENT + i, attributes);
        }
        runner.run(1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, EmitLineage.MAX_BATCH_FLOWFILES - 1);
        runner.assertTransferCount(EmitLineage.REL_FAILURE, 1);
        runner.run(1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, flowFiles - 1);
        runner.assertQueueEmpty();

        final List<MockFlowFile> data = runner.getFlowFilesForRelationship(EmitLineage.REL_SUCCESS);
        final List<JsonNode> chain = parse(runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE));
        for (int i = 0; i < chain.size(); i++) {
            assertEquals(i + 1, chainFacet(chain.get(i)).path("sequence").asLong());
            assertEquals(data.get(i).getAttribute("filename"), chain.get(i).path("inputs").path(0).path("name").asText(), "events follow the queue");
            data.get(i).assertAttributeEquals(EmitLineage.LINEAGE_SEQUENCE, String.valueOf(i + 1));
        }
        final ChainVerifier.Result result = verify(chain, Map.of(chainFacet(chain.getLast()).path("chainId").asText(),
                runner.getStateManager().getState(Scope.LOCAL).get("chain.hash")));
        assertTrue(result.verified(), result.reason());
    }

    @Test
    void aBatchEndsOnceItsContentReachesTheLimit() {
        final String big = "x".repeat((int) (EmitLineage.MAX_BATCH_BYTES / 2));
        for (int i = 0; i < 3; i++) {
            runner.enqueue(big, protectedAttributes());
        }
        runner.run(1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 2);
        runner.run(1);
        runner.assertTransferCount(EmitLineage.REL_LINEAGE, 3);
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
        return parse(runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE));
    }

    private static List<JsonNode> parse(final List<MockFlowFile> flowFiles) {
        return flowFiles.stream().map(f -> {
            try {
                return MAPPER.readTree(f.getContent());
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static JsonNode chainFacet(final JsonNode event) {
        return event.path("run").path("facets").path(LineageChain.FACET);
    }

    private static ChainVerifier.Result verify(final List<JsonNode> events, final Map<String, String> heads) throws Exception {
        final String lines = events.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        return new ChainVerifier(heads).verify(new BufferedReader(new StringReader(lines)));
    }
}
