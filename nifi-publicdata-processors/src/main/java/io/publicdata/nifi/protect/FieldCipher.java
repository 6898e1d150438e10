package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Authenticated encryption of field values (ENCRYPT): AES-256-GCM through the JDK or SM4-GCM through Bouncy
 * Castle, a fresh random 96-bit nonce per value and a 128-bit tag. The result is text:
 * {@code pd1:<algorithm>:<keyId>:<base64url(nonce || ciphertext || tag)>}. The associated data binds the value to
 * its field path, algorithm and key id, so a ciphertext copied into another field, or relabelled with another key
 * id, does not decrypt. Thread-safe.
 */
public final class FieldCipher {

    public static final String PREFIX = "pd1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Base64url characters of a nonce and a tag around an empty plaintext. */
    private static final int MINIMUM_PAYLOAD_CHARACTERS = ((NONCE_BYTES + TAG_BITS / 8) * 4 + 2) / 3;
    private static final java.util.regex.Pattern BASE64URL = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");
    /** One generator and one JDK cipher per thread: both are costly to make and neither may be shared. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    private final KeyRing keys;
    private final CipherAlgorithm algorithm;

    /**
     * @param algorithm the algorithm of new ciphertexts, or null to only decrypt (each ciphertext names its own)
     * @throws ProtectionException when the active key does not fit the algorithm
     */
    public FieldCipher(final KeyRing keys, final CipherAlgorithm algorithm) {
        this.keys = keys;
        this.algorithm = algorithm;
        if (algorithm != null) {
            algorithm.check(keys.activeKeyId(), keys.activeKey());
        }
    }

    /**
     * Whether a value has the form of one of our ciphertexts: the prefix, a known algorithm, a key id and a payload of
     * base64url long enough for a nonce and a tag. It may still fail to decrypt (tampered, moved, unknown key); a
     * clear value that merely starts with the prefix does not have this form.
     */
    public static boolean isCiphertext(final String value) {
        if (!value.startsWith(PREFIX)) {
            return false;
        }
        final String[] parts = value.split(":", -1);
        return parts.length == 4 && CipherAlgorithm.fromToken(parts[1]).isPresent() && KeyRing.isKeyId(parts[2])
                && parts[3].length() >= MINIMUM_PAYLOAD_CHARACTERS && BASE64URL.matcher(parts[3]).matches();
    }

    /** Encrypts a value of a field with the active key. */
    public String encrypt(final String fieldPath, final String plaintext) {
        if (algorithm == null) {
            throw new IllegalStateException("This cipher only decrypts");
        }
        final String keyId = keys.activeKeyId();
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        final byte[] sealed = seal(true, algorithm, keyId, keys.activeKey(), nonce, associatedData(algorithm, keyId, fieldPath),
                plaintext.getBytes(StandardCharsets.UTF_8));
        final byte[] payload = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, payload, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, payload, NONCE_BYTES, sealed.length);
        return PREFIX + algorithm.token() + ':' + keyId + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    /**
     * Decrypts a ciphertext of a field, with whichever key of the ring its key id names.
     *
     * @throws ProtectionException when the text is not a ciphertext, names an unknown algorithm or key, or does not
     *                             authenticate (tampered, moved from another field, or encrypted with another key)
     */
    public String decrypt(final String fieldPath, final String ciphertext) {
        final String[] parts = ciphertext.split(":", 4);
        if (parts.length != 4 || !ciphertext.startsWith(PREFIX)) {
            throw new ProtectionException("not a pd1 ciphertext");
        }
        final CipherAlgorithm cipher = CipherAlgorithm.fromToken(parts[1])
                .orElseThrow(() -> new ProtectionException("unknown algorithm '" + safe(parts[1]) + "'"));
        final String keyId = parts[2];
        final byte[] key = keys.key(keyId).orElseThrow(() -> new ProtectionException("key id '" + safe(keyId) + "' is not in the key provider"));
        final byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(parts[3]);
        } catch (final IllegalArgumentException e) {
            throw new ProtectionException("ciphertext is not base64url");
        }
        if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new ProtectionException("ciphertext is truncated");
        }
        final byte[] nonce = Arrays.copyOf(payload, NONCE_BYTES);
        final byte[] sealed = Arrays.copyOfRange(payload, NONCE_BYTES, payload.length);
        final byte[] plain = seal(false, cipher, keyId, key, nonce, associatedData(cipher, keyId, fieldPath), sealed);
        return new String(plain, StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(final CipherAlgorithm algorithm, final String keyId, final String fieldPath) {
        return (PREFIX + algorithm.token() + ':' + keyId + ':' + fieldPath).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] seal(final boolean encrypt, final CipherAlgorithm algorithm, final String keyId, final byte[] key,
                               final byte[] nonce, final byte[] associatedData, final byte[] input) {
        algorithm.check(keyId, key);
        try {
            if (algorithm == CipherAlgorithm.AES_256_GCM) {
                final Cipher cipher = AES_GCM.get();
                cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(associatedData);
                return cipher.doFinal(input);
            }
            final GCMModeCipher gcm = GCMBlockCipher.newInstance(algorithm.blockCipher());
            gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, associatedData));
            final byte[] output = new byte[gcm.getOutputSize(input.length)];
            final int written = gcm.processBytes(input, 0, input.length, output, 0);
            gcm.doFinal(output, written);
            return output;
        } catch (final AEADBadTagException | InvalidCipherTextException e) {
            throw new ProtectionException("ciphertext does not authenticate: tampered, moved from another field, or encrypted with another key");
        } catch (final GeneralSecurityException e) {
            throw new ProtectionException(algorithm.token() + " is not available: " + e.getMessage());
        }
    }

    /** A part of a rejected ciphertext that is safe to name: short, and only key-id characters. */
    private static String safe(final String part) {
        return KeyRing.isKeyId(part) ? part : "(malformed)";
    }
}
