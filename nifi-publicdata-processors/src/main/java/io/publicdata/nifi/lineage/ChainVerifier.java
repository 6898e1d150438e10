package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Verifies lineage events read as JSON Lines, in the order they were written, and reports the first broken link.
 * A file may hold several chains (one per node of a cluster, or a new chain after lost state), interleaved; each is
 * checked on its own. Each event must hash to its stated hash (else it was edited), and follow its chain's previous
 * event: the next sequence number (else events were deleted, inserted or reordered) and the previous event's hash
 * as its previousHash. A chain must start at sequence 1 from the genesis hash, unless its known start is given.
 * Optionally the last event of a chain must match a head known from elsewhere (NiFi's state, or the
 * {@code publicdata.lineage.hash} of the last FlowFile in provenance), which finds a forged or truncated head.
 */
public final class ChainVerifier {

    /**
     * Parses as strictly as grant documents are parsed: a repeated member name is an error, not a silent choice of the
     * last one. Otherwise an event could carry a forged member (say a second {@code outputs}) that a reader keeping
     * the first occurrence shows, while the hash, computed over the last, still verifies. Text after the event is an
     * error too.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * The outcome.
     *
     * @param events the events read (up to the broken one)
     * @param line   the line of the first broken link, 0 when the chain verifies
     * @param reason why the link is broken, or null
     * @param heads  the last hash of each chain id
     */
    public record Result(long events, long line, String reason, Map<String, LineageChain.Head> heads) {

        public boolean verified() {
            return line == 0;
        }
    }

    private final Map<String, String> expectedHeads;

    /** @param expectedHeads chain id → the hash its last event must have; empty to check the chain alone */
    public ChainVerifier(final Map<String, String> expectedHeads) {
        this.expectedHeads = Map.copyOf(expectedHeads);
    }

    public Result verify(final BufferedReader lines) throws IOException {
        final Map<String, LineageChain.Head> heads = new HashMap<>();
        long lineNumber = 0;
        long events = 0;
        String text;
        while ((text = lines.readLine()) != null) {
            lineNumber++;
            if (text.isBlank()) {
                continue;
            }
            final String problem = check(text, heads);
            if (problem != null) {
                return new Result(events, lineNumber, problem, heads);
            }
            events++;
        }
        for (final Map.Entry<String, String> expected : expectedHeads.entrySet()) {
            final LineageChain.Head head = heads.get(expected.getKey());
            if (head == null) {
                return new Result(events, lineNumber + 1, "chain '" + expected.getKey() + "' has no event, but its head should be " + expected.getValue(), heads);
            }
            if (!head.hash().equals(expected.getValue())) {
                return new Result(events, lineNumber + 1, "chain '" + expected.getKey() + "' ends at sequence " + head.sequence() + " with hash " + head.hash()
                        + ", but its known head is " + expected.getValue() + ": events after it were deleted, or its last events forged", heads);
            }
        }
        return new Result(events, 0, null, heads);
    }

    /** Checks one event against its chain and advances the chain; returns the problem, or null. */
    private static String check(final String text, final Map<String, LineageChain.Head> heads) {
        final JsonNode event;
        try {
            event = MAPPER.readTree(text);
        } catch (final StreamReadException e) {
            return e.getOriginalMessage().startsWith("Duplicate field")
                    ? "not one event but two readings of it: " + e.getOriginalMessage() + " (a repeated member name is refused)"
                    : "not a JSON event: " + e.getOriginalMessage();
        } catch (final JsonProcessingException e) {
            return "not a JSON event: " + e.getOriginalMessage();
        }
        final JsonNode chain = event.path("run").path("facets").path(LineageChain.FACET);
        if (!(event instanceof ObjectNode object) || !chain.path("chainId").isTextual() || !chain.path("sequence").canConvertToLong()
                || !chain.path("previousHash").isTextual() || !chain.path("hash").isTextual()) {
            return "not a lineage event: run.facets." + LineageChain.FACET + " with chainId, sequence, previousHash and hash is missing";
        }
        final HashAlgorithm algorithm;
        try {
            algorithm = HashAlgorithm.fromDisplayName(chain.path("hashAlgorithm").asText(HashAlgorithm.SHA_256.displayName()));
        } catch (final IllegalArgumentException e) {
            return e.getMessage();
        }
        final String chainId = chain.get("chainId").asText();
        final long sequence = chain.get("sequence").asLong();
        final String hash = chain.get("hash").asText();
        final String previousHash = chain.get("previousHash").asText();
        final String where = "chain '" + chainId + "' sequence " + sequence;
        if (!LineageChain.hash(object, algorithm).equals(hash)) {
            return where + ": the event does not hash to its stated hash: it was edited";
        }
        final LineageChain.Head head = heads.getOrDefault(chainId, LineageChain.Head.start(chainId));
        if (sequence != head.sequence() + 1) {
            return sequence > head.sequence() + 1
                    ? where + ": expected sequence " + (head.sequence() + 1) + "; " + (sequence - head.sequence() - 1) + " events are missing (deleted) before it"
                    : where + ": expected sequence " + (head.sequence() + 1) + "; the event is out of order or inserted";
        }
        if (!previousHash.equals(head.hash())) {
            return where + ": previousHash does not match the hash of the event before it"
                    + (head.sequence() == 0 ? " (the genesis hash): a forged start" : ": the event was inserted or replaced");
        }
        heads.put(chainId, new LineageChain.Head(chainId, sequence, hash));
        return null;
    }
}
