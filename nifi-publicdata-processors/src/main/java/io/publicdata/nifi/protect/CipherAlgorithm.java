package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;

import java.util.Optional;

/**
 * The block ciphers that protect field values: AES (the JDK's AES-256-GCM; FF1 over AES) and SM4 (GB/T 32907,
 * through Bouncy Castle: SM4-GCM; FF1 over SM4). The token names the algorithm inside a ciphertext.
 */
public enum CipherAlgorithm {
    AES_256_GCM("A256GCM", 32, KeyDerivation.Hash.SHA256),
    SM4_GCM("SM4GCM", 16, KeyDerivation.Hash.SM3);

    private static final CipherAlgorithm[] ALL = values();

    private final String token;
    private final int keyLength;
    private final KeyDerivation.Hash kdfHash;

    CipherAlgorithm(final String token, final int keyLength, final KeyDerivation.Hash kdfHash) {
        this.token = token;
        this.keyLength = keyLength;
        this.kdfHash = kdfHash;
    }

    /** The hash under HKDF for keys of this algorithm: SM3 for SM4, so a national-algorithm flow uses only national algorithms. */
    public KeyDerivation.Hash kdfHash() {
        return kdfHash;
    }

    /** The name of FF1 over this block cipher, as it enters key derivation and publicdata.protected: {@code FF1-AES}, {@code FF1-SM4}. */
    public String ff1Name() {
        return this == AES_256_GCM ? "FF1-AES" : "FF1-SM4";
    }

    /** The name written into ciphertexts, e.g. {@code A256GCM}. */
    public String token() {
        return token;
    }

    /** Bytes of key the algorithm takes. */
    public int keyLength() {
        return keyLength;
    }

    public static Optional<CipherAlgorithm> fromToken(final String token) {
        return fromToken(token, 0, token.length());
    }

    /** The algorithm whose token is written from {@code start} to {@code end} of a text. */
    static Optional<CipherAlgorithm> fromToken(final String text, final int start, final int end) {
        for (final CipherAlgorithm algorithm : ALL) {
            if (algorithm.token.length() == end - start && text.startsWith(algorithm.token, start)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The block cipher for FF1 and for Bouncy Castle's GCM. */
    BlockCipher blockCipher() {
        return this == AES_256_GCM ? AESEngine.newInstance() : new SM4Engine();
    }

    /**
     * The key for this algorithm: exactly {@link #keyLength()} bytes.
     *
     * @throws ProtectionException naming the key id, never the key
     */
    byte[] check(final String keyId, final byte[] key) {
        if (key.length != keyLength) {
            throw new ProtectionException("key '" + keyId + "' has " + key.length + " bytes, " + token + " needs " + keyLength);
        }
        return key;
    }
}
