package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Keyed pseudonyms (PSEUDONYMIZE): HMAC-SM3 (GB/T 32905) or HMAC-SHA256 of the value's UTF-8 bytes, written as 64
 * lower-case hexadecimal digits. The same value gives the same pseudonym under the same key in every field and
 * every data set, so records can still be joined; without the key the value cannot be recovered or confirmed by
 * guessing. Thread-safe.
 */
public final class Pseudonymizer {

    /** The keyed hash of a pseudonym. */
    public enum Hash {
        HMAC_SM3(SM3Digest::new), HMAC_SHA256(SHA256Digest::new);

        private final Supplier<Digest> digest;

        Hash(final Supplier<Digest> digest) {
            this.digest = digest;
        }
    }

    /** One keyed MAC per thread: keying it costs two digest blocks, and a MAC may not be shared. */
    private final ThreadLocal<HMac> macs;

    public Pseudonymizer(final Hash hash, final byte[] key) {
        final byte[] copy = key.clone();
        this.macs = ThreadLocal.withInitial(() -> {
            final HMac mac = new HMac(hash.digest.get());
            mac.init(new KeyParameter(copy));
            return mac;
        });
    }

    public String pseudonym(final String value) {
        // doFinal resets the MAC to its keyed state for the next value
        final HMac mac = macs.get();
        final byte[] input = value.getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        final byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
