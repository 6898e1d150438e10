package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.classify.Classifier;
import io.publicdata.nifi.classify.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Detection quality of the built-in detectors on a generated corpus: identifiers of every supported kind written in
 * every way people, spreadsheets and editors write them (plain, full-width, grouped with spaces, dashes, dots, NBSP or
 * en-dashes, zero-width characters and soft hyphens inside, floating point, inside free text, inside names and
 * addresses), and realistic values that are no identifiers (dates, amounts, order numbers, hex digests, pseudonyms,
 * ciphertexts, version strings, landlines, postcodes, timestamps, near-misses with a wrong check digit). Prints recall
 * per label and per writing, and the false-positive rate per label; exits non-zero when a label misses the targets
 * (recall at least 99.9 %, false positives at most 0.1 %). Not part of the test run: {@code ./benchmark.sh quality}.
 *
 * <p>Arguments: the number of identifiers per label and writing (default 1,000), the number of non-identifiers
 * (default 60,000) and the seed of the generator; the corpus is the same for the same seed.</p>
 */
public final class DetectionQuality {

    private static final long DEFAULT_SEED = 20241010L;
    private static final double RECALL_TARGET = 0.999;
    private static final double FALSE_POSITIVE_TARGET = 0.001;
    private static final String[] LABELS = {Labels.PERSONAL_ID, Labels.MOBILE, Labels.BANK_CARD, Labels.CREDIT_CODE, Labels.EMAIL,
        Labels.PASSPORT, Labels.VEHICLE_PLATE, Labels.IP_ADDRESS};
    private static final String FULL_WIDTH_OFFSET_SOURCE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@.-+";
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳", "司马"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"};
    private static final String[] STREETS = {"北京市朝阳区建国路", "上海市浦东新区世纪大道", "广东省深圳市南山区科技园路", "浙江省杭州市西湖区文三路",
        "四川省成都市武侯区人民南路", "湖北省武汉市洪山区珞喻路"};
    private static final String[] SENTENCES = {"请联系%s办理", "申请人：%s，已核验", "备注：%s（本人）", "If urgent call %s.", "联系方式 %s；工作日 9:00-17:00",
        "%s", "经办人电话%s", "材料已收到，回执发送至%s。"};

    private final Random random;

    /** How an identifier is written. */
    private record Writing(String name, Function<String, String> write) {
    }

    private DetectionQuality(final long seed) {
        this.random = new Random(seed);
    }

    public static void main(final String[] args) {
        final int perWriting = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        final int negatives = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        final long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        System.out.printf("Seed %d%n", seed);
        final boolean passed = new DetectionQuality(seed).run(perWriting, negatives);
        if (!passed) {
            System.exit(1);
        }
    }

    private boolean run(final int perWriting, final int negatives) {
        final Classifier classifier = Classifier.defaults();
        final Map<String, long[]> recallByLabel = new LinkedHashMap<>();
        final Map<String, long[]> recallByWriting = new TreeMap<>();
        final Map<String, List<String>> missed = new TreeMap<>();
        long values = 0;
        final long started = System.nanoTime();
        for (final String label : LABELS) {
            final long[] counts = recallByLabel.computeIfAbsent(label, l -> new long[2]);
            for (final Writing writing : writings(label)) {
                final long[] byWriting = recallByWriting.computeIfAbsent(label + " / " + writing.name, w -> new long[2]);
                for (int i = 0; i < perWriting; i++) {
                    final String value = writing.write.apply(identifier(label));
                    final boolean found = classifier.classify(value).labels().contains(label);
                    counts[0]++;
                    byWriting[0]++;
                    if (found) {
                        counts[1]++;
                        byWriting[1]++;
                    } else {
                        final List<String> examples = missed.computeIfAbsent(label, l -> new ArrayList<>());
                        if (examples.size() < 5) {
                            examples.add(value);
                        }
                    }
                    values++;
                }
            }
        }
        final Map<String, Long> falsePositives = new LinkedHashMap<>();
        final Map<String, List<String>> falseExamples = new TreeMap<>();
        final Map<String, long[]> byKind = new TreeMap<>();
        final List<NonIdentifier> kinds = nonIdentifiers();
        for (final String label : LABELS) {
            falsePositives.put(label, 0L);
        }
        long counted = 0;
        for (int i = 0; i < negatives; i++) {
            final NonIdentifier kind = kinds.get(i % kinds.size());
            final String value = kind.make.apply(random);
            final Set<String> labels = classifier.classify(value).labels();
            final long[] kindCounts = byKind.computeIfAbsent(kind.name + (kind.nearMiss ? " (near miss, not counted)" : ""), k -> new long[2]);
            kindCounts[0]++;
            values++;
            if (kind.nearMiss) {
                if (!labels.isEmpty()) {
                    kindCounts[1]++;
                }
                continue;
            }
            counted++;
            for (final String label : labels) {
                if (falsePositives.containsKey(label)) {
                    falsePositives.merge(label, 1L, Long::sum);
                    kindCounts[1]++;
                    final List<String> examples = falseExamples.computeIfAbsent(label, l -> new ArrayList<>());
                    if (examples.size() < 5) {
                        examples.add(kind.name + ": " + value);
                    }
                }
            }
        }
        final double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("Detection quality: %,d values (%,d identifiers in %d writings, %,d non-identifiers of %d kinds), %.1f s%n%n",
                values, values - negatives, recallByWriting.size(), negatives, kinds.size(), seconds);
        System.out.printf("False positives are counted over the %,d realistic non-identifiers; near misses (an ID or card with one wrong%n"
                + "digit: personal data all the same, so flagging them protects it) are shown per kind but not counted.%n%n", counted);
        System.out.printf("%-15s %10s %10s %9s %12s %9s  %s%n", "label", "planted", "found", "recall", "false pos.", "FP rate", "targets");
        boolean passed = true;
        for (final String label : LABELS) {
            final long[] counts = recallByLabel.get(label);
            final double recall = counts[1] / (double) counts[0];
            final long fp = falsePositives.get(label);
            final double fpRate = fp / (double) counted;
            final boolean ok = recall >= RECALL_TARGET && fpRate <= FALSE_POSITIVE_TARGET;
            passed &= ok;
            System.out.printf(Locale.ROOT, "%-15s %,10d %,10d %8.3f%% %,12d %8.3f%%  %s%n", label, counts[0], counts[1], 100 * recall, fp, 100 * fpRate,
                    ok ? "met" : "MISSED");
        }
        System.out.printf("%nRecall by writing%n");
        recallByWriting.forEach((writing, counts) -> System.out.printf(Locale.ROOT, "  %-40s %8.3f%%%n", writing, 100.0 * counts[1] / counts[0]));
        System.out.printf("%nNon-identifiers by kind (values taken for an identifier)%n");
        byKind.forEach((kind, counts) -> System.out.printf(Locale.ROOT, "  %-40s %,8d of %,d%n", kind, counts[1], counts[0]));
        if (!missed.isEmpty()) {
            System.out.printf("%nMissed identifiers (first few per label)%n");
            missed.forEach((label, examples) -> examples.forEach(example -> System.out.printf("  %-15s %s%n", label, visible(example))));
        }
        if (!falseExamples.isEmpty()) {
            System.out.printf("%nFalse positives (first few per label)%n");
            falseExamples.forEach((label, examples) -> examples.forEach(example -> System.out.printf("  %-15s %s%n", label, visible(example))));
        }
        System.out.printf("%n%s%n", passed ? "Every label meets the targets (recall >= 99.9 %, false positives <= 0.1 %)." : "Some labels miss the targets.");
        return passed;
    }

    /** Invisible characters shown as their code points. */
    private static String visible(final String text) {
        final StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp) || Character.isSpaceChar(cp) && cp != ' ') {
                out.append(String.format("<U+%04X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    // ---- identifiers --------------------------------------------------------------------------------------------

    private String identifier(final String label) {
        return switch (label) {
            case Labels.PERSONAL_ID -> residentId();
            case Labels.MOBILE -> mobile();
            case Labels.BANK_CARD -> bankCard();
            case Labels.CREDIT_CODE -> creditCode();
            case Labels.EMAIL -> email();
            case Labels.PASSPORT -> passport();
            case Labels.VEHICLE_PLATE -> plate();
            case Labels.IP_ADDRESS -> ip();
            default -> throw new IllegalArgumentException(label);
        };
    }

    private static final int[] PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] ID_CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private String residentId() {
        final StringBuilder id = new StringBuilder(18);
        id.append(PROVINCES[random.nextInt(PROVINCES.length)]).append(String.format("%04d", 100 + random.nextInt(9800)));
        final int year = 1940 + random.nextInt(70);
        final int month = 1 + random.nextInt(12);
        final int day = 1 + random.nextInt(java.time.YearMonth.of(year, month).lengthOfMonth());
        id.append(String.format("%04d%02d%02d%03d", year, month, day, random.nextInt(1000)));
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return id.append(ID_CHECK[sum % 11]).toString();
    }

    private static final int[] SEGMENTS = {130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 150, 151, 152, 153, 155, 156, 157,
        158, 159, 162, 165, 166, 167, 170, 171, 172, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
        192, 193, 195, 196, 197, 198, 199};

    private String mobile() {
        return SEGMENTS[random.nextInt(SEGMENTS.length)] + String.format("%08d", random.nextInt(100_000_000));
    }

    private static final String[] CARD_PREFIXES = {"622202", "622848", "621700", "622700", "623668", "625965", "436742", "427020", "524094",
        "558894", "622609", "621226", "603367", "955880"};

    private String bankCard() {
        final String prefix = CARD_PREFIXES[random.nextInt(CARD_PREFIXES.length)];
        final int length = prefix.startsWith("4") || prefix.startsWith("5") ? 16 : 16 + random.nextInt(4);
        final StringBuilder card = new StringBuilder(prefix);
        while (card.length() < length - 1) {
            card.append(random.nextInt(10));
        }
        return card.append(luhnDigit(card)).toString();
    }

    private static char luhnDigit(final CharSequence body) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int d = body.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static final String CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CODE_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private String creditCode() {
        final StringBuilder code = new StringBuilder(18);
        // Registration authority and an organisation type it registers: 9 (market regulation) 1-3, 5 (civil affairs) 1-3, 1 (institutions) 1-3, Y 1
        final String[] kinds = {"91", "92", "93", "51", "52", "53", "11", "12", "13", "Y1"};
        code.append(kinds[random.nextInt(kinds.length)]);
        code.append(PROVINCES[random.nextInt(PROVINCES.length)]).append(String.format("%04d", random.nextInt(10000)));
        for (int i = 0; i < 9; i++) {
            code.append(CODE_ALPHABET.charAt(random.nextInt(i < 8 ? 10 : CODE_ALPHABET.length())));
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += CODE_ALPHABET.indexOf(code.charAt(i)) * CODE_WEIGHTS[i];
        }
        return code.append(CODE_ALPHABET.charAt((31 - sum % 31) % 31)).toString();
    }

    private static final String[] DOMAINS = {"example.com", "qq.com", "163.com", "gov.cn", "mail.example.org", "126.com"};

    private String email() {
        final String[] locals = {"zhang.san", "lisi", "wang_wu88", "li-ming", "user" + random.nextInt(10_000), "chen.x+tag"};
        return locals[random.nextInt(locals.length)] + random.nextInt(100) + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
    }

    private String passport() {
        return switch (random.nextInt(4)) {
            case 0 -> "E" + String.format("%08d", 1 + random.nextInt(99_999_999));
            case 1 -> "E" + "ABCDEFGHJKLMNPQRSTUVWXYZ".charAt(random.nextInt(24)) + String.format("%07d", 1 + random.nextInt(9_999_999));
            case 2 -> "G" + String.format("%08d", 1 + random.nextInt(99_999_999));
            default -> new String[] {"DE", "SE", "PE"}[random.nextInt(3)] + String.format("%07d", 1 + random.nextInt(9_999_999));
        };
    }

    private String plate() {
        final String provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
        final String letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        final String plate = "" + provinces.charAt(random.nextInt(provinces.length())) + letters.charAt(random.nextInt(letters.length()));
        return random.nextBoolean() ? plate + String.format("%05d", random.nextInt(100_000))
                : plate + "DF".charAt(random.nextInt(2)) + String.format("%05d", random.nextInt(100_000));
    }

    private String ip() {
        if (random.nextInt(4) == 0) {
            return String.format("2001:db8:%x:%x::%x", random.nextInt(65536), random.nextInt(65536), 1 + random.nextInt(65535));
        }
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    // ---- writings -----------------------------------------------------------------------------------------------

    private List<Writing> writings(final String label) {
        final List<Writing> writings = new ArrayList<>();
        writings.add(new Writing("plain", value -> value));
        writings.add(new Writing("full-width", DetectionQuality::fullWidth));
        writings.add(new Writing("in free text", this::inSentence));
        writings.add(new Writing("in a name", value -> name() + " " + value));
        writings.add(new Writing("in an address", value -> STREETS[random.nextInt(STREETS.length)] + (1 + random.nextInt(300)) + "号 电话" + value));
        final int[] groups = switch (label) {
            case Labels.PERSONAL_ID -> new int[] {6, 8};
            case Labels.MOBILE -> new int[] {3, 4};
            case Labels.BANK_CARD -> new int[] {4, 4, 4, 4};
            default -> null;
        };
        if (groups != null) {
            for (final String separator : new String[] {" ", "-", ".", "\u00a0", "\u2013", "\u3000", " - ", "\t", "\n", "\u00b7"}) {
                writings.add(new Writing("grouped '" + visible(separator) + "'", value -> group(value, groups, separator)));
            }
            writings.add(new Writing("zero-width inside", value -> insert(value, new String[] {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"})));
            writings.add(new Writing("soft hyphen inside", value -> insert(value, new String[] {"\u00ad"})));
            writings.add(new Writing("full-width grouped", value -> fullWidth(group(value, groups, "-"))));
            writings.add(new Writing("combining mark inside", value -> insert(value, new String[] {"\u034f", "\u0301", "\ufe0f", "\u200e"})));
            writings.add(new Writing("Chinese numerals", value -> chinese(value, "零一二三四五六七八九")));
            writings.add(new Writing("Chinese numerals 〇 幺", value -> chinese(value, "〇幺二三四五六七八九")));
            writings.add(new Writing("Chinese capital numerals", value -> chinese(value, "零壹贰叁肆伍陆柒捌玖")));
            writings.add(new Writing("Chinese numerals grouped in text", value -> "请拨" + chinese(group(value, groups, " "), "零幺二三四五六七八九") + "联系"));
            writings.add(new Writing("percent-encoded, grouped", value -> percentEncoded(group(value, groups, " "))));
            writings.add(new Writing("grouped '&nbsp;'", value -> group(value, groups, "&nbsp;")));
            writings.add(new Writing("HTML character references", value -> htmlReferences(value)));
        }
        switch (label) {
            case Labels.MOBILE -> {
                writings.add(new Writing("float 13800138000.0", value -> value + ".0"));
                writings.add(new Writing("float 1.3800138E10", value -> Double.toString(Double.parseDouble(value))));
                writings.add(new Writing("+86 prefix", value -> "+86 " + group(value, new int[] {3, 4}, " ")));
                writings.add(new Writing("0086 prefix", value -> "0086" + value));
            }
            case Labels.BANK_CARD -> writings.add(new Writing("grouped 6 + rest", value -> value.substring(0, 6) + " " + value.substring(6)));
            case Labels.PERSONAL_ID -> {
                writings.add(new Writing("grouped 6-4-4-4", value -> group(value, new int[] {6, 4, 4}, " ")));
                writings.add(new Writing("lower-case x", value -> value.toLowerCase(Locale.ROOT)));
                writings.add(new Writing("grouped in fours", value -> group(value, new int[] {4, 4, 4, 4}, " ")));
                writings.add(new Writing("glued into a long token", value -> "IDCARD" + value + "NAMEZHANGSANADDRESSBEIJING"));
                writings.add(new Writing("through a spreadsheet's number (15 digits kept)", value -> value.endsWith("X") ? value
                        : new java.math.BigDecimal(value).round(new java.math.MathContext(15)).toBigInteger().toString()));
                writings.add(new Writing("through JavaScript's number (17 digits kept)", value -> value.endsWith("X") ? value
                        : new java.math.BigDecimal(Double.toString(Double.parseDouble(value))).toBigInteger().toString()));
            }
            case Labels.CREDIT_CODE -> writings.add(new Writing("lower case", value -> value.toLowerCase(Locale.ROOT)));
            case Labels.EMAIL -> {
                writings.add(new Writing("@ percent-encoded", value -> value.replace("@", "%40")));
                writings.add(new Writing("@ as &#64;", value -> value.replace("@", "&#64;")));
                writings.add(new Writing("domain dots as 。", value -> value.substring(0, value.indexOf('@')) + value.substring(value.indexOf('@')).replace(".", "\u3002")));
            }
            case Labels.PASSPORT -> writings.add(new Writing("lower-case prefix", value -> value.toLowerCase(Locale.ROOT)));
            case Labels.VEHICLE_PLATE -> writings.add(new Writing("lower case", value -> value.toLowerCase(Locale.ROOT)));
            case Labels.IP_ADDRESS -> writings.add(new Writing("octets padded", value -> value.contains(":") ? value
                    : java.util.Arrays.stream(value.split("\\.")).map(o -> String.format("%03d", Integer.parseInt(o))).collect(java.util.stream.Collectors.joining("."))));
            default -> { }
        }
        return writings;
    }

    private String inSentence(final String value) {
        return String.format(SENTENCES[random.nextInt(SENTENCES.length)], value);
    }

    private String name() {
        return SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
    }

    /** The digits of a text written with these ten numerals (0 to 9). */
    private static String chinese(final String text, final String numerals) {
        final StringBuilder out = new StringBuilder(text.length());
        for (final char c : text.toCharArray()) {
            out.append(c >= '0' && c <= '9' ? numerals.charAt(c - '0') : c);
        }
        return out.toString();
    }

    private static String fullWidth(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (final char c : text.toCharArray()) {
            out.append(FULL_WIDTH_OFFSET_SOURCE.indexOf(c) >= 0 ? (char) (c - 0x20 + 0xFF00) : c == ' ' ? '\u3000' : c);
        }
        return out.toString();
    }

    private static String group(final String value, final int[] sizes, final String separator) {
        final StringBuilder out = new StringBuilder();
        int at = 0;
        for (final int size : sizes) {
            if (at + size >= value.length()) {
                break;
            }
            out.append(value, at, at + size).append(separator);
            at += size;
        }
        return out.append(value.substring(at)).toString();
    }

    private String insert(final String value, final String[] characters) {
        final int at = 1 + random.nextInt(value.length() - 1);
        return value.substring(0, at) + characters[random.nextInt(characters.length)] + value.substring(at);
    }

    // ---- non-identifiers ----------------------------------------------------------------------------------------

    /** A kind of value that is no identifier, and how to make one. */
    private record NonIdentifier(String name, Function<Random, String> make, boolean nearMiss) {
        NonIdentifier(final String name, final Function<Random, String> make) {
            this(name, make, false);
        }
    }

    private List<NonIdentifier> nonIdentifiers() {
        final List<NonIdentifier> kinds = new ArrayList<>();
        kinds.add(new NonIdentifier("date yyyy-MM-dd", r -> String.format("%04d-%02d-%02d", 1950 + r.nextInt(80), 1 + r.nextInt(12), 1 + r.nextInt(28))));
        kinds.add(new NonIdentifier("date yyyyMMdd", r -> String.format("%04d%02d%02d", 1950 + r.nextInt(80), 1 + r.nextInt(12), 1 + r.nextInt(28))));
        kinds.add(new NonIdentifier("date and time", r -> String.format("%04d年%d月%d日 %02d:%02d:%02d", 2000 + r.nextInt(30), 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60))));
        kinds.add(new NonIdentifier("ISO timestamp", r -> String.format("20%02d-%02d-%02dT%02d:%02d:%02d.%03d+08:00", r.nextInt(30), 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000))));
        kinds.add(new NonIdentifier("epoch milliseconds", r -> String.valueOf(1_500_000_000_000L + (long) (r.nextDouble() * 300_000_000_000L))));
        kinds.add(new NonIdentifier("amount", r -> String.format("%.2f", r.nextDouble() * 1_000_000)));
        kinds.add(new NonIdentifier("amount with separators", r -> String.format("¥%,.2f", r.nextDouble() * 100_000_000)));
        kinds.add(new NonIdentifier("large amount", r -> String.format("%,d", (long) (r.nextDouble() * 90_000_000_000L))));
        kinds.add(new NonIdentifier("order number", r -> String.format("ORD%04d%02d%02d%09d", 2015 + r.nextInt(12), 1 + r.nextInt(12), 1 + r.nextInt(28),
                r.nextInt(1_000_000_000))));
        kinds.add(new NonIdentifier("order number, digits", r -> String.format("%04d%02d%02d%010d", 2015 + r.nextInt(12), 1 + r.nextInt(12),
                1 + r.nextInt(28), (long) (r.nextDouble() * 10_000_000_000L))));
        kinds.add(new NonIdentifier("order number, dashed", r -> String.format("SO-%04d-%04d-%06d", 2015 + r.nextInt(12), r.nextInt(10000), r.nextInt(1_000_000))));
        kinds.add(new NonIdentifier("hex digest MD5", r -> hex(r, 32)));
        kinds.add(new NonIdentifier("hex digest SHA-1", r -> hex(r, 40)));
        kinds.add(new NonIdentifier("hex digest SHA-256", r -> hex(r, 64)));
        kinds.add(new NonIdentifier("pseudonym", r -> hex(r, 64)));
        kinds.add(new NonIdentifier("ciphertext pd2", r -> "pd2:" + (r.nextBoolean() ? "A256GCM" : "SM4GCM") + ":k" + r.nextInt(9) + ":" + base64url(r, 40 + r.nextInt(40))));
        kinds.add(new NonIdentifier("ciphertext pd1", r -> "pd1:A256GCM:operator-1:" + base64url(r, 40 + r.nextInt(40))));
        kinds.add(new NonIdentifier("UUID", r -> java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt(),
                (byte) r.nextInt()}).toString()));
        kinds.add(new NonIdentifier("version string", r -> (r.nextBoolean() ? "v" : "") + r.nextInt(20) + "." + r.nextInt(40) + "." + r.nextInt(300)));
        kinds.add(new NonIdentifier("build number", r -> r.nextInt(20) + "." + r.nextInt(10) + "." + (10_000 + r.nextInt(90_000)) + "." + r.nextInt(3000)));
        kinds.add(new NonIdentifier("landline", r -> String.format("0%02d-%04d %04d", 10 + r.nextInt(89), r.nextInt(10000), r.nextInt(10000))));
        kinds.add(new NonIdentifier("landline, no separator", r -> String.format("0%d%08d", 10 + r.nextInt(89), r.nextInt(100_000_000))));
        kinds.add(new NonIdentifier("postcode", r -> String.format("%06d", 100000 + r.nextInt(800000))));
        kinds.add(new NonIdentifier("percentage", r -> String.format("%.1f%%", r.nextDouble() * 100)));
        kinds.add(new NonIdentifier("coordinates", r -> String.format("%.6f,%.6f", 73 + r.nextDouble() * 62, 18 + r.nextDouble() * 35)));
        kinds.add(new NonIdentifier("decimal number", r -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(8)))));
        kinds.add(new NonIdentifier("free text", r -> FREE_TEXT[r.nextInt(FREE_TEXT.length)] + r.nextInt(1000)));
        kinds.add(new NonIdentifier("name", r -> name()));
        kinds.add(new NonIdentifier("address", r -> STREETS[r.nextInt(STREETS.length)] + (1 + r.nextInt(300)) + "号" + (1 + r.nextInt(30)) + "栋"));
        kinds.add(new NonIdentifier("ID with a wrong check digit", r -> {
            final String id = residentId();
            return id.substring(0, 17) + (char) ('0' + (id.charAt(17) == 'X' ? 0 : (id.charAt(17) - '0' + 1) % 10));
        }, true));
        kinds.add(new NonIdentifier("card with a wrong check digit", r -> {
            final String card = bankCard();
            return card.substring(0, card.length() - 1) + (char) ('0' + (card.charAt(card.length() - 1) - '0' + 1) % 10);
        }, true));
        kinds.add(new NonIdentifier("11 digits, no mobile segment", r -> String.format("1%d%09d", new int[] {0, 1, 2}[r.nextInt(3)], r.nextInt(1_000_000_000))));
        kinds.add(new NonIdentifier("product code", r -> String.format("SKU-%s-%05d", hex(r, 6).toUpperCase(Locale.ROOT), r.nextInt(100000))));
        kinds.add(new NonIdentifier("invoice number", r -> String.format("No.%08d", r.nextInt(100_000_000))));
        kinds.add(new NonIdentifier("date in Chinese numerals", r -> chinese(String.format("%04d年%d月%d日", 1950 + r.nextInt(80), 1 + r.nextInt(12),
                1 + r.nextInt(28)), "〇一二三四五六七八九")));
        kinds.add(new NonIdentifier("amount in capital numerals", r -> chinese(String.valueOf(1 + r.nextInt(9)), "零壹贰叁肆伍陆柒捌玖") + "万"
                + chinese(String.valueOf(r.nextInt(10)), "零壹贰叁肆伍陆柒捌玖") + "仟" + chinese(String.format("%03d", r.nextInt(1000)), "零壹贰叁肆伍陆柒捌玖") + "元整"));
        kinds.add(new NonIdentifier("URL with a query", r -> String.format("https://example.com/list?page=%d&size=%d&q=%%E5%%BC%%A0%%20%d&ts=%d&r=%d%%25",
                r.nextInt(100), 10 + r.nextInt(90), r.nextInt(100_000), 1_500_000_000_000L + (long) (r.nextDouble() * 300_000_000_000L), r.nextInt(100))));
        kinds.add(new NonIdentifier("HTML text", r -> String.format("单价&nbsp;%d&nbsp;元，共&#160;%d&#160;件，编号&nbsp;%06d&nbsp;%04d", r.nextInt(10000),
                r.nextInt(1000), r.nextInt(1_000_000), r.nextInt(10000))));
        kinds.add(new NonIdentifier("percentages in text", r -> String.format("同比%.1f%%%d，环比%d%%%02d", r.nextDouble() * 100, r.nextInt(100_000),
                r.nextInt(100), r.nextInt(100))));
        kinds.add(new NonIdentifier("mixed text and numbers", r -> String.format("第%d批次，共%d件，金额%.2f元，编号%06d", 1 + r.nextInt(99), r.nextInt(10000),
                r.nextDouble() * 100000, r.nextInt(1_000_000))));
        return kinds;
    }

    private static final String[] FREE_TEXT = {"材料齐全，同意受理", "已电话回访", "申请人因病致贫，建议纳入低保", "Approved by the district office",
        "无", "待补充收入证明", "社区已走访核实", "年度复核通过，编号"};

    private static String percentEncoded(final String text) {
        final StringBuilder out = new StringBuilder(text.length() * 3);
        for (final char c : text.toCharArray()) {
            out.append(String.format("%%%02X", (int) c));
        }
        return out.toString();
    }

    private static String htmlReferences(final String text) {
        final StringBuilder out = new StringBuilder(text.length() * 6);
        for (final char c : text.toCharArray()) {
            out.append("&#").append((int) c).append(';');
        }
        return out.toString();
    }

    private static String hex(final Random r, final int length) {
        final StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return out.toString();
    }

    private static String base64url(final Random r, final int length) {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        final StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
