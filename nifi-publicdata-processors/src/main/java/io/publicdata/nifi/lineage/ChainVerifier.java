package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a sequence of lineage events, one JSON object per line (JSON Lines), and reports the first broken link.
 * Events of several chains (one per NiFi node) may be interleaved; each chain must start at sequence 1 from the
 * genesis hash and continue without gap, repetition or reordering, every event must hash to the hash it carries,
 * and every event's {@code previousHash} must be the hash of the chain's event before it. Blank lines are skipped.
 *
 * <p>What each kind of tampering looks like, and the line reported:
 * <ul>
 *     <li>an edited event: its hash no longer matches (that line); if the editor also re-hashed it, the next event's
 *     previousHash no longer matches (the next line of that chain);</li>
 *     <li>a deleted event: a gap in the sequence numbers (the line after the deletion);</li>
 *     <li>an inserted event: a repeated sequence number or a previousHash that does not match (the inserted line, or
 *     the line after it when the insertion was hashed to fit);</li>
 *     <li>a swapped pair: a sequence number that skips ahead (the first line of the pair);</li>
 *     <li>a forged or truncated head (events appended or the last events removed): only an expected head hash,
 *     taken from NiFi (the processor's state or the last event's provenance), shows it; reported after the last line.</li>
 * </ul>
 * Events stored out of order by design (several concurrent writers) are checked with {@link Order#BY_SEQUENCE}, where
 * a swapped pair is no break. In the default order memory is constant in the number of events: one head per chain.
 */
public final class ChainVerifier {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where the chain broke: the 1-based line number, the chain and sequence concerned when known, and why. */
    public record Break(long line, String chainId, Long sequence, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /** The outcome: how many events were read, each chain's last event, and the first break or null. */
    public record Result(long events, Collection<LineageChain.Head> heads, Break broken) {
        public boolean intact() {
            return broken == null;
        }
    }

    private ChainVerifier() {
    }

    /** Whether events must be stored in chain order, or may be stored in any order (each chain sorted by sequence first). */
    public enum Order {
        /** The file holds each chain's events in sequence: a reordered pair is a break. Constant memory. */
        AS_WRITTEN,
        /**
         * Events may have been stored out of order (concurrent writers, a merge, a database): each chain is checked in
         * sequence order, reordering alone is no break. Holds the whole file in memory.
         */
        BY_SEQUENCE
    }

    /**
     * Verifies events stored in chain order.
     *
     * @param lines         the JSON Lines to read
     * @param expectedHeads hashes that must each be the last hash of a chain (empty to check only the links)
     */
    public static Result verify(final BufferedReader lines, final Set<String> expectedHeads) throws IOException {
        return verify(lines, expectedHeads, Order.AS_WRITTEN);
    }

    /**
     * Verifies the events.
     *
     * @param lines         the JSON Lines to read
     * @param expectedHeads hashes that must each be the last hash of a chain (empty to check only the links)
     * @param order         whether the events must be in chain order
     */
    public static Result verify(final BufferedReader lines, final Set<String> expectedHeads, final Order order) throws IOException {
        final Map<String, LineageChain.Head> heads = new LinkedHashMap<>();
        final List<NumberedLine> sorted = new ArrayList<>();
        long lineNumber = 0;
        long events = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            events++;
            if (order == Order.BY_SEQUENCE) {
                sorted.add(new NumberedLine(lineNumber, line, sortKey(line)));
                continue;
            }
            final Break broken = check(line, lineNumber, heads);
            if (broken != null) {
                return new Result(events, List.copyOf(heads.values()), broken);
            }
        }
        // Stable: lines that are not chained events keep their place among the first and are reported as such
        sorted.sort(Comparator.comparing(NumberedLine::key, Comparator.nullsFirst(Comparator.<SortKey>naturalOrder())));
        for (final NumberedLine numbered : sorted) {
            final Break broken = check(numbered.line(), numbered.number(), heads);
            if (broken != null) {
                return new Result(events, List.copyOf(heads.values()), broken);
            }
        }
        for (final String expected : expectedHeads) {
            if (heads.values().stream().noneMatch(head -> head.hash().equalsIgnoreCase(expected.strip()))) {
                return new Result(events, List.copyOf(heads.values()), new Break(lineNumber + 1, null, null,
                        "no chain ends at the expected head " + expected.strip() + ": events after it were appended, or the last events were removed"));
            }
        }
        return new Result(events, List.copyOf(heads.values()), null);
    }

    private record SortKey(String chainId, long sequence) implements Comparable<SortKey> {
        @Override
        public int compareTo(final SortKey other) {
            final int byChain = chainId.compareTo(other.chainId);
            return byChain != 0 ? byChain : Long.compare(sequence, other.sequence);
        }
    }

    private record NumberedLine(long number, String line, SortKey key) {
    }

    /** Where an event belongs in its chain; null when the line is no chained event (check reports it). */
    private static SortKey sortKey(final String line) {
        try {
            final JsonNode chain = LineageChain.chainFacet(MAPPER.readTree(line));
            return chain == null || !chain.path("chainId").isTextual() || !chain.path("sequence").canConvertToLong() ? null
                    : new SortKey(chain.get("chainId").asText(), chain.get("sequence").asLong());
        } catch (final JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static Break check(final String line, final long lineNumber, final Map<String, LineageChain.Head> heads) {
        final JsonNode event;
        try {
            event = MAPPER.readTree(line);
        } catch (final JsonProcessingException e) {
            return new Break(lineNumber, null, null, "not a JSON event: " + e.getOriginalMessage());
        }
        final JsonNode chain = event == null || !event.isObject() ? null : LineageChain.chainFacet(event);
        if (chain == null || !chain.path("chainId").isTextual() || !chain.path("sequence").canConvertToLong()
                || !chain.path("previousHash").isTextual() || !chain.path("hash").isTextual()) {
            return new Break(lineNumber, null, null, "not a chained lineage event (no complete publicdata_chain run facet)");
        }
        final String chainId = chain.get("chainId").asText();
        final long sequence = chain.get("sequence").asLong();
        final String previousHash = chain.get("previousHash").asText();
        final String hash = chain.get("hash").asText();
        final HashAlgorithm algorithm;
        final String expectedHash;
        try {
            algorithm = HashAlgorithm.forLabel(chain.path("algorithm").asText());
            expectedHash = LineageChain.expectedHash(event, algorithm);
        } catch (final IllegalArgumentException e) {
            return new Break(lineNumber, chainId, sequence, e.getMessage());
        }
        if (!expectedHash.equals(hash)) {
            return new Break(lineNumber, chainId, sequence, "event " + sequence + " of chain " + chainId
                    + " was altered: its content hashes to " + expectedHash + ", not to the hash it carries");
        }
        final LineageChain.Head previous = heads.get(chainId);
        if (previous == null) {
            if (sequence != 1) {
                return new Break(lineNumber, chainId, sequence, "chain " + chainId + " starts at event " + sequence
                        + ": events 1 to " + (sequence - 1) + " are missing");
            }
            if (!previousHash.equals(algorithm.genesis())) {
                return new Break(lineNumber, chainId, sequence, "event 1 of chain " + chainId + " does not start from the genesis hash: it is forged");
            }
        } else {
            if (algorithm != previous.algorithm()) {
                return new Break(lineNumber, chainId, sequence, "event " + sequence + " of chain " + chainId + " uses " + algorithm.label()
                        + " where the chain uses " + previous.algorithm().label());
            }
            if (sequence <= previous.sequence()) {
                return new Break(lineNumber, chainId, sequence, "event " + sequence + " of chain " + chainId + " comes after event "
                        + previous.sequence() + ": a repeated, inserted or reordered event");
            }
            if (sequence > previous.sequence() + 1) {
                return new Break(lineNumber, chainId, sequence, "event " + sequence + " of chain " + chainId + " follows event "
                        + previous.sequence() + ": " + (sequence == previous.sequence() + 2 ? "event " + (previous.sequence() + 1) + " is"
                        : "events " + (previous.sequence() + 1) + " to " + (sequence - 1) + " are") + " missing or out of order");
            }
            if (!previousHash.equals(previous.hash())) {
                return new Break(lineNumber, chainId, sequence, "event " + sequence + " of chain " + chainId
                        + " does not link to the event before it (previousHash differs): that event was replaced or altered and re-hashed");
            }
        }
        heads.put(chainId, new LineageChain.Head(chainId, sequence, hash, algorithm));
        return null;
    }
}
