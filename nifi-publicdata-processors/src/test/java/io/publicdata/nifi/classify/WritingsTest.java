package io.publicdata.nifi.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways people, spreadsheets and editors write identifiers: every writing is found, and the span reported covers
 * exactly the characters of the original that wrote it.
 */
class WritingsTest {

    private static final Classifier CLASSIFIER = Classifier.defaults();

    /** Spans found by the detector of a label, as the substrings of the original text they cover. */
    private static List<String> found(final String label, final String text) {
        final List<String> found = new ArrayList<>();
        Detectors.forLabel(label).find(text, (start, end) -> found.add(text.substring(start, end)));
        return found;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        PERSONAL_ID | １１０１０５１９４９１２３１００２Ｘ
        PERSONAL_ID | 110105 19491231 002X
        PERSONAL_ID | 110105-19491231-002X
        PERSONAL_ID | 110105.19491231.002X
        PERSONAL_ID | 110105\u00a019491231\u00a0002X
        PERSONAL_ID | 110105\u201319491231\u2013002X
        PERSONAL_ID | 110105 1949 1231 002X
        PERSONAL_ID | 110105 - 19491231 - 002X
        PERSONAL_ID | 1101051949\u200b1231002X
        PERSONAL_ID | 11010519\u00ad491231002X
        PERSONAL_ID | 110105194912\u2060\ufeff31002X
        PERSONAL_ID | 11010519491231002ｘ
        PERSONAL_ID | 440524188001010014
        MOBILE      | 138.0013.8000
        MOBILE      | 139\u20130013\u20139000
        MOBILE      | 138\u00a00013\u00a08000
        MOBILE      | 138\u30000013\u30008000
        MOBILE      | １３８００１３８０００
        MOBILE      | 1380013\u200c8000
        MOBILE      | +86 138 0013 8000
        MOBILE      | ＋８６－１３８－００１３－８０００
        MOBILE      | 138\u22120013\u22128000
        MOBILE      | 1.3800138E10
        MOBILE      | 1.3800138e+10
        BANK_CARD   | 622202 0200001234562
        BANK_CARD   | 6222 0202 0000 1234 562
        BANK_CARD   | 6222.0202.0000.1234.562
        BANK_CARD   | ６２２２０２０２００００１２３４５６２
        BANK_CARD   | 6222\u200b0202\u200b0000\u200b1234\u200b562
        BANK_CARD   | 4111-1111-1111-1111
        CREDIT_CODE | ９１３５０１００Ｍ０００１００Ｙ４３
        CREDIT_CODE | 91350100m000100y43
        EMAIL       | ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ
        MOBILE      | 138\u00b70013\u00b78000
        MOBILE      | 138\u30fb0013\u30fb8000
        MOBILE      | 1380013\u034f8000
        MOBILE      | 1380013\ufe0f8000
        MOBILE      | 13\u030180013\u03018000
        MOBILE      | 1380013\u200e8000
        MOBILE      | 138\u31640013\u31648000
        MOBILE      | 一三八零零一三八零零零
        MOBILE      | 一三八〇〇一三八〇〇〇
        MOBILE      | 幺三八 零零幺三 八零零零
        MOBILE      | 壹叁捌零零壹叁捌零零零
        MOBILE      | 138零0138000
        PERSONAL_ID | 一一〇一〇五一九四九一二三一〇〇二X
        PERSONAL_ID | 1101 0519 4912 3100 2X
        PERSONAL_ID | 110 105 194 912 310 02X
        PERSONAL_ID | 4405-2418-8001-0100-14
        MOBILE      | %31%33%38%30%30%31%33%38%30%30%30
        MOBILE      | 138%200013%208000
        MOBILE      | %2B86%20138%200013%208000
        MOBILE      | 138&nbsp;0013&nbsp;8000
        MOBILE      | &#49;&#51;&#56;&#48;&#48;&#49;&#51;&#56;&#48;&#48;&#48;
        MOBILE      | &#x31;&#x33;&#x38;&#X30;&#x30;&#x31;&#x33;&#x38;&#x30;&#x30;&#x30;
        MOBILE      | 138&#8203;0013&#65304;000
        BANK_CARD   | 6222%200202%200000%201234%20562
        EMAIL       | zhang%40example.com
        EMAIL       | zhang&#64;example.com
        EMAIL       | zhang&commat;example&period;com
        EMAIL       | zhang@example。com
        VEHICLE_PLATE | 京a12345
        VEHICLE_PLATE | 粤bd12345
        VEHICLE_PLATE | 沪c·12345
        EMAIL       | zhang.san@mail。example。com。cn
        EMAIL       | ｚｈａｎｇ＠ｅｘａｍｐｌｅ。ｃｏｍ
        IP_ADDRESS  | 010.001.002.003
        IP_ADDRESS  | 192.168.001.001
        PASSPORT    | e12345678
        PASSPORT    | ea1234567
        PASSPORT    | de1234567
        PERSONAL_ID | 110105199003071230
        PERSONAL_ID | 11010519491231002×
        PERSONAL_ID | 110105199003071000
        PERSONAL_ID | 1.1010519900307123E17
        PERSONAL_ID | 4.4052418800101E17
        """)
    void everyWritingIsFoundWhole(final String label, final String written) {
        assertEquals(List.of(written), found(label, written), label + " in " + written);
        final FieldGrade grade = CLASSIFIER.classify(written);
        assertTrue(grade.labels().contains(label), grade.toString());
        assertEquals(CLASSIFIER.gradeOf(label), grade.grade());
    }

    @Test
    void theNumeralLookUpAndTheNumeralDigitsAgreeOnEveryCharacter() {
        for (int code = 0; code <= Character.MAX_VALUE; code++) {
            final char c = (char) code;
            assertEquals(TextShape.chineseDigit(c) >= 0, TextShape.isChineseNumeral(c), () -> String.format("U+%04X", (int) c));
        }
    }

    @Test
    void tabsAndLineBreaksJoinDigitGroupsAsSpacesDo() {
        // Pasted from a spreadsheet's cells, or a number wrapped in a text box (not expressible in a CSV source)
        final String[][] writings = {
            {"MOBILE", "138\t0013\t8000"}, {"MOBILE", "138\n0013\n8000"}, {"MOBILE", "138\r\n0013\r\n8000"},
            {"PERSONAL_ID", "110105\t19491231\t002X"}, {"BANK_CARD", "6222\t0202\t0000\t1234\t562"}};
        for (final String[] writing : writings) {
            everyWritingIsFoundWhole(writing[0], writing[1]);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        MOBILE      | 联系人李四光，电话 138\u00a00013\u00a08000，谢谢    | 138\u00a00013\u00a08000
        MOBILE      | 电话：１３８－００１３－８０００。                  | １３８－００１３－８０００
        PERSONAL_ID | 身份证 110105 19491231 002X 已核验                  | 110105 19491231 002X
        PERSONAL_ID | ID:1101051949\u200b1231002X;                        | 1101051949\u200b1231002X
        BANK_CARD   | 卡号6222\u20130202\u20130000\u20131234\u2013562，   | 6222\u20130202\u20130000\u20131234\u2013562
        MOBILE      | 13800138000.0                                       | 13800138000
        MOBILE      | 第一13800138000                                     | 13800138000
        MOBILE      | 统一电话一三八零零一三八零零零。                      | 一三八零零一三八零零零
        MOBILE      | 请拨幺三八零零幺三八零零零联系                        | 幺三八零零幺三八零零零
        MOBILE      | https://example.com/u?tel=138%200013%208000&x=1     | 138%200013%208000
        MOBILE      | <td>电话</td><td>138&nbsp;0013&nbsp;8000</td>       | 138&nbsp;0013&nbsp;8000
        EMAIL       | 联系 zhang&#64;example.com 谢谢                      | zhang&#64;example.com
        EMAIL       | 邮箱zhang@example。com。谢谢                          | zhang@example。com
        PERSONAL_ID | IDCARD110105199003071239NAMEZHANGSANADDRBEIJING     | 110105199003071239
        PERSONAL_ID | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa11010519491231002X | 11010519491231002X
        PERSONAL_ID | 11010519491231002Xabcdefghijklmnopqrstuvwxyzabcdefghij | 11010519491231002X
        MOBILE      | ef47a4e5-58bd-3140-81c4-f1450157621 f13800138000      | 13800138000
        """)
    void spansInFreeTextCoverTheOriginalCharacters(final String label, final String text, final String expected) {
        assertEquals(List.of(expected), found(label, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-03-07", "2024.03.07", "20240307", "2024年3月7日 14:03:07", "¥13,800.00", "13,800,138,000", "1,380,013,800.50", "13,800,138,000.00",
        "二〇二四年十一月二十六日", "统一社会信用代码", "一五一十地说", "第一二三四组", "壹万贰仟叁佰元整", "1,234,567.00",
        "ORD20240307123456789", "SO-2024-0307-000123", "d41d8cd98f00b204e9800998ecf8427e",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "v1.2.3", "10.0.19041.1", "2.17.1",
        "pd1:A256GCM:k1:q7L2mFkQx9w0aT4nB8cDeFgHiJkLmNoPqRsTuVwXyZ", "3.14159265358979", "1.0E-5", "6.02214076E23",
        "价格 1380 元", "第 138 号", "邮编 100101", "电话 010-6512 3456",
        // A fraction is no number of its own; grouped digits glued to letters are pieces of a token; a single dot is a decimal point
        "88670.14536283852", "9.411007010117357", "8838992c-e9d3-3a13-9171-152021100584", "bc60b148-5584-3305-8716-d1fbb20f20c4",
        "986619.1613326785", "03803b934206b15732288020a03d8ec492da38fa006322d2e22b596879d5f013",
        "202305053018907509", "20240307123456789012",
        // Percent signs and ampersands that escape nothing, or escape what makes no identifier
        "增长12.5%，同比", "100%20240307", "完成率100%,138", "AT&T", "R&D 13800 元", "&amp;&lt;&gt;", "%E5%BC%A0%E4%B8%89",
        "2024%2F03%2F07", "&#;", "&#x;", "&#99999999999;", "50%%", "a%2", "&nbsp",
        // Padded octets only when all four are; no check-free number counts inside a long token; passports need their prefix
        "10.01.2.3", "256.001.002.003", "001.002.003", "e3b0c442110105199003071230fc1c149afbf4c8996fb92427ae41e4649b934c",
        "e3b0c44213800138000fc1c149afbf4c8996fb92427ae41e4649b934ca495991", "f12345678", "x12345678", "e00000000",
        // Digits glued to a hex letter in a UUID's last group (seen as mobiles in 4 of 20,000 random UUIDs)
        "ef47a4e5-58bd-3140-81c4-f14501576217", "AD446F11-641D-358D-AEB5-D15626263667", "id=448d40b7-18a4-3bfe-8a1d-d18574008647;",
        "c788871f-7cee-3dc8-81d4-18535593821e",
        // An ideographic full stop ends a sentence unless it sits in an e-mail's domain
        "余额123。45元", "a。b@c", "@。com",
        // Lower case after a province is a plate only with a serial of digits
        "阿里云ecs1234", "云abc12345", "京a1234", "新款ipad12345", "京a123456",
        // A near miss (a wrong check, no sign of lost digits) and zero-ended numbers without a region and birth date
        "110105199003071231", "110105199003071210", "990105199003071230", "110105199013071230", "202411260000000000"
    })
    void ordinaryValuesAreNoIdentifiers(final String value) {
        assertEquals(List.of(), CLASSIFIER.classify(value).labels().stream().toList(), value);
    }
}
