package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Derives one independent key per purpose from a key of the key provider (密钥分离), with HKDF (RFC 5869) over
 * HMAC-SHA256 or HMAC-SM3. A key provider's key is never used directly: encryption, format-preserving encryption
 * and pseudonyms each get their own key, so a key recovered or misused in one place says nothing about the others.
 *
 * <p>The {@code info} names the purpose, the algorithm and the key id, e.g.
 * {@code nifi-publicdata/v2 encryption A256GCM k1}; no salt is used (RFC 5869 §3.1: the input is already a
 * uniformly random key, and the separation lives in the info). Holding a derived key gives no other derived key and
 * not the input key. HKDF alone cannot keep a pseudonym from someone who holds the provider's key: that is why
 * pseudonyms come from their own key id (see the Pseudonym Key ID of ProtectRecord).
 */
public final class KeyDerivation {

    /** What a derived key is for; the name enters the info. */
    public enum Purpose {
        ENCRYPTION("encryption"), FPE("fpe"), PSEUDONYM("pseudonym");

        private final String label;

        Purpose(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The hash under HKDF's HMAC: SM3 (GB/T 32905) where the national algorithms are chosen, else SHA-256. */
    public enum Hash {
        SHA256(SHA256Digest::new), SM3(SM3Digest::new);

        private final Supplier<Digest> digest;

        Hash(final Supplier<Digest> digest) {
            this.digest = digest;
        }
    }

    /** Versions the derivation: a change to the info layout must change this too. */
    static final String INFO_PREFIX = "nifi-publicdata/v2";

    private KeyDerivation() {
    }

    /**
     * The key for one purpose and algorithm, derived from the provider's key with this id.
     *
     * @param algorithm the algorithm the key is for, as written in ciphertexts or attributes (e.g. {@code A256GCM},
     *                  {@code FF1-SM4}, {@code HMAC-SM3})
     * @param length    bytes of key the algorithm takes
     */
    public static byte[] derive(final Hash hash, final byte[] inputKey, final Purpose purpose, final String algorithm,
                                final String keyId, final int length) {
        final String info = INFO_PREFIX + ' ' + purpose.label() + ' ' + algorithm + ' ' + keyId;
        return hkdf(hash, inputKey, null, info.getBytes(StandardCharsets.UTF_8), length);
    }

    /** HKDF-Extract then HKDF-Expand (RFC 5869 §2); exposed for the known-answer tests. */
    static byte[] hkdf(final Hash hash, final byte[] inputKey, final byte[] salt, final byte[] info, final int length) {
        final HKDFBytesGenerator generator = new HKDFBytesGenerator(hash.digest.get());
        generator.init(new HKDFParameters(inputKey, salt, info));
        final byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }
}
