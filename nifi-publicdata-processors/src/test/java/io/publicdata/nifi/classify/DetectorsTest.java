package io.publicdata.nifi.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Detector vectors. Valid values are real published examples where one exists: the GB 11643-1999 sample ID
 * numbers, the unified social credit codes of well-known companies and institutions, and card numbers that
 * card schemes and banks publish for testing. Each invalid vector breaks exactly one check.
 */
class DetectorsTest {

    private static final Detector ID = new ResidentIdDetector();
    private static final Detector CREDIT = new CreditCodeDetector();
    private static final Detector MOBILE = new MobileDetector();
    private static final Detector CARD = new BankCardDetector();
    private static final Detector EMAIL = new EmailDetector();
    private static final Detector PASSPORT = new PassportDetector();
    private static final Detector PLATE = new VehiclePlateDetector();
    private static final Detector IP = new IpAddressDetector();

    @ParameterizedTest
    @ValueSource(strings = {
        "11010519491231002X",   // GB 11643-1999 example
        "440524188001010014",   // GB 11643-1999 example
        "11010119900307803x",   // lower-case check character
        "320311770706001",      // 15-digit form, born 1977-07-06
        "110105491231002"       // 15-digit form of the GB example
    })
    void residentIdValid(final String id) {
        assertEquals(List.of(id), spans(ID, id));
        assertEquals(List.of(id), spans(ID, "申请人身份证号" + id + "，已核验"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "110105194912310021",   // wrong check digit (should be X)
        "440524188001010015",   // wrong check digit
        "11010519491331002X",   // month 13 (check digit recomputed would not help: date is checked first)
        "990105194912310025",   // province 99 does not exist
        "110105194902300024",   // 30 February
        "320311771306001",      // 15-digit with month 13
        "1101051949123100",     // 16 digits
        "1101051949123100211"   // 19 digits
    })
    void residentIdInvalid(final String id) {
        assertEquals(List.of(), spans(ID, id));
    }

    @Test
    void residentIdCheckCharacterFollowsGb11643() {
        assertEquals('X', ResidentIdDetector.checkCharacter("11010519491231002"));
        assertEquals('4', ResidentIdDetector.checkCharacter("44052418800101001"));
        assertTrue(ID.foundIn("ID11010519491231002X"), "a label glued to the number does not hide it");
    }

    /** An 18-character ID of region 110105 born on this date, with its GB 11643 check character. */
    private static String idBornOn(final java.time.LocalDate date) {
        final String first17 = "110105" + date.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "002";
        return first17 + ResidentIdDetector.checkCharacter(first17);
    }

    @Test
    void residentIdBirthDateIsARealDayNotInTheFuture() {
        final java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertTrue(ID.foundIn(idBornOn(java.time.LocalDate.of(2000, 2, 29))), "29 February of a leap year");
        assertTrue(ID.foundIn(idBornOn(java.time.LocalDate.of(1996, 12, 31))), "the last day of a year");
        assertTrue(ID.foundIn(idBornOn(java.time.LocalDate.of(1999, 4, 30))), "the last day of April");
        assertTrue(ID.foundIn(idBornOn(today.minusDays(1))), "born yesterday");
        assertTrue(ID.foundIn(idBornOn(today.minusYears(1))), "born a year ago");
        assertFalse(ID.foundIn("11010519000229002" + ResidentIdDetector.checkCharacter("11010519000229002")), "no 29 February in 1900");
        assertFalse(ID.foundIn("11010519990431002" + ResidentIdDetector.checkCharacter("11010519990431002")), "no 31 April");
        assertFalse(ID.foundIn("11010519990132002" + ResidentIdDetector.checkCharacter("11010519990132002")), "no 32 January");
        assertFalse(ID.foundIn(idBornOn(today.plusDays(2))), "born the day after tomorrow");
        assertFalse(ID.foundIn(idBornOn(today.plusYears(1))), "born next year");
        assertFalse(ID.foundIn(idBornOn(java.time.LocalDate.of(2099, 1, 1))), "born in 2099");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "914403001922038216",   // Huawei Technologies Co., Ltd.
        "91330100716105852F",   // Alibaba (China) Co., Ltd.
        "91440300708461136T",   // Shenzhen Tencent Computer Systems Co., Ltd.
        "91350100M000100Y43",   // the example in GB 32100-2015 guidance material
        "12100000400000624D"    // a public institution (机构编制 registration)
    })
    void creditCodeValid(final String code) {
        assertEquals(List.of(code), spans(CREDIT, code));
        assertEquals(List.of(code), spans(CREDIT, "供应商统一社会信用代码：" + code + "。"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "914403001922038217",   // wrong check character
        "91330100716105852G",   // wrong check character
        "91350100M000100I43",   // I is not in the GB 32100 alphabet
        "01350100M000100Y43",   // registration authority 0 does not exist
        "9135010M000100Y43"     // 17 characters
    })
    void creditCodeInvalid(final String code) {
        assertEquals(List.of(), spans(CREDIT, code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"13800138000", "18612345678", "+86 139 1234 5678", "+8613912345678", "0086-150-1234-5678",
        "86 177 0000 1111", "199-8888-6666", "166 1234 5678"})
    void mobileValid(final String phone) {
        assertEquals(List.of(phone), spans(MOBILE, phone));
        assertEquals(List.of(phone), spans(MOBILE, "请联系" + phone + "（工作日）"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "15412345678", "16012345678", "1380013800", "138001380001", "2138001380000"})
    void mobileInvalid(final String phone) {
        assertEquals(List.of(), spans(MOBILE, phone));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "6216261000000000018",  // UnionPay test card, 19 digits
        "6222600260001072444",  // UnionPay debit test card, 19 digits
        "6226090000000048",     // UnionPay credit test card
        "6250946000000016",     // UnionPay international test card
        "4111111111111111",     // Visa test card
        "5555555555554444",     // Mastercard test card
        "3530111333300000",     // JCB test card
        "6226 0900 0000 0048",  // grouped by four
        "6216-2610-0000-0000-018"
    })
    void bankCardValid(final String card) {
        assertEquals(List.of(card), spans(CARD, card));
        assertEquals(List.of(card), spans(CARD, "退款至卡号" + card + "。"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "6216261000000000019",  // Luhn fails
        "4111111111111112",     // Luhn fails
        "1111111111111111117",  // no card scheme starts with 1
        "411111111111111",      // 15 digits
        "62162610000000000181", // 20 digits
        "440524188001010014"    // a valid resident ID that also passes Luhn: it is an ID, never a card
    })
    void bankCardInvalid(final String card) {
        assertEquals(List.of(), spans(CARD, card));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zhang.san@example.com", "li_si+tax@mail.gov.cn", "a@b.io", "wang-wu@sub.domain-x.org"})
    void emailValid(final String email) {
        assertEquals(List.of(email), spans(EMAIL, email));
        assertEquals(List.of(email), spans(EMAIL, "邮箱:" + email + "，请回复"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zhang.san@", "@example.com", "zhang@example", "zhang@example.c", "zhang san@example"})
    void emailInvalid(final String email) {
        assertEquals(List.of(), spans(EMAIL, email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"E12345678", "EA1234567", "G12345678", "DE1234567", "SE7654321", "PE1234567"})
    void passportValid(final String passport) {
        assertEquals(List.of(passport), spans(PASSPORT, passport));
        assertEquals(List.of(passport), spans(PASSPORT, "护照号 " + passport + " 有效"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EI1234567", "EO1234567", "E1234567", "E123456789", "X12345678", "E00000000", "AE12345678"})
    void passportInvalid(final String passport) {
        assertEquals(List.of(), spans(PASSPORT, passport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"京A12345", "粤B·88888", "沪AD12345", "苏E12345F", "浙A1234学", "川AB1234", "京A1234警"})
    void plateValid(final String plate) {
        assertEquals(List.of(plate), spans(PLATE, plate));
        assertEquals(List.of(plate), spans(PLATE, "车辆" + plate + "违停"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"京I12345", "京AABC12", "京A1234", "京AO1234", "京AZ12345", "美A12345"})
    void plateInvalid(final String plate) {
        assertEquals(List.of(), spans(PLATE, plate));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.10", "10.0.0.1", "255.255.255.255", "2001:db8::1", "fe80::1ff:fe23:4567:890a",
        "::1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::ffff:192.0.2.128"})
    void ipValid(final String ip) {
        assertEquals(List.of(ip), spans(IP, ip));
        assertEquals(List.of(ip), spans(IP, "登录地址 " + ip + " 异常"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "192.168.01.1", "1.2.3", "1.2.3.4.5", "12:30:00", "2001:db8::1::2",
        "2001:db8:85a3:0:0:8a2e:370:7334:1", "12345::1"})
    void ipInvalid(final String ip) {
        assertEquals(List.of(), spans(IP, ip));
    }

    @Test
    void findsEveryIdentifierInFreeText() {
        final String remark = "张三，身份证11010519491231002X，手机138-0013-8000，邮箱zhangsan@example.com，卡号6226090000000048";
        assertEquals(List.of("11010519491231002X"), spans(ID, remark));
        assertEquals(List.of("138-0013-8000"), spans(MOBILE, remark));
        assertEquals(List.of("zhangsan@example.com"), spans(EMAIL, remark));
        assertEquals(List.of("6226090000000048"), spans(CARD, remark));
        assertEquals(List.of(), spans(PLATE, remark));
    }

    @Test
    void reportsEachIpAddressOnce() {
        assertEquals(List.of("2001:db8::1", "::ffff:192.0.2.128", "10.0.0.1"),
                spans(IP, "from 2001:db8::1 via ::ffff:192.0.2.128 to code:10.0.0.1"));
    }

    @Test
    void digitsInsideLongerNumbersAreNotIdentifiers() {
        assertFalse(MOBILE.foundIn("订单号2138001380001"));
        assertFalse(ID.foundIn("流水号911010519491231002X"), "an ID glued to a longer digit run is not an ID");
        assertFalse(CARD.foundIn("0062260900000000489"));
    }

    @Test
    void builtInDetectorsCoverEveryLabel() {
        final List<String> labels = Detectors.builtIn().stream().map(Detector::label).toList();
        assertEquals(List.of(Labels.PERSONAL_ID, Labels.CREDIT_CODE, Labels.MOBILE, Labels.BANK_CARD, Labels.EMAIL,
                Labels.PASSPORT, Labels.VEHICLE_PLATE, Labels.IP_ADDRESS), labels);
    }

    private static List<String> spans(final Detector detector, final String text) {
        final List<String> found = new ArrayList<>();
        final TextShape shape = TextShape.of(text);
        if (detector.mayOccurIn(shape)) {
            assertTrue(shape.mayHoldIdentifier(), "the shape's combined gate must let through whatever " + detector + " may find");
            detector.find(text, (start, end) -> found.add(text.substring(start, end)));
        }
        return found;
    }
}
