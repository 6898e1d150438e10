package io.publicdata.nifi.lineage;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

import java.util.HexFormat;

/** The hash of the lineage chain: SHA-256 or SM3 (GB/T 32905), written as 64 lower-case hexadecimal digits. */
public enum HashAlgorithm {
    SHA_256("SHA-256"), SM3("SM3");

    private final String displayName;

    HashAlgorithm(final String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static HashAlgorithm fromDisplayName(final String name) {
        for (final HashAlgorithm algorithm : values()) {
            if (algorithm.displayName.equals(name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown hash algorithm '" + name + "'");
    }

    Digest newDigest() {
        return this == SHA_256 ? new SHA256Digest() : new SM3Digest();
    }

    public String hex(final byte[] input) {
        final Digest digest = newDigest();
        digest.update(input, 0, input.length);
        final byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
