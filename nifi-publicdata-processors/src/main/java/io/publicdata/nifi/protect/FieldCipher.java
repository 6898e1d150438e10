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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Authenticated encryption of field values (ENCRYPT): AES-256-GCM through the JDK or SM4-GCM through Bouncy Castle,
 * a fresh random 96-bit nonce per value and a 128-bit tag, under a key derived for encryption only
 * ({@link KeyDerivation}). The result is text: {@code pd2:<algorithm>:<keyId>:<base64url(nonce || ciphertext || tag)>}.
 *
 * <p>The associated data binds the value to where it belongs ({@link Binding}): format version, algorithm, key id,
 * field path and a context the flow chooses (by default the dataset id, optionally with the record's key), so a
 * ciphertext moved to another field, record, FlowFile or dataset, or relabelled with another algorithm or key id,
 * does not decrypt. {@code pd1:} values written by 0.1.0 (the provider's key used directly, associated data
 * {@code pd1:<algorithm>:<keyId>:<fieldPath>}) still decrypt; they were never bound to a context. Thread-safe.
 */
public final class FieldCipher {

    public static final String PREFIX = "pd2:";
    /** The format of 0.1.0: decrypted, never written. */
    public static final String LEGACY_PREFIX = "pd1:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Base64url characters of a nonce and a tag around an empty plaintext. */
    private static final int MINIMUM_PAYLOAD_CHARACTERS = ((NONCE_BYTES + TAG_BITS / 8) * 4 + 2) / 3;
    private static final byte[] VERSION = "pd2".getBytes(StandardCharsets.US_ASCII);
    /** Which ASCII characters base64url uses. */
    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (final char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            BASE64URL[c] = true;
        }
    }
    /** Nonces and a JDK cipher per thread: both are costly to make and neither may be shared. */
    private static final ThreadLocal<Nonces> NONCES = ThreadLocal.withInitial(Nonces::new);
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    /**
     * Where a value belongs; all of it enters the associated data of a {@code pd2:} ciphertext.
     *
     * @param fieldPath the path of the field the value is in
     * @param context   chosen by the flow (by default the dataset id): a value moved to a FlowFile of another context
     *                  does not decrypt; never empty
     * @param recordKey the value of the record's key field, or null when none is configured: a value moved to another
     *                  record does not decrypt
     */
    public record Binding(String fieldPath, String context, String recordKey) {
        public Binding {
            Objects.requireNonNull(fieldPath, "fieldPath");
            Objects.requireNonNull(context, "context");
        }

        /** The associated data of a pd2 ciphertext under this algorithm and key id. */
        byte[] associatedData(final CipherAlgorithm algorithm, final String keyId) {
            return encode(VERSION, algorithm.token(), keyId);
        }

        /**
         * A label, then the leading parts and the binding's parts, each length-prefixed after a count, so that no two
         * different bindings give the same bytes (a path ending in ':' cannot borrow from the context, a missing
         * record key differs from an empty one).
         */
        byte[] encode(final byte[] label, final String... leading) {
            final int count = leading.length + (recordKey == null ? 2 : 3);
            final byte[][] parts = new byte[count][];
            for (int i = 0; i < leading.length; i++) {
                parts[i] = leading[i].getBytes(StandardCharsets.UTF_8);
            }
            parts[leading.length] = fieldPath.getBytes(StandardCharsets.UTF_8);
            parts[leading.length + 1] = context.getBytes(StandardCharsets.UTF_8);
            if (recordKey != null) {
                parts[leading.length + 2] = recordKey.getBytes(StandardCharsets.UTF_8);
            }
            int size = label.length + 1;
            for (final byte[] part : parts) {
                size += Integer.BYTES + part.length;
            }
            // One array of the exact size; each length is four bytes, most significant first
            final ByteBuffer out = ByteBuffer.allocate(size).put(label).put((byte) count);
            for (final byte[] part : parts) {
                out.putInt(part.length).put(part);
            }
            return out.array();
        }
    }

    /**
     * Random nonces for one thread, drawn from a DRBG (NIST SP 800-90A; the JDK's default is Hash_DRBG with SHA-256) a
     * block at a time, each handed out once. Asked for one nonce at a time a DRBG costs more than the encryption; one
     * request per 64 nonces costs less per nonce than the platform's default generator. Nonces are not secret: what
     * matters is that they are random and never handed out twice.
     */
    private static final class Nonces {
        private static final int PER_BLOCK = 64;
        private final SecureRandom random;
        private final byte[] block = new byte[PER_BLOCK * NONCE_BYTES];
        private int next = block.length;

        Nonces() {
            try {
                random = SecureRandom.getInstance("DRBG");
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException("No DRBG random number generator is available", e);
            }
        }

        byte[] next() {
            if (next == block.length) {
                random.nextBytes(block);
                next = 0;
            }
            final byte[] nonce = Arrays.copyOfRange(block, next, next + NONCE_BYTES);
            next += NONCE_BYTES;
            return nonce;
        }
    }

    private final KeyRing keys;
    private final CipherAlgorithm algorithm;
    /** Encryption keys derived once for every key id and algorithm of the ring: "token:keyId" → key. */
    private final Map<String, byte[]> derived = new HashMap<>();
    /** The name in {@link #derived} of the key new values are encrypted under; null when this cipher only decrypts. */
    private final String encryptionKey;

    /**
     * @param keys      the ring it derives from; {@link #destroy()} destroys it too
     * @param algorithm the algorithm of new ciphertexts, or null to only decrypt (each ciphertext names its own)
     */
    public FieldCipher(final KeyRing keys, final CipherAlgorithm algorithm) {
        this.keys = keys;
        this.algorithm = algorithm;
        for (final String keyId : keys.keyIds()) {
            final byte[] key = keys.key(keyId).orElseThrow();
            for (final CipherAlgorithm each : CipherAlgorithm.values()) {
                derived.put(derivedKeyName(each, keyId),
                        KeyDerivation.derive(each.kdfHash(), key, KeyDerivation.Purpose.ENCRYPTION, each.token(), keyId, each.keyLength()));
            }
        }
        this.encryptionKey = algorithm == null ? null : derivedKeyName(algorithm, keys.activeKeyId());
    }

    /** Overwrites the derived keys and the ring's keys with zeros; every later use fails. */
    public void destroy() {
        keys.destroy();
        derived.values().forEach(key -> Arrays.fill(key, (byte) 0));
    }

    private static String derivedKeyName(final CipherAlgorithm cipher, final String keyId) {
        return cipher.token() + ':' + keyId;
    }

    private byte[] derivedKey(final String name) {
        if (keys.isDestroyed()) {
            throw new ProtectionException("the keys were destroyed (the processor was stopped)");
        }
        return derived.get(name);
    }

    /**
     * Whether a value has the form of one of our ciphertexts, of either version: the prefix, a known algorithm, a key
     * id and a payload of base64url long enough for a nonce and a tag. It may still fail to decrypt (tampered, moved,
     * unknown key); a clear value that merely starts with the prefix does not have this form.
     */
    public static boolean isCiphertext(final String value) {
        final int algorithmStart = prefixLength(value);
        if (algorithmStart < 0) {
            return false;
        }
        // Three parts after the prefix, split at the first two colons; the payload holds no colon (base64url)
        final int algorithmEnd = value.indexOf(':', algorithmStart);
        final int keyIdEnd = algorithmEnd < 0 ? -1 : value.indexOf(':', algorithmEnd + 1);
        return keyIdEnd > 0 && CipherAlgorithm.fromToken(value, algorithmStart, algorithmEnd).isPresent()
                && KeyRing.isKeyId(value, algorithmEnd + 1, keyIdEnd)
                && value.length() - keyIdEnd - 1 >= MINIMUM_PAYLOAD_CHARACTERS && isBase64Url(value, keyIdEnd + 1);
    }

    /** The length of the text's prefix, pd2: or pd1:; -1 when it has neither. */
    private static int prefixLength(final String value) {
        return value.startsWith(PREFIX) || value.startsWith(LEGACY_PREFIX) ? PREFIX.length() : -1;
    }

    /**
     * Whether every character from {@code start} on is a base64url character (A-Z, a-z, 0-9, '-', '_'). A loop rather
     * than a regular expression: DecryptRecord asks {@link #isCiphertext} of every value it reads.
     */
    private static boolean isBase64Url(final String text, final int start) {
        for (int i = start; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c >= BASE64URL.length || !BASE64URL[c]) {
                return false;
            }
        }
        return true;
    }

    /** The key id new values are encrypted under. */
    public String activeKeyId() {
        return keys.activeKeyId();
    }

    /** The algorithm of new ciphertexts; null when this cipher only decrypts. */
    public CipherAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Encrypts a value with the active key.
     *
     * @throws ProtectionException when the binding's context is empty (fail closed: a value bound to nothing could be
     *                             moved anywhere)
     */
    public String encrypt(final Binding binding, final String plaintext) {
        if (algorithm == null) {
            throw new IllegalStateException("This cipher only decrypts");
        }
        requireContext(binding);
        final String keyId = keys.activeKeyId();
        final byte[] nonce = NONCES.get().next();
        final byte[] sealed = seal(true, algorithm, derivedKey(encryptionKey), nonce,
                binding.associatedData(algorithm, keyId), utf8(plaintext));
        final byte[] payload = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, payload, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, payload, NONCE_BYTES, sealed.length);
        return PREFIX + algorithm.token() + ':' + keyId + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    /**
     * Decrypts a ciphertext with whichever key of the ring its key id names: a {@code pd2:} value against the binding,
     * a {@code pd1:} value against the field path alone.
     *
     * @throws ProtectionException when the text is not a ciphertext, names an unknown algorithm or key, or does not
     *                             authenticate (tampered, moved from another field, record, FlowFile or dataset, or
     *                             encrypted with another key); the message never holds the value
     */
    public String decrypt(final Binding binding, final String ciphertext) {
        final boolean legacy = ciphertext.startsWith(LEGACY_PREFIX);
        final int algorithmStart = prefixLength(ciphertext);
        final int algorithmEnd = algorithmStart < 0 ? -1 : ciphertext.indexOf(':', algorithmStart);
        final int keyIdEnd = algorithmEnd < 0 ? -1 : ciphertext.indexOf(':', algorithmEnd + 1);
        if (keyIdEnd < 0) {
            throw new ProtectionException("not a pd2 or pd1 ciphertext");
        }
        final CipherAlgorithm cipher = CipherAlgorithm.fromToken(ciphertext, algorithmStart, algorithmEnd)
                .orElseThrow(() -> new ProtectionException("unknown algorithm '" + safe(ciphertext.substring(algorithmStart, algorithmEnd)) + "'"));
        final String keyId = ciphertext.substring(algorithmEnd + 1, keyIdEnd);
        final byte[] inputKey = keys.key(keyId).orElseThrow(() -> new ProtectionException("key id '" + safe(keyId) + "' is not in the key provider"));
        final byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(ciphertext.substring(keyIdEnd + 1));
        } catch (final IllegalArgumentException e) {
            throw new ProtectionException("ciphertext is not base64url");
        }
        if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new ProtectionException("ciphertext is truncated");
        }
        final byte[] nonce = Arrays.copyOf(payload, NONCE_BYTES);
        final byte[] sealed = Arrays.copyOfRange(payload, NONCE_BYTES, payload.length);
        final byte[] plain;
        if (legacy) {
            // 0.1.0 used the provider's key itself, which therefore had to fit the algorithm
            plain = seal(false, cipher, cipher.check(keyId, inputKey), nonce,
                    (LEGACY_PREFIX + cipher.token() + ':' + keyId + ':' + binding.fieldPath()).getBytes(StandardCharsets.UTF_8), sealed);
        } else {
            requireContext(binding);
            plain = seal(false, cipher, derivedKey(derivedKeyName(cipher, keyId)), nonce, binding.associatedData(cipher, keyId), sealed);
        }
        return new String(plain, StandardCharsets.UTF_8);
    }

    /**
     * The UTF-8 bytes of a value that is well-formed Unicode text. A text with an unpaired surrogate (what a reader may
     * make of invalid UTF-8 in its input) has no UTF-8 form: Java would write '?' in its place, so the value would
     * decrypt, or be pseudonymised, as another one. Such a value is refused, never changed.
     *
     * @throws ProtectionException naming the cause, never the value
     */
    static byte[] utf8(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw new ProtectionException("the value is not well-formed Unicode text (an unpaired surrogate, as invalid UTF-8 in the "
                            + "input gives), so it could not be protected and given back unchanged");
                }
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static void requireContext(final Binding binding) {
        if (binding.context().isEmpty()) {
            throw new ProtectionException("the ciphertext context is empty (e.g. no dataset id), so the value could not be bound to where it belongs");
        }
    }

    private static byte[] seal(final boolean encrypt, final CipherAlgorithm algorithm, final byte[] key, final byte[] nonce,
                               final byte[] associatedData, final byte[] input) {
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
            throw new ProtectionException("ciphertext does not authenticate: tampered, moved from another field, record, FlowFile or dataset, "
                    + "or encrypted with another key");
        } catch (final GeneralSecurityException e) {
            throw new ProtectionException(algorithm.token() + " is not available: " + e.getClass().getSimpleName());
        }
    }

    /** A part of a rejected ciphertext that is safe to name: short, and only key-id characters. */
    private static String safe(final String part) {
        return KeyRing.isKeyId(part) ? part : "(malformed)";
    }
}
