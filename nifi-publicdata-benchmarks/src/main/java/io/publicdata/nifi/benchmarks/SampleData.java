package io.publicdata.nifi.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates realistic public-service records: applicants with names, resident IDs and unified social credit
 * codes with valid check characters, mobile numbers, Luhn-valid bank cards, addresses, amounts, dates and free-text
 * remarks that sometimes carry a phone number. Deterministic for a seed.
 *
 * <p>As a program it writes a large JSON array of social-insurance records (the shape of the sandbox's
 * {@code social-insurance} dataset) for the large-input run: {@code SampleData <file> <bytes>}.
 */
public final class SampleData {

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "欧阳", "司马"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"};
    private static final String[][] REGIONS = {
        {"110105", "北京市", "朝阳区"}, {"110108", "北京市", "海淀区"}, {"310115", "上海市", "浦东新区"}, {"440305", "广东省深圳市", "南山区"},
        {"330106", "浙江省杭州市", "西湖区"}, {"510104", "四川省成都市", "锦江区"}, {"420106", "湖北省武汉市", "武昌区"}, {"610113", "陕西省西安市", "雁塔区"}};
    private static final String[] ROADS = {"建国路", "中关村大街", "世纪大道", "深南大道", "文三路", "春熙路", "中山路", "长安街"};
    private static final String[] SEGMENTS = {"130", "135", "138", "139", "150", "158", "166", "177", "186", "189", "199"};
    private static final String[] REMARKS = {"材料齐全，准予受理", "已电话回访", "申请人要求加急办理", "补正材料已提交", "现场核验通过"};
    private static final String[] EMPLOYMENT = {"在职", "灵活就业", "退休", "失业"};
    private static final String[] DISABILITIES = {"视力残疾二级", "肢体残疾三级", "听力残疾四级"};
    private static final String[] SERVICES = {"社会保障卡补办", "居住证签注", "个体工商户登记", "公积金提取", "不动产登记查询"};
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK = "10X98765432";
    private static final String CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CODE_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private final SplittableRandom random;
    private long nextId = 100_000;

    public SampleData(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code records} records as JSON arrays of {@code batch} records each: one byte array per FlowFile. */
    public List<byte[]> jsonFlowFiles(final int records, final int batch) {
        final List<byte[]> flowFiles = new ArrayList<>();
        final JsonFactory factory = new JsonFactory();
        for (int done = 0; done < records; done += batch) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(batch * 600);
            try (JsonGenerator json = factory.createGenerator(out)) {
                json.writeStartArray();
                for (int i = 0; i < Math.min(batch, records - done); i++) {
                    writeRecord(json);
                }
                json.writeEndArray();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            flowFiles.add(out.toByteArray());
        }
        return flowFiles;
    }

