package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.json.CanonicalJson;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The hash chain that makes a sequence of lineage events tamper-evident. Each event carries, in its
 * {@code publicdata_chain} run facet, the chain id, its sequence number on the chain (1 for the first), the hash of
 * the event before it ({@code previousHash}; zeros for the first) and its own {@code hash}: the hash of the RFC 8785
 * canonical form of the whole event without that {@code hash} member. Editing, removing, inserting or reordering
 * events therefore breaks a link that {@link ChainVerifier} finds.
 *
 * <p>A chain id is a name (the node, e.g. its host name) and a random suffix chosen when the chain starts, e.g.
 * {@code nifi-1.example/3f9a61c2}: a node that loses its chain head starts a new chain rather than reusing
 * sequence numbers of the old one.
 */
public final class LineageChain {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LineageChain() {
    }

    /**
     * The last event of a chain, or the start of a new one (sequence 0, genesis hash).
     *
     * @param chainId   the chain's id
     * @param sequence  the sequence number of the last event, 0 before the first
     * @param hash      the hash of the last event, the genesis hash before the first
     * @param algorithm the chain's hash algorithm
     */
    public record Head(String chainId, long sequence, String hash, HashAlgorithm algorithm) {
        public Head {
            Objects.requireNonNull(chainId, "chainId");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(algorithm, "algorithm");
        }
    }

    /** A new chain named after this node: the name, a slash and eight random hex digits. */
    public static Head start(final String name, final HashAlgorithm algorithm) {
        final byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return new Head(name + "/" + HexFormat.of().formatHex(suffix), 0, algorithm.genesis(), algorithm);
    }

    /**
     * Appends an event to the chain: adds the chain facet with the next sequence number, the previous hash and the
     * event's own hash.
     *
     * @return the new head, the sealed event
     */
    public static Head seal(final ObjectNode event, final Head previous) {
        final ObjectNode runFacets = (ObjectNode) event.get("run").get("facets");
        final ObjectNode chain = LineageEvent.facet(runFacets, LineageEvent.CHAIN_FACET, event.get("producer").asText(),
                LineageEvent.FACETS_SCHEMA + "#/$defs/ChainRunFacet");
        final long sequence = previous.sequence() + 1;
        chain.put("chainId", previous.chainId());
        chain.put("sequence", sequence);
        chain.put("algorithm", previous.algorithm().label());
        chain.put("previousHash", previous.hash());
        final String hash = previous.algorithm().hex(CanonicalJson.bytes(event));
        chain.put("hash", hash);
        return new Head(previous.chainId(), sequence, hash, previous.algorithm());
    }

    /** The chain facet of an event; null when it has none. */
    static JsonNode chainFacet(final JsonNode event) {
        final JsonNode facet = event.path("run").path("facets").path(LineageEvent.CHAIN_FACET);
        return facet.isObject() ? facet : null;
    }

    /** The hash an event should carry: over its canonical form without the {@code hash} member of its chain facet. */
    static String expectedHash(final JsonNode event, final HashAlgorithm algorithm) {
        final ObjectNode copy = (ObjectNode) event.deepCopy();
        ((ObjectNode) chainFacet(copy)).remove("hash");
        return algorithm.hex(CanonicalJson.bytes(copy));
    }
}
