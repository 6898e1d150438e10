package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Known answers of the key derivation: the RFC 5869 vectors for HKDF-SHA256; for HKDF-SM3 the same inputs, the
 * expected values computed once with OpenSSL 3 ({@code openssl kdf -keylen 42 -kdfopt digest:SM3 -kdfopt hexkey:...
 * -kdfopt hexsalt:... -kdfopt hexinfo:... HKDF}) and checked again here against an HKDF written out by hand over a
 * hand-written HMAC; and the derived keys of each purpose pinned, so that a change to the info layout, which would
 * make every stored value undecryptable, cannot pass unnoticed.
 */
class KeyDerivationTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String IKM_1 = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
    private static final String SALT_1 = "000102030405060708090a0b0c";
    private static final String INFO_1 = "f0f1f2f3f4f5f6f7f8f9";
    private static final String IKM_2 = range(0x00, 0x50);
    private static final String SALT_2 = range(0x60, 0xb0);
    private static final String INFO_2 = range(0xb0, 0x100);
    private static final byte[] PROVIDER_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private static String range(final int from, final int to) {
        final byte[] bytes = new byte[to - from];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return HEX.formatHex(bytes);
    }

    @ParameterizedTest(name = "RFC 5869 test case {0}")
    @CsvSource({
        "1, " + IKM_1 + ", " + SALT_1 + ", " + INFO_1 + ", 42, "
            + "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        "2, IKM_2, SALT_2, INFO_2, 82, "
            + "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
        "3, " + IKM_1 + ", '', '', 42, "
            + "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    })
    void hkdfSha256MatchesRfc5869(final int testCase, final String ikm, final String salt, final String info, final int length, final String okm) {
        final byte[] derived = KeyDerivation.hkdf(KeyDerivation.Hash.SHA256, input(ikm), input(salt), input(info), length);
        assertEquals(okm, HEX.formatHex(derived), "test case " + testCase);
        assertEquals(okm, HEX.formatHex(handWrittenHkdf(KeyDerivationTest::hmacSha256, 32, input(ikm), input(salt), input(info), length)));
    }

    @ParameterizedTest(name = "HKDF-SM3 on the inputs of RFC 5869 test case {0}")
    @CsvSource({
        "1, " + IKM_1 + ", " + SALT_1 + ", " + INFO_1 + ", 42, "
            + "c69fe91b7aaee2dd5718d72dcaee0cce93f1b8e41f792da51261b6a517e68b36ed2c595572b01dfa359b",
        "2, IKM_2, SALT_2, INFO_2, 82, "
            + "c1226236bbdefa7921f9febe27b864f33e449201b436d8844ea53f58170dd6426defbd22ed1f3c5960f35523e62e3b6c0d657f2c61893436f539013199bfaef25aafd1e7726ede927623a9f5cbb8885c7e5d",
        "3, " + IKM_1 + ", '', '', 42, "
            + "c8c91a38ae2fb3b023a7c38ce9f0748f28230d59b6b950ba3ba949bf0d713a5774815778801741cb2034",
    })
    void hkdfSm3MatchesOpenSslAndAHandWrittenHkdf(final int testCase, final String ikm, final String salt, final String info, final int length,
                                                   final String okm) {
        assertEquals(okm, HEX.formatHex(KeyDerivation.hkdf(KeyDerivation.Hash.SM3, input(ikm), input(salt), input(info), length)), "OpenSSL 3");
        assertEquals(okm, HEX.formatHex(handWrittenHkdf(KeyDerivationTest::hmacSm3, 32, input(ikm), input(salt), input(info), length)),
                "hand-written HKDF over a hand-written HMAC-SM3");
    }

    /**
     * The keys each purpose derives from one provider key; expected values from OpenSSL 3, e.g. for the first:
     * {@code openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:0001..1f -kdfopt
     * hexinfo:$(printf 'nifi-publicdata/v2 encryption A256GCM k1' | xxd -p) HKDF}.
     */
    @ParameterizedTest
    @CsvSource({
        "SHA256, ENCRYPTION, A256GCM, 32, f2c38de448026fedd4ea36b5f12b9c1b48b1d0394c2768ac2e1ffc98bb6fa699",
        "SM3, ENCRYPTION, SM4GCM, 16, d47ee57d86ff87034fc41fa05842c633",
        "SHA256, FPE, FF1-AES, 32, c028dc8a175e0404ff34e971af780cdd7403159305a9c803dd86058894d2b823",
        "SM3, FPE, FF1-SM4, 16, 3e6e6e404c2b601f247b2ccbd9aac9c6",
        "SM3, PSEUDONYM, HMAC-SM3, 32, 0fa94b94e7c77e1b4a034d4922fe88f91952c2aaccc8b952dd62f83b64b4716b",
        "SHA256, PSEUDONYM, HMAC-SHA256, 32, ac7d93d098e087ba1fc5eed0f8ac5ccb4fcfcac7d70934f15ee7689b12cb9eab",
    })
    void eachPurposeDerivesItsPinnedKey(final KeyDerivation.Hash hash, final KeyDerivation.Purpose purpose, final String algorithm,
                                        final int length, final String expected) {
        assertEquals(expected, HEX.formatHex(KeyDerivation.derive(hash, PROVIDER_KEY, purpose, algorithm, "k1", length)));
    }

    @Test
    void everyPurposeAlgorithmAndKeyIdGetsAnotherKey() {
        final Set<String> keys = new HashSet<>();
        for (final KeyDerivation.Hash hash : KeyDerivation.Hash.values()) {
            for (final KeyDerivation.Purpose purpose : KeyDerivation.Purpose.values()) {
                for (final String algorithm : new String[] {"A256GCM", "SM4GCM", "FF1-AES", "HMAC-SM3"}) {
                    for (final String keyId : new String[] {"k1", "k2"}) {
                        final byte[] key = KeyDerivation.derive(hash, PROVIDER_KEY, purpose, algorithm, keyId, 32);
                        assertFalse(Arrays.equals(PROVIDER_KEY, key), "the provider's key is never used as it is");
                        keys.add(HEX.formatHex(key));
                    }
                }
            }
        }
        assertEquals(2 * 3 * 4 * 2, keys.size());
    }

    @Test
    void theCiphersUseTheirDerivedKeysAndNotTheProviderKey() {
        // A pseudonym under the provider's own key (0.1.0) differs from one under the derived key, which is the
        // HMAC under the pinned derived key above
        final Pseudonymizer derived = Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "k1", PROVIDER_KEY);
        final Pseudonymizer pinned = new Pseudonymizer(Pseudonymizer.Hash.HMAC_SM3, "k1",
                HEX.parseHex("0fa94b94e7c77e1b4a034d4922fe88f91952c2aaccc8b952dd62f83b64b4716b"));
        final Pseudonymizer raw = new Pseudonymizer(Pseudonymizer.Hash.HMAC_SM3, "k1", PROVIDER_KEY);
        assertEquals(pinned.pseudonym("13800138000"), derived.pseudonym("13800138000"));
        assertFalse(raw.pseudonym("13800138000").equals(derived.pseudonym("13800138000")));
        assertArrayEquals(HEX.parseHex(HEX.formatHex(PROVIDER_KEY)), PROVIDER_KEY, "deriving leaves the provider's key as it was");
    }

    private static byte[] input(final String hex) {
        return switch (hex) {
            case "IKM_2" -> HEX.parseHex(IKM_2);
            case "SALT_2" -> HEX.parseHex(SALT_2);
            case "INFO_2" -> HEX.parseHex(INFO_2);
            default -> HEX.parseHex(hex);
        };
    }

    /** RFC 5869 §2.2 and §2.3, written out: PRK = HMAC(salt, IKM); T(i) = HMAC(PRK, T(i-1) | info | i). */
    private static byte[] handWrittenHkdf(final BiFunction<byte[], byte[], byte[]> hmac, final int hashLength, final byte[] ikm, final byte[] salt,
                                          final byte[] info, final int length) {
        final byte[] prk = hmac.apply(salt.length == 0 ? new byte[hashLength] : salt, ikm);
        final ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
            final ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(previous);
            block.writeBytes(info);
            block.write(i);
            previous = hmac.apply(prk, block.toByteArray());
            okm.writeBytes(previous);
        }
        return Arrays.copyOf(okm.toByteArray(), length);
    }

    private static byte[] hmacSha256(final byte[] key, final byte[] message) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (final java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC (RFC 2104) over the bare SM3 hash: block size 64 bytes. */
    private static byte[] hmacSm3(final byte[] key, final byte[] message) {
        final byte[] block = new byte[64];
        System.arraycopy(key.length > 64 ? sm3(key) : key, 0, block, 0, Math.min(key.length > 64 ? 32 : key.length, 64));
        final byte[] inner = new byte[64];
        final byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        final ByteArrayOutputStream innerInput = new ByteArrayOutputStream();
        innerInput.writeBytes(inner);
        innerInput.writeBytes(message);
        final ByteArrayOutputStream outerInput = new ByteArrayOutputStream();
        outerInput.writeBytes(outer);
        outerInput.writeBytes(sm3(innerInput.toByteArray()));
        return sm3(outerInput.toByteArray());
    }

    private static byte[] sm3(final byte[] input) {
        final SM3Digest digest = new SM3Digest();
        digest.update(input, 0, input.length);
        final byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    @Test
    void theHandWrittenHmacSm3MatchesTheStandardVector() {
        // GM/T 0042-2015 Appendix D.3, first vector
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
        final String half = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assertEquals("ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a",
                HEX.formatHex(hmacSm3(key, (half + half).getBytes(StandardCharsets.US_ASCII))));
    }
}