    /** The same kind of records as CSV with a header line, {@code batch} records per FlowFile. */
    public List<byte[]> csvFlowFiles(final int records, final int batch) {
        final List<byte[]> flowFiles = new ArrayList<>();
        final ObjectMapper mapper = new ObjectMapper();
        final CsvMapper csv = new CsvMapper();
        for (final byte[] json : jsonFlowFiles(records, batch)) {
            try {
                final List<Map<String, Object>> rows = mapper.readValue(json, new TypeReference<>() { });
                final CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
                rows.getFirst().keySet().forEach(schema::addColumn);
                flowFiles.add(csv.writer(schema.build()).writeValueAsBytes(rows));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return flowFiles;
    }

    /** Writes a JSON array of social-insurance records until at least {@code bytes} are written; returns the record count. */
    public long writeSocialInsurance(final OutputStream out, final long bytes) throws IOException {
        final CountingStream counted = new CountingStream(out);
        long records = 0;
        try (JsonGenerator json = new JsonFactory().createGenerator(counted)) {
            json.writeStartArray();
            while (counted.count < bytes) {
                writeSocialInsuranceRecord(json);
                records++;
                if (records % 1024 == 0) {
                    json.flush();
                }
            }
            json.writeEndArray();
        }
        return records;
    }

    public static void main(final String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SampleData <file> <bytes>");
            System.exit(2);
        }
        final long bytes = Long.parseLong(args[1]);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[0])), 1 << 20)) {
            final long records = new SampleData(20241009L).writeSocialInsurance(out, bytes);
            System.out.println(records);
        }
    }

    private void writeSocialInsuranceRecord(final JsonGenerator json) throws IOException {
        final String[] region = REGIONS[random.nextInt(REGIONS.length)];
        json.writeStartObject();
        json.writeStringField("name", SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]
                + (random.nextBoolean() ? GIVEN[random.nextInt(GIVEN.length)] : ""));
        json.writeStringField("idCard", residentId(region[0]));
        json.writeStringField("mobile", mobile());
        json.writeStringField("bankCard", bankCard());
        json.writeStringField("address", region[1] + region[2] + ROADS[random.nextInt(ROADS.length)] + (1 + random.nextInt(300)) + "号");
        json.writeStringField("district", region[2]);
        json.writeStringField("employmentStatus", EMPLOYMENT[random.nextInt(EMPLOYMENT.length)]);
        json.writeNumberField("monthlyContributionBase", 3_000 + 100 * random.nextInt(200));
        json.writeStringField("disability", random.nextInt(20) == 0 ? DISABILITIES[random.nextInt(DISABILITIES.length)] : "");
        json.writeStringField("remarks", random.nextInt(4) == 0 ? "本人要求短信通知至" + mobile() : "");
        json.writeEndObject();
    }

    /** Counts the bytes written through it. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingStream(final OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(final int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private void writeRecord(final JsonGenerator json) throws IOException {
        final String[] region = REGIONS[random.nextInt(REGIONS.length)];
        final String phone = mobile();
        json.writeStartObject();
        json.writeNumberField("id", nextId++);
        json.writeStringField("name", SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]
                + (random.nextBoolean() ? GIVEN[random.nextInt(GIVEN.length)] : ""));
        json.writeStringField("gender", random.nextBoolean() ? "男" : "女");
        json.writeStringField("idCard", residentId(region[0]));
        json.writeStringField("phone", phone);
        json.writeStringField("address", region[1] + region[2] + ROADS[random.nextInt(ROADS.length)] + (1 + random.nextInt(300)) + "号");
        json.writeStringField("service", SERVICES[random.nextInt(SERVICES.length)]);
        json.writeStringField("district", region[2]);
        json.writeStringField("employerCode", creditCode(region[0]));
        json.writeStringField("bankCard", bankCard());
        json.writeNumberField("amount", BigDecimal.valueOf(random.nextLong(1_000, 5_000_000), 2).setScale(2, RoundingMode.UNNECESSARY));
        json.writeStringField("applyDate", LocalDate.of(2025, 1, 1).plusDays(random.nextInt(600)).toString());
        json.writeStringField("remark", random.nextInt(4) == 0
                ? "联系电话" + mobile() + "，" + REMARKS[random.nextInt(REMARKS.length)]
                : REMARKS[random.nextInt(REMARKS.length)]);
        json.writeEndObject();
    }

    private String mobile() {
        return SEGMENTS[random.nextInt(SEGMENTS.length)] + String.format("%08d", random.nextInt(100_000_000));
    }

    /** An 18-character resident ID with a real birth date and its GB 11643 check character. */
    public String residentId(final String region) {
        final LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(365 * 55));
        final String body = region + String.format("%04d%02d%02d%03d", birth.getYear(), birth.getMonthValue(), birth.getDayOfMonth(),
                random.nextInt(1000));
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return body + ID_CHECK.charAt(sum % 11);
    }

    /** A unified social credit code of an enterprise (91...) with its GB 32100 check character. */
    public String creditCode(final String region) {
        final StringBuilder code = new StringBuilder("91").append(region);
        for (int i = 0; i < 9; i++) {
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += CODE_ALPHABET.indexOf(code.charAt(i)) * CODE_WEIGHTS[i];
        }
        return code.append(CODE_ALPHABET.charAt((31 - sum % 31) % 31)).toString();
    }

    /** A 19-digit UnionPay card number with its Luhn check digit. */
    public String bankCard() {
        final StringBuilder card = new StringBuilder("622202");
        while (card.length() < 18) {
            card.append(random.nextInt(10));
        }
        int sum = 0;
        for (int i = card.length() - 1, position = 0; i >= 0; i--, position++) {
            int d = card.charAt(i) - '0';
            if (position % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return card.append((10 - sum % 10) % 10).toString();
    }
}
