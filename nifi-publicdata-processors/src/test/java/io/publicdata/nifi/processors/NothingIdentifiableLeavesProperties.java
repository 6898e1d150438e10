package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.nifi.reporting.InitializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.text.Normalizer;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The promise of issue 10, for every input: records carrying personal identifiers written any way people write them
 * (grouped, dotted, full-width, with zero-width characters, as floating point, inside names, addresses and free text, in
 * nested records, arrays and map keys, percent-encoded and as HTML character references) go through ClassifyRecord and ProtectRecord with their defaults, through NiFi's
 * real JSON and CSV readers and writers; the output, normalised the way an attacker would (NFKC, every separator
 * removed, lower case), holds none of the planted identifiers. Fixed seeds: a failure reproduces.
 */
class NothingIdentifiableLeavesProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> DATASET = Map.of(PublicDataAttributes.DATASET, "GOV-TEST-001");
    private static final List<Integer> PROVINCES = List.of(11, 12, 13, 31, 32, 33, 37, 41, 44, 51, 61, 65);
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    /** Chinese numerals as an attacker reads them, each followed by its digit. */
    private static final String CHINESE_DIGITS = "零0一1二2三3四4五5六6七7八8九9〇0幺1壹1贰2叁3肆4伍5陆6柒7捌8玖9";
    private static final String FULL_WIDTH = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@.-+";

    private static TestRunner classifyJson;
    private static TestRunner protectJson;
    private static TestRunner classifyCsv;
    private static TestRunner protectCsv;

    /** An identifier planted in the input, how it is written there, and what must never come out. */
    record Planted(String written, String canonical) {
        @Override
        public String toString() {
            return written.codePoints().mapToObj(cp -> Character.getType(cp) == Character.FORMAT || Character.isSpaceChar(cp) && cp != ' '
                    ? String.format("<U+%04X>", cp) : Character.toString(cp)).collect(Collectors.joining());
        }
    }

    @BeforeAll
    static void runners() throws InitializationException {
        classifyJson = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(classifyJson);
        protectJson = protect();
        RecordTestSupport.useJson(protectJson);
        classifyCsv = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useCsv(classifyCsv);
        protectCsv = protect();
        RecordTestSupport.useCsv(protectCsv);
    }

    private static TestRunner protect() throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        return runner;
    }

    // ---- identifiers and writings ----------------------------------------------------------------------------------

    /** An identifier of a random kind, written a random way: all of it decided by one generated number. */
    private static Gen<Planted> planted() {
        return longs().all().map(NothingIdentifiableLeavesProperties::planted);
    }

    static Planted planted(final long seed) {
        final Random random = new Random(seed);
        final String[] id = switch (random.nextInt(4)) {
            case 0 -> new String[] {"id", residentId(random)};
            case 1 -> new String[] {"mobile", List.of(130, 135, 138, 139, 150, 158, 166, 177, 186, 189, 199).get(random.nextInt(11))
                    + String.format("%08d", random.nextInt(100_000_000))};
            case 2 -> new String[] {"card", bankCard(random)};
            default -> new String[] {"email", List.of("zhang.san", "lisi", "wang_wu", "chen").get(random.nextInt(4)) + random.nextInt(1000) + "@"
                    + List.of("example.com", "qq.com", "163.com").get(random.nextInt(3))};
        };
        final List<Function<String[], String>> writings = writings();
        final String[] withSeed = {id[0], id[1], String.valueOf(random.nextInt(10_000))};
        return new Planted(writings.get(random.nextInt(writings.size())).apply(withSeed), id[1]);
    }

    private static String residentId(final Random random) {
        final int year = 1940 + random.nextInt(71);
        final int month = 1 + random.nextInt(12);
        final String body = PROVINCES.get(random.nextInt(PROVINCES.size())) + String.format("%04d%04d%02d%02d%03d", random.nextInt(10_000), year, month,
                1 + random.nextInt(YearMonth.of(year, month).lengthOfMonth()), random.nextInt(1000));
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * WEIGHTS[i];
        }
        return body + CHECK[sum % 11];
    }

    private static String bankCard(final Random random) {
        final String body = List.of("622202", "622848", "621700", "436742", "524094").get(random.nextInt(5)) + String.format("%09d", random.nextInt(1_000_000_000));
        return body + luhn(body);
    }

    private static char luhn(final String body) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int d = body.charAt(i) - '0';
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    /** How a value is written; each function takes [kind, canonical, seed]. */
    private static List<Function<String[], String>> writings() {
        final List<Function<String[], String>> writings = new ArrayList<>();
        writings.add(id -> id[1]);
        writings.add(id -> fullWidth(id[1]));
        for (final String separator : new String[] {" ", "-", ".", "\u00a0", "\u2013", "\u3000", " - "}) {
            writings.add(id -> grouped(id, separator));
        }
        writings.add(id -> insert(id[1], "\u200b", Integer.parseInt(id[2])));
        writings.add(id -> insert(id[1], "\u00ad", Integer.parseInt(id[2])));
        writings.add(id -> insert(id[1], "\u2060\ufeff", Integer.parseInt(id[2])));
        writings.add(id -> fullWidth(grouped(id, "-")));
        writings.add(id -> "联系人李四光，电话 " + grouped(id, "\u00a0") + "，谢谢");
        writings.add(id -> "申请人：" + id[1] + "。");
        writings.add(id -> id[0].equals("mobile") ? id[1] + ".0" : id[1]);
        writings.add(id -> id[0].equals("mobile") ? Double.toString(Double.parseDouble(id[1])) : id[1]);
        writings.add(id -> id[0].equals("mobile") ? "+86 " + grouped(id, " ") : id[1]);
        writings.add(id -> id[0].equals("id") ? id[1].toLowerCase(Locale.ROOT) : id[1]);
        for (final String separator : new String[] {"\t", "\n", "\u00b7"}) {
            writings.add(id -> grouped(id, separator));
        }
        writings.add(id -> insert(id[1], "\u034f", Integer.parseInt(id[2])));
        writings.add(id -> insert(id[1], "\u0301", Integer.parseInt(id[2])));
        writings.add(id -> insert(id[1], "\u200e", Integer.parseInt(id[2])));
        writings.add(id -> id[0].equals("email") ? id[1] : chinese(id[1], Integer.parseInt(id[2])));
        writings.add(id -> id[0].equals("email") ? id[1] : "请拨" + chinese(grouped(id, " "), Integer.parseInt(id[2])) + "联系");
        // From URLs and web pages: percent-encoded, HTML character references, &nbsp; between groups; IDs in fours as cards are
        writings.add(id -> percentEncoded(grouped(id, " ")));
        writings.add(id -> grouped(id, "&nbsp;"));
        writings.add(id -> htmlReferences(id[1], Integer.parseInt(id[2])));
        writings.add(id -> id[0].equals("id") ? id[1].replaceAll("(.{4})(?!$)", "$1 ") : id[1].replace("@", "%40"));
        writings.add(id -> id[0].equals("id") ? "IDCARD" + id[1] + "NAMEZHANGSANADDRESSBEIJINGCHAOYANG" : id[1]);
        // An e-mail typed with a Chinese input method: its domain's dots are ideographic full stops
        writings.add(id -> id[0].equals("email") ? id[1].substring(0, id[1].indexOf('@')) + id[1].substring(id[1].indexOf('@')).replace(".", "\u3002") : id[1]);
        return writings;
    }

    /** Every character percent-encoded, as in a URL's query. */
    private static String percentEncoded(final String text) {
        final StringBuilder out = new StringBuilder(text.length() * 3);
        for (final char c : text.toCharArray()) {
            out.append(String.format("%%%02X", (int) c));
        }
        return out.toString();
    }

    /** Every character as an HTML character reference, decimal or hexadecimal as the seed chooses. */
    private static String htmlReferences(final String text, final int seed) {
        final StringBuilder out = new StringBuilder(text.length() * 6);
        for (final char c : text.toCharArray()) {
            out.append(seed % 2 == 0 ? "&#" + (int) c + ";" : String.format("&#x%x;", (int) c));
        }
        return out.toString();
    }

    private static String grouped(final String[] id, final String separator) {
        final int[] groups = switch (id[0]) {
            case "id" -> new int[] {6, 8};
            case "mobile" -> new int[] {3, 4};
            case "card" -> new int[] {4, 4, 4};
            default -> new int[0];
        };
        final StringBuilder out = new StringBuilder();
        int at = 0;
        for (final int size : groups) {
            out.append(id[1], at, at + size).append(separator);
            at += size;
        }
        return out.append(id[1].substring(at)).toString();
    }

    private static String insert(final String value, final String characters, final int seed) {
        final int at = 1 + seed % (value.length() - 1);
        return value.substring(0, at) + characters + value.substring(at);
    }

    /** Digits written as Chinese numerals, everyday, 〇 or financial capitals as the seed chooses. */
    private static String chinese(final String text, final int seed) {
        final String numerals = List.of("零一二三四五六七八九", "〇幺二三四五六七八九", "零壹贰叁肆伍陆柒捌玖").get(seed % 3);
        final StringBuilder out = new StringBuilder(text.length());
        for (final char c : text.toCharArray()) {
            out.append(c >= '0' && c <= '9' ? numerals.charAt(c - '0') : c);
        }
        return out.toString();
    }

    private static String fullWidth(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (final char c : text.toCharArray()) {
            out.append(FULL_WIDTH.indexOf(c) >= 0 ? (char) (c - 0x20 + 0xFF00) : c);
        }
        return out.toString();
    }

    // ---- the property ----------------------------------------------------------------------------------------------

    /** The output as an attacker reads it: escapes decoded, NFKC, digits of every script as ASCII, no separators or invisible characters, lower case. */
    static String normalised(final String output) {
        final String compatible = Normalizer.normalize(unescaped(output), Normalizer.Form.NFKC);
        final StringBuilder out = new StringBuilder(compatible.length());
        compatible.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                out.append((char) ('0' + Character.digit(cp, 10)));
            } else if (cp > 0x3000 && CHINESE_DIGITS.indexOf(cp) >= 0) {
                out.append(CHINESE_DIGITS.charAt(CHINESE_DIGITS.indexOf(cp) + 1));
            } else if (cp == '\u3002') {
                out.append('.');
            } else if (Character.isLetter(cp) || cp == '@' || cp == '.') {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return out.toString();
    }

    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})|&#([0-9]{1,7});|&#[xX]([0-9A-Fa-f]{1,6});|&(nbsp|commat|period);");

    /** Percent-encoded characters and HTML character references decoded, as an attacker would. */
    private static String unescaped(final String output) {
        return ESCAPE.matcher(output).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? Character.toString(Integer.parseInt(m.group(1), 16))
                : m.group(2) != null ? Character.toString(Math.min(Integer.parseInt(m.group(2)), 0x10ffff))
                : m.group(3) != null ? Character.toString(Math.min(Integer.parseInt(m.group(3), 16), 0x10ffff))
                : switch (m.group(4)) { case "commat" -> "@"; case "period" -> "."; default -> " "; }));
    }

    /** The canonical form as it would appear in normalised output. */
    private static String needle(final Planted planted) {
        return normalised(planted.canonical());
    }

    @Test
    void noPlantedIdentifierLeavesInClearFromJson() {
        qt().withFixedSeed(20261010L).withExamples(150).forAll(lists().of(planted()).ofSize(6)).checkAssert(planted -> {
            final Planted name = planted.get(0);
            final Planted remark = planted.get(1);
            final Planted nested = planted.get(2);
            final Planted inArray = planted.get(3);
            final Planted key = planted.get(4);
            final Planted number = planted.get(5);
            final ArrayNode records = MAPPER.createArrayNode();
            final ObjectNode record = records.addObject();
            record.put("id", 1);
            record.put("name", "张三 " + name.written());
            record.put("remark", remark.written());
            record.put("amount", 1234.5);
            record.putObject("contact").put("relation", "母亲").put("info", nested.written());
            record.putArray("contacts").addObject().put("note", inArray.written());
            record.putObject("byPerson").putObject(key.written()).put("score", 90);
            if (number.canonical().matches("1[3-9][0-9]{9}")) {
                record.put("phoneNumber", Long.parseLong(number.canonical()));
                record.put("phoneFloat", Double.parseDouble(number.canonical()));
            } else {
                record.put("other", number.written());
            }
            records.addObject().put("id", 2).put("name", "李四").put("remark", "材料齐全");
            final String output = run(classifyJson, protectJson, records.toString());
            final String seen = normalised(output);
            for (final Planted one : planted) {
                assertFalse(seen.contains(needle(one)), () -> one + " came out in clear: " + output);
            }
        });
    }

    @Test
    void noPlantedIdentifierLeavesInClearFromCsv() {
        qt().withFixedSeed(20261011L).withExamples(100).forAll(lists().of(planted()).ofSize(3)).checkAssert(planted -> {
            final String csv = "id,name,phone,address,remark\n"
                    + "1,王五," + quote(planted.get(0).written()) + "," + quote("北京市朝阳区建国路1号 " + planted.get(1).written()) + ","
                    + quote(planted.get(2).written()) + "\n"
                    + "2,赵六,,海淀区,无\n";
            final String output = run(classifyCsv, protectCsv, csv);
            final String seen = normalised(output);
            for (final Planted one : planted) {
                assertFalse(seen.contains(needle(one)), () -> one + " came out in clear: " + output);
            }
        });
    }

    private static String quote(final String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static String run(final TestRunner classify, final TestRunner protect, final String input) {
        classify.clearTransferState();
        classify.enqueue(input, DATASET);
        classify.run();
        assertEquals(1, classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).size(), () -> "ClassifyRecord failed on " + input);
        final MockFlowFile graded = classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        protect.clearTransferState();
        protect.enqueue(graded.getContent(), graded.getAttributes());
        protect.run();
        assertEquals(1, protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).size(), () -> "ProtectRecord failed on " + input + ": "
                + protect.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE).stream()
                .map(f -> f.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE)).toList());
        final MockFlowFile out = protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
        // Attributes are output too: no identifier may travel in them either
        return out.getContent() + "\n" + String.join("\n", out.getAttributes().values());
    }
}
