package io.publicdata.nifi.protect;

import io.publicdata.nifi.classify.Detectors;
import io.publicdata.nifi.classify.Labels;
import io.publicdata.nifi.grant.ProtectionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionMethodsTest {

    private static final byte[] AES_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] SM4_KEY = HexFormat.of().parseHex("0123456789abcdeffedcba9876543210");

    // NIST SP 800-38G FF1 samples (AES): https://csrc.nist.gov/CSRC/media/Projects/Cryptographic-Standards-and-Guidelines/documents/examples/FF1samples.pdf
    @ParameterizedTest
    @CsvSource({
        "2B7E151628AED2A6ABF7158809CF4F3C, 10, '', 0123456789, 2433477484",
        "2B7E151628AED2A6ABF7158809CF4F3C, 10, 39383736353433323130, 0123456789, 6124200773",
        "2B7E151628AED2A6ABF7158809CF4F3C, 36, 3737373770717273373737, 0123456789abcdefghi, a9tv40mll9kdu509eum",
        "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 10, '', 0123456789, 2830668132",
        "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 10, '', 0123456789, 6657667009",
        "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 10, 39383736353433323130, 0123456789, 1001623463",
    })
    void ff1MatchesNistSamples(final String key, final int radix, final String tweak, final String plain, final String cipher) {
        final byte[] symbols = plain.chars().map(c -> Character.digit(c, radix)).collect(java.io.ByteArrayOutputStream::new,
                java.io.ByteArrayOutputStream::write, (a, b) -> a.write(b.toByteArray(), 0, b.size())).toByteArray();
        final byte[] out = FormatPreservingCipher.ff1(true, CipherAlgorithm.AES_256_GCM, HexFormat.of().parseHex(key), radix,
                HexFormat.of().parseHex(tweak), symbols);
        final StringBuilder text = new StringBuilder();
        for (final byte symbol : out) {
            text.append(Character.forDigit(symbol, radix));
        }
        assertEquals(cipher, text.toString());
        assertEquals(plain, toText(FormatPreservingCipher.ff1(false, CipherAlgorithm.AES_256_GCM, HexFormat.of().parseHex(key), radix,
                HexFormat.of().parseHex(tweak), out), radix));
    }

    private static String toText(final byte[] symbols, final int radix) {
        final StringBuilder text = new StringBuilder();
        for (final byte symbol : symbols) {
            text.append(Character.forDigit(symbol, radix));
        }
        return text.toString();
    }

    @Test
    void hmacSm3KnownAnswer() {
        // GM/T 0042-2015 Appendix D.3, first vector: key 01..20 (32 bytes), 112 bytes of text
        final byte[] standardKey = new byte[32];
        for (int i = 0; i < standardKey.length; i++) {
            standardKey[i] = (byte) (i + 1);
        }
        final String half = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assertEquals("ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a",
                new Pseudonymizer(Pseudonymizer.Hash.HMAC_SM3, "k", standardKey).pseudonym(half + half));
        // RFC 4231 test case 1 inputs with SM3; the expected value is OpenSSL 3's independent HMAC-SM3:
        // echo -n "Hi There" | openssl mac -digest SM3 -macopt hexkey:0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b HMAC
        final byte[] key = HexFormat.of().parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        assertEquals("51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70",
                new Pseudonymizer(Pseudonymizer.Hash.HMAC_SM3, "k", key).pseudonym("Hi There"));
        // RFC 4231 test case 1, HMAC-SHA-256
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                new Pseudonymizer(Pseudonymizer.Hash.HMAC_SHA256, "k", key).pseudonym("Hi There"));
    }

    @Test
    void pseudonymsAreStableAndKeyed() {
        final Pseudonymizer one = Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "p1", AES_KEY);
        assertEquals(one.pseudonym("11010519491231002X"), one.pseudonym("11010519491231002X"));
        assertNotEquals(one.pseudonym("11010519491231002X"), Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "p1", SM4_KEY).pseudonym("11010519491231002X"));
        assertNotEquals(one.pseudonym("11010519491231002X"), Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SHA256, "p1", AES_KEY).pseudonym("11010519491231002X"));
        assertNotEquals(one.pseudonym("11010519491231002X"), Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "p2", AES_KEY).pseudonym("11010519491231002X"),
                "the key id enters the derivation");
        assertTrue(one.pseudonym("张三").matches("[0-9a-f]{64}"));
    }

    @ParameterizedTest
    @CsvSource({
        "11010519491231002X, 6, 4, 110105********002X",
        "13812345678, 3, 4, 138****5678",
        "6222021234567890123, 6, 4, 622202*********0123",
        "张三丰, 1, 0, 张**",
        "张三, 1, 0, 张*",
        "12345, 3, 4, 1****",
        "ab, 3, 4, **",
    })
    void maskKeepsFirstAndLast(final String value, final int first, final int last, final String expected) {
        assertEquals(expected, Masking.keep(first, last).apply(value));
    }

    @Test
    void maskDefaultsByLabelAndInsideFreeText() {
        final Protector protector = new Protector(Protector.DEFAULT_MASKINGS, Detectors.builtIn(), null, null, null);
        final MethodSpec mask = MethodSpec.of(ProtectionMethod.MASK);
        assertEquals("z*******@example.com", protector.protect(at("/email"), mask, new TreeSet<>(), "zhangsan@example.com"));
        assertEquals("王**", protector.protect(at("/name"), mask, new TreeSet<>(java.util.Set.of(Labels.PERSON_NAME)), "王小明"));
        assertEquals("请联系138****5678或邮件z*@example.cn，谢谢",
                protector.protect(at("/remarks"), mask, new TreeSet<>(), "请联系13812345678或邮件zs@example.cn，谢谢"));
        assertEquals("1****", protector.protect(at("/code"), new MethodSpec(ProtectionMethod.MASK, Masking.keep(1, 0), null), new TreeSet<>(), "12345"));
        assertNull(protector.protect(at("/x"), MethodSpec.of(ProtectionMethod.REDACT), new TreeSet<>(), "secret"));
        assertThrows(ProtectionException.class, () -> protector.protect(at("/x"), MethodSpec.of(ProtectionMethod.ENCRYPT), new TreeSet<>(), "v"));
    }

    private static FieldCipher.Binding at(final String path) {
        return new FieldCipher.Binding(path, "dataset-1", null);
    }

    @Test
    void maskCoversTheWholeLabelledFieldAndEverySpanInside() {
        final Protector protector = new Protector(Protector.DEFAULT_MASKINGS, Detectors.builtIn(), null, null, null);
        final MethodSpec mask = MethodSpec.of(ProtectionMethod.MASK);
        final TreeSet<String> name = new TreeSet<>(java.util.Set.of(Labels.PERSON_NAME));
        final TreeSet<String> address = new TreeSet<>(java.util.Set.of(Labels.ADDRESS));
        // A name with a phone inside: the surname convention over all of it, and the phone too
        assertEquals("李**************", protector.protect(at("/name"), mask, name, "李四光 13800138000"));
        // An address with a phone: only the region prefix stays
        assertEquals("北京市朝阳区*******************", protector.protect(at("/address"), mask, address, "北京市朝阳区建国路1号 电话13800138000"));
        // A value never comes out with less masked than either alone: explicit keep 8 + 0, and the phone masked within
        assertEquals("联系电话138***********", protector.protect(at("/x"), new MethodSpec(ProtectionMethod.MASK, Masking.keep(8, 0), null),
                new TreeSet<>(), "联系电话13812345678 李四"));
        // Detected in the normalised text, masked in the original characters: separators and zero-width ones included
        assertEquals("电话１３８******８０００", protector.protect(at("/remark"), mask, new TreeSet<>(), "电话１３８－００１３－８０００"));
        assertEquals("138******8000", protector.protect(at("/p"), mask, new TreeSet<>(), "138\u200b0013\u00a08000"));
        // A detector's label from another value of the field does not apply its convention to a value without it
        final TreeSet<String> nameAndMobile = new TreeSet<>(java.util.Set.of(Labels.PERSON_NAME, Labels.MOBILE));
        assertEquals("周*", protector.protect(at("/name"), mask, nameAndMobile, "周敏"));
        assertEquals("李**************", protector.protect(at("/name"), mask, nameAndMobile, "李四光 13800138000"));
        assertEquals("tel 138******8000 ok", protector.protect(at("/p"), mask, new TreeSet<>(), "tel 138.0013.8000 ok"));
    }

    @Test
    void generalizeDatesNumbersAndAddresses() {
        final Generalization year = Generalization.DEFAULT;
        final Generalization month = new Generalization(Generalization.DatePrecision.MONTH, new BigDecimal("1000"), 1);
        assertEquals("1980", year.apply(LocalDate.of(1980, 5, 17)));
        assertEquals("1980", year.apply(java.sql.Date.valueOf("1980-05-17")));
        assertEquals("1980-05", month.apply("1980-05-17"));
        assertEquals("1980-05", month.apply("1980年5月17日"));
        assertEquals("[30, 40)", year.apply(37));
        assertEquals("[-10, 0)", year.apply(-3));
        assertEquals("[8000, 9000)", month.apply(new BigDecimal("8500.50")));
        assertEquals("[8000, 9000)", month.apply("8500.50"));
        assertEquals("北京市朝阳区", year.apply("北京市朝阳区建国路1号"));
        assertEquals("内蒙古自治区呼和浩特市", year.apply("内蒙古自治区呼和浩特市新城区"));
        assertEquals("山东省", month.apply("山东省济南市历下区"));
        assertEquals("*", year.apply("建国路1号"));
        // An identifier is no quantity, and divisions that keep one keep too much
        assertEquals("*", month.apply("110105199003071239"));
        assertEquals("*", month.apply(13800138000L));
        assertEquals("*", month.apply(1.3800138E10));
        assertEquals("*", year.apply("张三 13800138000 北京市海淀区中关村大街1号"));
    }

    @ParameterizedTest
    @EnumSource(CipherAlgorithm.class)
    void fpeKeepsFormatAndReverses(final CipherAlgorithm algorithm) {
        final byte[] key = algorithm == CipherAlgorithm.SM4_GCM ? SM4_KEY : AES_KEY;
        final FormatPreservingCipher fpe = FormatPreservingCipher.derived(algorithm, "k1", key);
        for (final String value : new String[] {"11010519491231002X", "138-1234-5678", "6222021234567890123", "000001"}) {
            final String encrypted = fpe.encrypt(at("/id"), value);
            assertEquals(value.length(), encrypted.length());
            assertEquals(value.replaceAll("\\d", "9"), encrypted.replaceAll("\\d", "9"), "non-digits stay in place");
            assertNotEquals(value, encrypted);
            assertEquals(value, fpe.decrypt(at("/id"), encrypted));
            assertNotEquals(encrypted, fpe.encrypt(at("/otherField"), value), "the tweak binds the field");
            assertNotEquals(encrypted, fpe.encrypt(new FieldCipher.Binding("/id", "dataset-2", null), value), "the tweak binds the context");
        }
        assertThrows(ProtectionException.class, () -> fpe.encrypt(at("/id"), "12345"));
    }

    @Test
    void keyRingRejectsBadKeysAndNeverShowsThem() {
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of("k1", new byte[8]), "k1"));
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of("k 1", AES_KEY), "k 1"));
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of("k1", AES_KEY), "k2"));
        assertEquals(32, KeyRing.decodeKey(HexFormat.of().formatHex(AES_KEY)).length);
        assertEquals(16, KeyRing.decodeKey(Base64.getEncoder().encodeToString(SM4_KEY)).length);
        final String shown = new KeyRing(Map.of("k1", AES_KEY), "k1").toString();
        assertTrue(shown.contains("k1") && !shown.contains("000102"), shown);
        // a provider key serves any algorithm through its derived keys: a 16-byte key gives a 32-byte AES key
        final FieldCipher fromShortKey = new FieldCipher(new KeyRing(Map.of("k1", SM4_KEY), "k1"), CipherAlgorithm.AES_256_GCM);
        assertEquals("v", fromShortKey.decrypt(at("/x"), fromShortKey.encrypt(at("/x"), "v")));
    }
}
