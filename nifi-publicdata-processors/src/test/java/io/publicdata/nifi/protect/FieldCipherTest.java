package io.publicdata.nifi.protect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pd2 format, the pd1 values of 0.1.0, and every way of moving or altering a ciphertext, refused. */
class FieldCipherTest {

    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] SM4_KEY = HexFormat.of().parseHex("0123456789abcdeffedcba9876543210");
    private static final KeyRing RING = new KeyRing(Map.of("k1", KEY), "k1");
    private static final String NOT_AUTHENTIC = "ciphertext does not authenticate: tampered, moved from another field, record, FlowFile "
            + "or dataset, or encrypted with another key";
    private static final FieldCipher.Binding MOBILE = new FieldCipher.Binding("/mobile", "social-insurance", null);

    @Test
    void aPinnedPd2ValueDecryptsAndItsFormatIsWhatTheDesignSays() throws Exception {
        // Written once by this class; a change to the key derivation or the associated data would break it
        final String pinned = "pd2:A256GCM:k1:dBWpc_QM390Ji7vC5jpLEkgaRGD3JvpohexvpRqKUsS_I7X5FLsI";
        assertEquals("13800138000", new FieldCipher(RING, null).decrypt(MOBILE, pinned));

        // The same value opened without this class: the key derived by OpenSSL (see KeyDerivationTest), the
        // associated data assembled by hand: "pd2", the count of parts, then each part length-prefixed
        final byte[] key = HexFormat.of().parseHex("f2c38de448026fedd4ea36b5f12b9c1b48b1d0394c2768ac2e1ffc98bb6fa699");
        final String aad = HexFormat.of().formatHex("pd2".getBytes(StandardCharsets.US_ASCII)) + "04"
                + "00000007" + hex("A256GCM") + "00000002" + hex("k1") + "00000007" + hex("/mobile") + "00000010" + hex("social-insurance");
        final byte[] payload = Base64.getUrlDecoder().decode(pinned.substring("pd2:A256GCM:k1:".length()));
        final Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, payload, 0, 12));
        jdk.updateAAD(HexFormat.of().parseHex(aad));
        assertEquals("13800138000", new String(jdk.doFinal(payload, 12, payload.length - 12), StandardCharsets.UTF_8));
    }

    private static String hex(final String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pd1ValuesWrittenBy010StillDecrypt() {
        // Written by 0.1.0's FieldCipher (the provider's key itself, associated data pd1:<alg>:<keyId>:<path>)
        final FieldCipher aes = new FieldCipher(RING, null);
        assertEquals("13800138000", aes.decrypt(MOBILE, "pd1:A256GCM:k1:iULtw-CJgvR4vXGUfZZlkY8AnCiC_sBn5qN9YGYE4twj7r4CkIiF"));
        final FieldCipher sm4 = new FieldCipher(new KeyRing(Map.of("k1", SM4_KEY), "k1"), null);
        assertEquals("13800138000", sm4.decrypt(MOBILE, "pd1:SM4GCM:k1:CvFUE6wp3sXT9L9Ytisa-fy4OL5qV2L_hglJQFQh6pCjCxXdHX6d"));
        // they were bound to the field path only, and still are
        assertThrows(ProtectionException.class, () -> aes.decrypt(new FieldCipher.Binding("/phone", "social-insurance", null),
                "pd1:A256GCM:k1:iULtw-CJgvR4vXGUfZZlkY8AnCiC_sBn5qN9YGYE4twj7r4CkIiF"));
        // and a pd1 value is never written again
        assertTrue(new FieldCipher(RING, CipherAlgorithm.AES_256_GCM).encrypt(MOBILE, "13800138000").startsWith("pd2:A256GCM:k1:"));
    }

    @Test
    void fpeValuesOf010StillDecryptAndNewOnesUseTheDerivedKeyAndTheWholeBinding() {
        // Written by 0.1.0's FormatPreservingCipher: the provider's key, the path as the tweak
        assertEquals("11010519491231002X", FormatPreservingCipher.legacy(CipherAlgorithm.AES_256_GCM, "k1", KEY)
                .decrypt(new FieldCipher.Binding("/idCard", "anything", null), "55452262703268300X"));
        assertEquals("11010519491231002X", FormatPreservingCipher.legacy(CipherAlgorithm.SM4_GCM, "k1", SM4_KEY)
                .decrypt(new FieldCipher.Binding("/idCard", "anything", null), "41408826003901358X"));
        // Version 2, pinned; a 32-byte provider key serves FF1 over SM4 too, through its derived 16-byte key
        final FieldCipher.Binding idCard = new FieldCipher.Binding("/mobile", "social-insurance", null);
        final FormatPreservingCipher aes = FormatPreservingCipher.derived(CipherAlgorithm.AES_256_GCM, "k1", KEY);
        assertEquals("79917586332097278X", aes.encrypt(idCard, "11010519491231002X"));
        assertEquals("53142649109037696X", FormatPreservingCipher.derived(CipherAlgorithm.SM4_GCM, "k1", KEY).encrypt(idCard, "11010519491231002X"));
        assertEquals("11010519491231002X", aes.decrypt(idCard, "79917586332097278X"));
        // moved to another context or record it decrypts to other digits: nothing is revealed
        assertNotEquals("11010519491231002X", aes.decrypt(new FieldCipher.Binding("/mobile", "other-dataset", null), "79917586332097278X"));
        assertNotEquals("11010519491231002X", aes.decrypt(new FieldCipher.Binding("/mobile", "social-insurance", "7"), "79917586332097278X"));
        assertThrows(IllegalStateException.class, () -> FormatPreservingCipher.legacy(CipherAlgorithm.AES_256_GCM, "k1", KEY).encrypt(idCard, "123456"));
    }

    @ParameterizedTest
    @EnumSource(CipherAlgorithm.class)
    void everyValueGetsANonceOfItsOwnAcrossManyBlocksOfNonces(final CipherAlgorithm algorithm) {
        final FieldCipher cipher = new FieldCipher(RING, algorithm);
        final java.util.Set<String> nonces = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            final String ciphertext = cipher.encrypt(MOBILE, "13800138000");
            final byte[] payload = Base64.getUrlDecoder().decode(ciphertext.substring(ciphertext.lastIndexOf(':') + 1));
            assertTrue(nonces.add(HexFormat.of().formatHex(payload, 0, 12)), "nonce handed out twice, at value " + i);
            assertEquals("13800138000", cipher.decrypt(MOBILE, ciphertext));
        }
    }

    @ParameterizedTest
    @EnumSource(CipherAlgorithm.class)
    void roundTripsAcrossKeyRotation(final CipherAlgorithm algorithm) {
        final byte[] newKey = KEY.clone();
        newKey[0] ^= 1;
        final FieldCipher before = new FieldCipher(RING, algorithm);
        final String ciphertext = before.encrypt(MOBILE, "11010519491231002X");
        assertTrue(ciphertext.startsWith("pd2:" + algorithm.token() + ":k1:"), ciphertext);
        assertNotEquals(ciphertext, before.encrypt(MOBILE, "11010519491231002X"), "a fresh nonce per value");
        final FieldCipher after = new FieldCipher(new KeyRing(Map.of("k1", KEY, "k2", newKey), "k2"), algorithm);
        assertEquals("11010519491231002X", after.decrypt(MOBILE, ciphertext), "old-key ciphertext still decrypts");
        assertTrue(after.encrypt(MOBILE, "x").contains(":k2:"));
        assertEquals("张三 ☃", after.decrypt(MOBILE, after.encrypt(MOBILE, "张三 ☃")));
    }

    @Test
    void aValueBoundToNothingIsNeitherEncryptedNorDecrypted() {
        final FieldCipher cipher = new FieldCipher(RING, CipherAlgorithm.AES_256_GCM);
        final FieldCipher.Binding unbound = new FieldCipher.Binding("/mobile", "", null);
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.encrypt(unbound, "13800138000")).getMessage().contains("context is empty"));
        final String ciphertext = cipher.encrypt(MOBILE, "13800138000");
        assertThrows(ProtectionException.class, () -> cipher.decrypt(unbound, ciphertext));
        assertThrows(ProtectionException.class, () -> FormatPreservingCipher.derived(CipherAlgorithm.AES_256_GCM, "k1", KEY).encrypt(unbound, "13800138000"));
    }

    @Test
    void relabelledDowngradedOrMalformedCiphertextsAreRefusedWithoutTheirValue() {
        final FieldCipher cipher = new FieldCipher(new KeyRing(Map.of("k1", KEY, "k2", KEY), "k1"), CipherAlgorithm.AES_256_GCM);
        final String ciphertext = cipher.encrypt(MOBILE, "13800138000");
        // the same key under another id, the other algorithm, the 0.1.0 format (no context, provider key): none opens
        for (final String forged : new String[] {ciphertext.replace(":k1:", ":k2:"), ciphertext.replace("A256GCM", "SM4GCM"),
                ciphertext.replace("pd2:", "pd1:")}) {
            final ProtectionException e = assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, forged), forged);
            assertTrue(e.getMessage().contains("does not authenticate"), e.getMessage());
        }
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, ciphertext.replace(":k1:", ":k9:")))
                .getMessage().contains("key id 'k9' is not in the key provider"));
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, ciphertext.replace(":k1:", ":13800138000 :")))
                .getMessage().contains("key id '(malformed)'"));
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, "pd2:A256GCM:k1:AAAA")).getMessage().contains("truncated"));
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, "pd2:A256GCM:k1:13800138000!")).getMessage().contains("base64url"));
        assertTrue(assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, "pd3:13800138000")).getMessage().contains("not a pd2"));
    }

    /**
     * Every bit of every byte of the payload (nonce, ciphertext and tag), flipped alone, and every byte inverted
     * whole, under both algorithms, for values of several lengths, is refused with one fixed message. Exhaustive over
     * positions, so it holds for every tampered byte, not for a sample.
     */
    @ParameterizedTest
    @EnumSource(CipherAlgorithm.class)
    void everyTamperedByteIsRefused(final CipherAlgorithm algorithm) {
        final FieldCipher cipher = new FieldCipher(RING, algorithm);
        int refused = 0;
        for (final String value : new String[] {"", "7", "13800138000", "11010519491231002X 张三 ☃"}) {
            final String ciphertext = cipher.encrypt(MOBILE, value);
            final String prefix = ciphertext.substring(0, ciphertext.lastIndexOf(':') + 1);
            final byte[] payload = Base64.getUrlDecoder().decode(ciphertext.substring(prefix.length()));
            for (int position = 0; position < payload.length; position++) {
                for (final int mask : new int[] {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}) {
                    final byte[] changed = payload.clone();
                    changed[position] ^= (byte) mask;
                    final String tampered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
                    final ProtectionException e = assertThrows(ProtectionException.class, () -> cipher.decrypt(MOBILE, tampered));
                    // one fixed message, whatever the value: it cannot carry any part of it
                    assertEquals(NOT_AUTHENTIC, e.getMessage());
                    refused++;
                }
            }
        }
        assertEquals(9 * 4 * (12 + 16) + 9 * (0 + 1 + 11 + "11010519491231002X 张三 ☃".getBytes(StandardCharsets.UTF_8).length), refused);
    }

    /**
     * A ciphertext written for one place opens only there. Every ordered pair of a set of bindings built to collide
     * (a ':' moved from path to context, a record key absent, empty or shifted, a NUL in the context) is tried, under
     * both algorithms: exhaustive over the set, so no pair is left to chance.
     */
    @ParameterizedTest
    @EnumSource(CipherAlgorithm.class)
    void everyMovedCiphertextIsRefused(final CipherAlgorithm algorithm) {
        final List<FieldCipher.Binding> bindings = new ArrayList<>();
        for (final String path : new String[] {"/mobile", "/mobile:", "/phone", "/contacts/mobile"}) {
            for (final String context : new String[] {"a", ":a", "a:", "a\u0000", "social-insurance", "social-insurance-2"}) {
                for (final String recordKey : new String[] {null, "", "1", ":1"}) {
                    bindings.add(new FieldCipher.Binding(path, context, recordKey));
                }
            }
        }
        final FieldCipher cipher = new FieldCipher(RING, algorithm);
        int refused = 0;
        for (final FieldCipher.Binding from : bindings) {
            final String ciphertext = cipher.encrypt(from, "13800138000");
            for (final FieldCipher.Binding to : bindings) {
                if (from.equals(to)) {
                    assertEquals("13800138000", cipher.decrypt(to, ciphertext));
                } else {
                    final ProtectionException e = assertThrows(ProtectionException.class, () -> cipher.decrypt(to, ciphertext), from + " -> " + to);
                    assertEquals(NOT_AUTHENTIC, e.getMessage());
                    refused++;
                }
            }
        }
        assertEquals(bindings.size() * (bindings.size() - 1), refused);
    }

    @Test
    void bindingsThatLookAlikeAreStillDifferent() {
        final FieldCipher cipher = new FieldCipher(RING, CipherAlgorithm.AES_256_GCM);
        final String ciphertext = cipher.encrypt(new FieldCipher.Binding("/a:", "b", null), "v");
        assertThrows(ProtectionException.class, () -> cipher.decrypt(new FieldCipher.Binding("/a", ":b", null), ciphertext));
        final String keyed = cipher.encrypt(new FieldCipher.Binding("/a", "b", ""), "v");
        assertThrows(ProtectionException.class, () -> cipher.decrypt(new FieldCipher.Binding("/a", "b", null), keyed));
    }

    @Test
    void theCiphertextCheckAcceptsExactlyTheDocumentedForm() {
        // The character loops replaced a split and regular expressions for speed (DecryptRecord asks of every value it
        // reads); every writing an attacker might use must fare as under the form's regular expression: a prefix, a known
        // algorithm, a key id of 1 to 64 key-id characters, and base64url long enough for a nonce and a tag
        final java.util.regex.Pattern form = java.util.regex.Pattern.compile("pd[12]:(A256GCM|SM4GCM):[A-Za-z0-9._-]{1,64}:[A-Za-z0-9_-]{38,}");
        final String real = new FieldCipher(RING, CipherAlgorithm.AES_256_GCM).encrypt(MOBILE, "13800138000");
        final String[] starts = {real, "pd1:SM4GCM:k1:" + real.substring(real.lastIndexOf(':') + 1), "pd2:A256GCM:" + "k".repeat(64) + ":" + "A".repeat(38),
            "pd2:A256GCM:" + "k".repeat(65) + ":" + "A".repeat(38), "pd2:A256GCM::" + "A".repeat(38), "pd2:A256GCM:k1:" + "A".repeat(37), "pd2:hello", "pd3:A256GCM:k1:x"};
        final String pool = "AZaz09_-+/=.:\u00a0\uff21\uff10\u0660\u200b\u4e2d\n\t%\u0000";
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20241126L);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            final StringBuilder text = new StringBuilder(starts[random.nextInt(starts.length)]);
            for (int edits = random.nextInt(0, 3); edits > 0 && !text.isEmpty(); edits--) {
                final int at = random.nextInt(text.length());
                final char c = random.nextInt(3) == 0 ? pool.charAt(random.nextInt(pool.length())) : (char) random.nextInt(0x20, 0x7f);
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, c);
                    case 1 -> text.insert(at, c);
                    default -> text.deleteCharAt(at);
                }
            }
            final String candidate = text.toString();
            final boolean expected = form.matcher(candidate).matches();
            assertEquals(expected, FieldCipher.isCiphertext(candidate), candidate);
            accepted += expected ? 1 : 0;
        }
        // Both outcomes were tried many times
        assertTrue(accepted > 10_000 && accepted < 90_000, "accepted " + accepted);
        assertTrue(FieldCipher.isCiphertext(real));
        assertEquals(false, FieldCipher.isCiphertext(real + ":"));
        assertEquals(false, FieldCipher.isCiphertext("pd2:A256GCM:k1:" + "A".repeat(20) + "+/" + "A".repeat(20)));
    }

    @Test
    void textThatIsNotWellFormedUnicodeIsRefusedNeverChanged() {
        // Java writes '?' for an unpaired surrogate: encrypted as is, the value would decrypt as another one, and two
        // different values would get one pseudonym
        final FieldCipher cipher = new FieldCipher(RING, CipherAlgorithm.AES_256_GCM);
        final Pseudonymizer pseudonyms = Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "k1", KEY);
        for (final String broken : List.of("1380013\ud8008000", "\udc00", "13800138000\ud800", "\udc00\ud800", "\ud800\ud800\udc00x")) {
            final ProtectionException refused = assertThrows(ProtectionException.class, () -> cipher.encrypt(MOBILE, broken));
            assertTrue(refused.getMessage().contains("not well-formed Unicode"), refused.getMessage());
            assertFalse(refused.getMessage().contains("1380013"), refused.getMessage());
            assertThrows(ProtectionException.class, () -> pseudonyms.pseudonym(broken));
        }
        // Characters outside the Basic Multilingual Plane are surrogate pairs, and well formed
        final String supplementary = "\ud840\udc00\ud83d\ude00 13800138000";
        assertEquals(supplementary, cipher.decrypt(MOBILE, cipher.encrypt(MOBILE, supplementary)));
        assertEquals(64, pseudonyms.pseudonym(supplementary).length());
    }
}
