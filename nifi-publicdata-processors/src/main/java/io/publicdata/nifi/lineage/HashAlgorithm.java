package io.publicdata.nifi.lineage;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.util.encoders.Hex;

import java.util.function.Supplier;

/**
 * The hash functions of a lineage chain and of the content digest in its events: SHA-256, or SM3 (GB/T 32905) where
 * Chinese commercial cryptography (商用密码) is required. Both give 32 bytes, written as 64 lower-case hex digits.
 */
public enum HashAlgorithm {
    SHA_256("SHA-256", SHA256Digest::new),
    SM3("SM3", SM3Digest::new);

    private final String label;
    private final Supplier<Digest> digests;

    HashAlgorithm(final String label, final Supplier<Digest> digests) {
        this.label = label;
        this.digests = digests;
    }

    /** The name events carry, e.g. {@code SHA-256}. */
    public String label() {
        return label;
    }

    /** A fresh digest; digests are not thread-safe, so each use takes its own. */
    public Digest newDigest() {
        return digests.get();
    }

    /** The hash of these bytes in hex. */
    public String hex(final byte[] data) {
        final Digest digest = newDigest();
        digest.update(data, 0, data.length);
        return finish(digest);
    }

    /** Completes a digest of this algorithm and returns its value in hex. */
    public static String finish(final Digest digest) {
        final byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return Hex.toHexString(out);
    }

    /** The previous hash of a chain's first event: as many zero digits as a hash has. */
    public String genesis() {
        return "0".repeat(2 * newDigest().getDigestSize());
    }

    /**
     * The algorithm an event names.
     *
     * @throws IllegalArgumentException when no algorithm has that name
     */
    public static HashAlgorithm forLabel(final String label) {
        for (final HashAlgorithm algorithm : values()) {
            if (algorithm.label.equals(label)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown hash algorithm '" + label + "'; expected SHA-256 or SM3");
    }
}
