package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineageChainTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 1000;
    private static List<String> chain;
    private static String head;

    static ObjectNode event(final int i) {
        return LineageEvents.runEvent(new LineageEvents.Facts(Instant.ofEpochSecond(1_790_000_000L + i), new UUID(42, i), "nifi-publicdata",
                "policy-flow", new LineageEvents.Dataset("gov", "social-insurance"), new LineageEvents.Dataset("gov", "social-insurance:released"),
                i, "ab".repeat(32), 1000 + i, Map.of("grantId", "JN-DATA-2025-017", "decision", "PERMIT"), "L3", "L2=" + i + ",L3=1",
                MAPPER.createObjectNode().set("/idCard", MAPPER.createObjectNode().put("grade", "L3")), Map.of("/idCard", "MASK", "/bankCard", "DROP")));
    }

    static List<String> chain(final String chainId, final int count, final HashAlgorithm algorithm) {
        final List<String> lines = new ArrayList<>();
        LineageChain.Head current = LineageChain.Head.start(chainId);
        for (int i = 0; i < count; i++) {
            final ObjectNode event = event(i);
            current = LineageChain.append(event, current, algorithm);
            lines.add(event.toString());
        }
        return lines;
    }

    @BeforeAll
    static void buildChain() {
        chain = chain("node-1", EVENTS, HashAlgorithm.SHA_256);
        head = chainFacet(chain.getLast()).get("hash").asText();
    }

    private static ObjectNode chainFacet(final String line) {
        try {
            return (ObjectNode) MAPPER.readTree(line).path("run").path("facets").path(LineageChain.FACET);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChainVerifier.Result verify(final List<String> lines, final Map<String, String> expectedHeads) throws IOException {
        return new ChainVerifier(expectedHeads).verify(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")));
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void thousandEventsVerify(final HashAlgorithm algorithm) throws IOException {
        final List<String> lines = chain("node-1", EVENTS, algorithm);
        final ChainVerifier.Result result = verify(lines, Map.of("node-1", chainFacet(lines.getLast()).get("hash").asText()));
        assertTrue(result.verified(), result.reason());
        assertEquals(EVENTS, result.events());
        assertEquals(EVENTS, result.heads().get("node-1").sequence());
        assertEquals(algorithm.displayName(), chainFacet(lines.getFirst()).get("hashAlgorithm").asText());
        assertEquals(LineageChain.GENESIS, chainFacet(lines.getFirst()).get("previousHash").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 499, 998, 999})
    void anEditIsFoundWhereItIs(final int index) throws IOException {
        final List<String> edited = new ArrayList<>(chain);
        edited.set(index, edited.get(index).replace("\"recordCount\":" + index + ",", "\"recordCount\":" + (index + 1) + ","));
        final ChainVerifier.Result result = verify(edited, Map.of());
        assertEquals(index + 1, result.line());
        assertTrue(result.reason().contains("it was edited"), result.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 500, 998})
    void aDeletionIsFoundWhereItIs(final int index) throws IOException {
        final List<String> deleted = new ArrayList<>(chain);
        deleted.remove(index);
        final ChainVerifier.Result result = verify(deleted, Map.of());
        assertEquals(index + 1, result.line(), result.reason());
        assertTrue(result.reason().contains("1 events are missing (deleted)"), result.reason());
    }

    @Test
    void deletingTheLastEventsIsFoundAgainstTheKnownHead() throws IOException {
        final ChainVerifier.Result result = verify(chain.subList(0, EVENTS - 2), Map.of("node-1", head));
        assertEquals(EVENTS - 1, result.line());
        assertTrue(result.reason().contains("ends at sequence 998"), result.reason());
        assertTrue(verify(chain.subList(0, EVENTS - 2), Map.of()).verified(), "without a known head a truncated chain cannot be told");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 500, 999})
    void anInsertionIsFoundWhereItIs(final int index) throws IOException {
        // A well-formed event, hashed correctly, claiming the place of the event at index
        final ObjectNode forged = event(index);
        final ObjectNode before = index == 0 ? null : (ObjectNode) MAPPER.readTree(chain.get(index - 1));
        LineageChain.append(forged, new LineageChain.Head("node-1", index, before == null ? LineageChain.GENESIS
                : chainFacet(chain.get(index - 1)).get("hash").asText()), HashAlgorithm.SHA_256);
        forged.with("run").put("runId", UUID.randomUUID().toString());
        LineageChain.append(forged, new LineageChain.Head("node-1", index, chainFacet(forged.toString()).get("previousHash").asText()), HashAlgorithm.SHA_256);
        final List<String> inserted = new ArrayList<>(chain);
        inserted.add(index, forged.toString());
        final ChainVerifier.Result result = verify(inserted, Map.of("node-1", head));
        // the forged event itself links; the genuine one after it no longer does
        assertEquals(index + 2, result.line(), result.reason());
        assertTrue(result.reason().contains("out of order or inserted"), result.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 500, 998})
    void aSwapIsFoundWhereItIs(final int index) throws IOException {
        final List<String> swapped = new ArrayList<>(chain);
        swapped.set(index, chain.get(index + 1));
        swapped.set(index + 1, chain.get(index));
        final ChainVerifier.Result result = verify(swapped, Map.of());
        assertEquals(index + 1, result.line());
        assertTrue(result.reason().contains("events are missing"), result.reason());
    }

    @Test
    void aForgedStartOrHeadIsFound() throws IOException {
        // A start rewritten to link from a made-up hash
        final ObjectNode first = (ObjectNode) MAPPER.readTree(chain.getFirst());
        ((ObjectNode) first.path("run").path("facets").path(LineageChain.FACET)).put("previousHash", "1".repeat(64));
        ((ObjectNode) first.path("run").path("facets").path(LineageChain.FACET)).put("hash", LineageChain.hash(first, HashAlgorithm.SHA_256));
        final List<String> forgedStart = new ArrayList<>(chain);
        forgedStart.set(0, first.toString());
        final ChainVerifier.Result start = verify(forgedStart, Map.of());
        assertEquals(1, start.line());
        assertTrue(start.reason().contains("a forged start"), start.reason());

        // A last event replaced by a consistent forgery is only found against the known head
        final ObjectNode last = event(5000);
        LineageChain.append(last, new LineageChain.Head("node-1", EVENTS - 1, chainFacet(chain.get(EVENTS - 2)).get("hash").asText()), HashAlgorithm.SHA_256);
        final List<String> forgedHead = new ArrayList<>(chain);
        forgedHead.set(EVENTS - 1, last.toString());
        final ChainVerifier.Result result = verify(forgedHead, Map.of("node-1", head));
        assertEquals(EVENTS + 1, result.line());
        assertTrue(result.reason().contains("its known head is " + head), result.reason());
    }

    @Test
    void interleavedChainsOfSeveralNodesVerifyEachOnItsOwn() throws IOException {
        final List<String> a = chain("node-a", 5, HashAlgorithm.SM3);
        final List<String> b = chain("node-b", 5, HashAlgorithm.SHA_256);
        final List<String> merged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            merged.add(a.get(i));
            merged.add(b.get(i));
        }
        assertTrue(verify(merged, Map.of()).verified());
        merged.remove(3);
        assertEquals(5, verify(merged, Map.of()).line(), "node-b's second event is missing");
    }

    @Test
    void notAnEventIsReported() throws IOException {
        assertTrue(verify(List.of("{\"eventType\":\"COMPLETE\"}"), Map.of()).reason().contains("not a lineage event"));
        assertTrue(verify(List.of("{"), Map.of()).reason().contains("not a JSON event"));
    }
}
