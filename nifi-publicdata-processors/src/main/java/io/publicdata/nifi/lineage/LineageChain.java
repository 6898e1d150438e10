package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.json.CanonicalJson;

/**
 * The tamper-evident chain of lineage events. Each event's {@code run.facets.publicdata_chain} facet names its chain,
 * its sequence number (1, 2, 3, … on each chain), the previous event's hash ({@link #GENESIS} for the first) and its
 * own hash: the hash of the event's canonical form (RFC 8785) without the {@code hash} member. Editing, deleting,
 * inserting or reordering events breaks a link that {@link ChainVerifier} finds.
 */
public final class LineageChain {

    /** The previous hash of a chain's first event. */
    public static final String GENESIS = "0".repeat(64);
    public static final String FACET = "publicdata_chain";

    /** Where a chain stands: the last event's sequence number and hash. */
    public record Head(String chainId, long sequence, String hash) {

        /** The head of a chain with no event yet. */
        public static Head start(final String chainId) {
            return new Head(chainId, 0, GENESIS);
        }
    }

    private LineageChain() {
    }

    /**
     * Links an event to the chain: writes the chain facet into it and returns the new head.
     *
     * @param event a RunEvent whose run facets the chain facet joins
     */
    public static Head append(final ObjectNode event, final Head head, final HashAlgorithm algorithm) {
        final ObjectNode chain = LineageEvents.facet(LineageEvents.object((ObjectNode) event.get("run"), "facets"), FACET, "ChainRunFacet");
        chain.put("chainId", head.chainId());
        chain.put("sequence", head.sequence() + 1);
        chain.put("previousHash", head.hash());
        chain.put("hashAlgorithm", algorithm.displayName());
        chain.remove("hash");
        final String hash = hash(event, algorithm);
        chain.put("hash", hash);
        return new Head(head.chainId(), head.sequence() + 1, hash);
    }

    /** The hash of an event's canonical form without its chain facet's {@code hash}. */
    public static String hash(final ObjectNode event, final HashAlgorithm algorithm) {
        final ObjectNode copy = event.deepCopy();
        if (copy.path("run").path("facets").path(FACET) instanceof ObjectNode chain) {
            chain.remove("hash");
        }
        return algorithm.hex(CanonicalJson.bytes(copy));
    }
}
