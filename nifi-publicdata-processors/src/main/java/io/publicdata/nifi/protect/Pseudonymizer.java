package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Keyed pseudonyms (PSEUDONYMIZE): HMAC-SM3 (GB/T 32905) or HMAC-SHA256 of the value's UTF-8 bytes, written as 64
 * lower-case hexadecimal digits, under a key derived for pseudonyms only ({@link KeyDerivation}) from a key id of its
 * own. The same value gives the same pseudonym under the same key in every field and every data set, so records can
 * still be joined; without the key the value cannot be recovered or confirmed by guessing. Because the key id is not
 * the encryption key's, rotating the encryption key leaves pseudonyms unchanged, and whoever holds only the keys to
 * decrypt cannot recompute a pseudonym (e.g. to try all 10⁹ mobile numbers). Thread-safe.
 */
public final class Pseudonymizer {

    /** The keyed hash of a pseudonym. */
    public enum Hash {
        HMAC_SM3(SM3Digest::new, KeyDerivation.Hash.SM3, "HMAC-SM3"),
        HMAC_SHA256(SHA256Digest::new, KeyDerivation.Hash.SHA256, "HMAC-SHA256");

        private final Supplier<Digest> digest;
        private final KeyDerivation.Hash kdfHash;
        private final String algorithmName;

        Hash(final Supplier<Digest> digest, final KeyDerivation.Hash kdfHash, final String algorithmName) {
            this.digest = digest;
            this.kdfHash = kdfHash;
            this.algorithmName = algorithmName;
        }

        /** The name that enters key derivation, e.g. {@code HMAC-SM3}. */
        public String algorithmName() {
            return algorithmName;
        }
    }

    /** Bytes of a derived pseudonym key: the output length of both hashes. */
    static final int KEY_BYTES = 32;

    private final String keyId;
    private final byte[] macKey;
    private volatile boolean destroyed;
    /** One keyed MAC per thread: keying it costs two digest blocks, and a MAC may not be shared. */
    private final ThreadLocal<HMac> macs;

    /** A pseudonymizer keyed with exactly this key: for the known-answer tests of the HMACs. */
    Pseudonymizer(final Hash hash, final String keyId, final byte[] macKey) {
        this.macKey = macKey.clone();
        this.keyId = keyId;
        this.macs = ThreadLocal.withInitial(() -> {
            final HMac mac = new HMac(hash.digest.get());
            mac.init(new KeyParameter(this.macKey));
            return mac;
        });
    }

    /**
     * Pseudonyms under the key derived for them from the provider's key with this id.
     *
     * @param inputKey the provider's key; not kept
     */
    public static Pseudonymizer derived(final Hash hash, final String keyId, final byte[] inputKey) {
        final byte[] macKey = KeyDerivation.derive(hash.kdfHash, inputKey, KeyDerivation.Purpose.PSEUDONYM, hash.algorithmName, keyId, KEY_BYTES);
        try {
            return new Pseudonymizer(hash, keyId, macKey);
        } finally {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    /** The id of the provider's key the pseudonym key is derived from. */
    public String keyId() {
        return keyId;
    }

    /**
     * Overwrites the key with zeros; every later use fails. The keyed MAC states that threads already hold are dropped
     * with this object (Bouncy Castle offers no way to wipe them).
     */
    public void destroy() {
        destroyed = true;
        Arrays.fill(macKey, (byte) 0);
    }

    public String pseudonym(final String value) {
        if (destroyed) {
            throw new ProtectionException("the pseudonym key was destroyed (the processor was stopped)");
        }
        // doFinal resets the MAC to its keyed state for the next value
        final HMac mac = macs.get();
        final byte[] input = FieldCipher.utf8(value);
        mac.update(input, 0, input.length);
        final byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
