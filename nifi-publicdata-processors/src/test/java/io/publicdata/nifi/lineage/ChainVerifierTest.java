package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainVerifierTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 1_000;

    /** A chain of events, one JSON line each, as EmitLineage writes them. */
    static List<String> chain(final LineageChain.Head start, final int count) {
        final List<String> lines = new ArrayList<>();
        LineageChain.Head head = start;
        for (int i = 0; i < count; i++) {
            final ObjectNode event = new LineageEvent("https://publicdata.io/nifi-publicdata/test")
                    .eventTime(Instant.parse("2025-03-01T08:00:00Z").plusSeconds(i))
                    .job("nifi", "open-data-release").input("publicdata", "GOV-HR-001").output("nifi", "portal")
                    .records((long) i).content(100 + i, head.algorithm(), head.algorithm().hex(new byte[]{(byte) i}))
                    .toJson();
            head = LineageChain.seal(event, head);
            lines.add(event.toString());
        }
        return lines;
    }

    private static ChainVerifier.Result verify(final List<String> lines, final String... expectedHeads) throws IOException {
        return ChainVerifier.verify(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")), Set.of(expectedHeads));
    }

    private static ChainVerifier.Result verifyBySequence(final List<String> lines) throws IOException {
        return ChainVerifier.verify(new BufferedReader(new StringReader(String.join("\n", lines))), Set.of(), ChainVerifier.Order.BY_SEQUENCE);
    }

    @Test
    void eventsStoredOutOfOrderVerifyBySequenceButNotAsWritten() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        lines.addAll(chain(LineageChain.start("nifi-2", HashAlgorithm.SM3), 10));
        Collections.shuffle(lines, new Random(42));
        assertFalse(verify(lines).intact());
        final ChainVerifier.Result result = verifyBySequence(lines);
        assertTrue(result.intact(), () -> String.valueOf(result.broken()));
        assertEquals(2, result.heads().size());
    }

    @Test
    void bySequenceStillFindsDeletionsEditsAndReplaysOnTheirOriginalLines() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        Collections.reverse(lines);
        final List<String> deleted = new ArrayList<>(lines);
        deleted.remove(500);   // event 500; event 501 is on line 500
        assertEquals(new ChainVerifier.Break(500, verifyBySequence(deleted).broken().chainId(), 501L,
                verifyBySequence(deleted).broken().reason()), verifyBySequence(deleted).broken());
        final List<String> edited = new ArrayList<>(lines);
        edited.set(10, edited.get(10).replace("\"rowCount\":989", "\"rowCount\":1"));
        assertEquals(11, verifyBySequence(edited).broken().line());
        final List<String> replayed = new ArrayList<>(lines);
        replayed.add(lines.get(3));
        assertEquals(EVENTS + 1, verifyBySequence(replayed).broken().line());
        assertTrue(verifyBySequence(List.of("{\"run\": {}}")).broken().reason().startsWith("not a chained lineage event"));
    }

    private static String lastHash(final List<String> lines) throws IOException {
        return MAPPER.readTree(lines.getLast()).at("/run/facets/publicdata_chain/hash").asText();
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void thousandEventsVerify(final HashAlgorithm algorithm) throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", algorithm), EVENTS);
        final ChainVerifier.Result result = verify(lines, lastHash(lines));
        assertNull(result.broken());
        assertEquals(EVENTS, result.events());
        assertEquals(EVENTS, result.heads().iterator().next().sequence());
    }

    @Test
    void interleavedChainsOfSeveralNodesVerify() throws IOException {
        final List<String> first = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), 50);
        final List<String> second = chain(LineageChain.start("nifi-2", HashAlgorithm.SM3), 50);
        final List<String> merged = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            merged.add(first.get(i));
            merged.add("");
            merged.add(second.get(i));
        }
        final ChainVerifier.Result result = verify(merged, lastHash(first), lastHash(second));
        assertTrue(result.intact(), () -> String.valueOf(result.broken()));
        assertEquals(2, result.heads().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 499, 998})
    void anEditedEventIsFoundOnItsLine(final int index) throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        lines.set(index, lines.get(index).replace("\"rowCount\":" + index, "\"rowCount\":" + (index + 7)));
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(index + 1, broken.line());
        assertTrue(broken.reason().contains("was altered"), broken.reason());
    }

    @Test
    void anEditedAndRehashedEventIsFoundOnTheNextLine() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        final ObjectNode event = (ObjectNode) MAPPER.readTree(lines.get(300));
        ((ObjectNode) event.at("/outputs/0/outputFacets/outputStatistics")).put("rowCount", 1);
        final ObjectNode chain = (ObjectNode) event.at("/run/facets/publicdata_chain");
        chain.put("hash", LineageChain.expectedHash(event, HashAlgorithm.SHA_256));
        lines.set(300, event.toString());
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(302, broken.line());
        assertTrue(broken.reason().contains("does not link to the event before it"), broken.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 500, 998})
    void aDeletedEventIsFoundOnTheLineAfterIt(final int index) throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        lines.remove(index);
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(index + 1, broken.line());
        assertEquals(index + 2, broken.sequence());
        assertTrue(broken.reason().contains("missing"), broken.reason());
    }

    @Test
    void aDeletedLastEventIsFoundOnlyAgainstTheExpectedHead() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        final String head = lastHash(lines);
        lines.removeLast();
        assertTrue(verify(lines).intact());
        final ChainVerifier.Break broken = verify(lines, head).broken();
        assertEquals(EVENTS, broken.line());
        assertTrue(broken.reason().startsWith("no chain ends at the expected head " + head), broken.reason());
    }

    @Test
    void aForgedEventAppendedAtTheHeadIsFoundAgainstTheExpectedHead() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        final String head = lastHash(lines);
        final ObjectNode last = (ObjectNode) MAPPER.readTree(lines.getLast());
        final LineageChain.Head forgerStart = new LineageChain.Head(last.at("/run/facets/publicdata_chain/chainId").asText(), EVENTS, head,
                HashAlgorithm.SHA_256);
        lines.addAll(chain(forgerStart, 1));
        assertTrue(verify(lines).intact(), "a well-forged head links correctly");
        assertEquals(EVENTS + 2, verify(lines, head).broken().line());
    }

    @Test
    void aForgedGenesisIsFound() throws IOException {
        final List<String> lines = chain(new LineageChain.Head("nifi-1/00000000", 0, HashAlgorithm.SHA_256.hex(new byte[0]),
                HashAlgorithm.SHA_256), 3);
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(1, broken.line());
        assertTrue(broken.reason().contains("genesis"), broken.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 500, 998})
    void aSwappedPairIsFoundOnItsFirstLine(final int index) throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        Collections.swap(lines, index, index + 1);
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(index + 1, broken.line());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 500, 999})
    void aReplayedEventIsFoundWhereItWasInserted(final int index) throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        lines.add(index, lines.get(index / 2));
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(index + 1, broken.line());
        assertTrue(broken.reason().contains("repeated, inserted or reordered"), broken.reason());
    }

    @Test
    void anInsertedEventHashedToFitIsFoundOnTheLineAfterIt() throws IOException {
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), EVENTS);
        final ObjectNode before = (ObjectNode) MAPPER.readTree(lines.get(399));
        final LineageChain.Head forger = new LineageChain.Head(before.at("/run/facets/publicdata_chain/chainId").asText(), 400,
                before.at("/run/facets/publicdata_chain/hash").asText(), HashAlgorithm.SHA_256);
        lines.add(400, chain(forger, 1).getFirst());
        final ChainVerifier.Break broken = verify(lines).broken();
        assertEquals(402, broken.line());
        assertEquals(401, broken.sequence());
    }

    @Test
    void whatIsNotAChainedEventBreaksTheChain() throws IOException {
        assertTrue(verify(List.of("{not json")).broken().reason().startsWith("not a JSON event"));
        assertEquals("line 1: not a chained lineage event (no complete publicdata_chain run facet)",
                verify(List.of("{\"run\": {}}")).broken().toString());
        final List<String> lines = chain(LineageChain.start("nifi-1", HashAlgorithm.SHA_256), 2);
        lines.set(1, lines.get(1).replace("\"algorithm\":\"SHA-256\"", "\"algorithm\":\"MD5\""));
        assertEquals("line 2: Unknown hash algorithm 'MD5'; expected SHA-256 or SM3", verify(lines).broken().toString());
        assertTrue(verify(List.of()).intact());
    }
}
