package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.lineage.LineageEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The disclosure report from a known chain: every figure checked, and no report from a chain or grant that does not verify. */
class ReportCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path CATALOG = Path.of("..", "docs", "examples", "catalog.json");
    private static final String G1 = "JN-DATA-2025-017";
    private static final String G2 = "JN-DATA-2025-021";

    @TempDir
    Path dir;

    private Path grants;
    private KeyPair issuer;
    private Path issuerKey;
    private Path lineage;
    private Path out;
    private LineageChain.Head head = LineageChain.Head.start("node-1");
    private final List<Path> eventFiles = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        grants = Files.createDirectories(dir.resolve("grants"));
        lineage = Files.createDirectories(dir.resolve("lineage"));
        out = dir.resolve("report");
        issuer = SignatureAlgorithm.ED25519.generateKeyPair();
        issuerKey = dir.resolve("issuer.pub.pem");
        Files.writeString(issuerKey, PemKeys.writePublicKey(issuer.getPublic()));
        Files.write(grants.resolve("g1.json"), GrantDocument.sign(MAPPER.readTree("""
                {"id": "JN-DATA-2025-017", "issuer": "济南市大数据局", "grantee": "91370100MA3QLPH82D", "mode": "SCENARIO",
                 "scenarios": ["普惠金融信用评估"], "domains": ["金融"], "purposes": ["数据产品开发"],
                 "datasets": ["enterprise-registry", "social-insurance", "household-registry", "business-permits"],
                 "permittedFields": ["/enterpriseName", "/creditCode", "/name", "/idCard"], "maximumGrade": "L3",
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2026-01-01T00:00:00+08:00",
                 "status": "ACTIVE", "pricing": "COMMERCIAL"}"""), issuer.getPrivate(), issuer.getPublic()));
        Files.write(grants.resolve("g2.json"), GrantDocument.sign(MAPPER.readTree("""
                {"id": "JN-DATA-2025-021", "issuer": "济南市大数据局", "grantee": "12370100MB1234567X", "mode": "DOMAIN",
                 "domains": ["社会保障"], "purposes": ["*"], "datasets": ["social-insurance"],
                 "permittedFields": ["/**"], "maximumGrade": "L3",
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2025-07-01T00:00:00+08:00",
                 "status": "ACTIVE", "pricing": "PUBLIC_WELFARE"}"""), issuer.getPrivate(), issuer.getPublic()));

        // The chain: 3 releases and 4 denials over June and July 2025 (Beijing time)
        release("2025-06-10T02:00:00Z", G1, "enterprise-registry", 4, "L1=1,L2=1,L3=2",
                Map.of("/legalRepresentativeId", "PSEUDONYMIZE", "/contactPhone", "ENCRYPT"));
        denial("2025-06-10T03:00:00Z", G1, "household-registry", Map.of("DATASET_NOT_OPEN", 2L), 2);
        denial("2025-06-11T03:00:00Z", G1, "business-permits", Map.of("DATASET_NOT_REGISTERED", 3L), 3);
        // 17:00 UTC on 30 June is 01:00 on 1 July in Beijing
        release("2025-06-30T17:00:00Z", G1, "social-insurance", 4, "L2=1,L3=3", Map.of("/name", "MASK", "/idCard", "PSEUDONYMIZE"));
        denial("2025-07-02T03:00:00Z", G1, "social-insurance", Map.of("GRADE_EXCEEDS_GRANT", 2L), 2);
        release("2025-07-03T03:00:00Z", G2, "social-insurance", 5, "L3=5", Map.of("/name", "MASK"));
        final Map<String, Long> uncounted = new LinkedHashMap<>();
        uncounted.put("GRANT_EXPIRED", -1L);
        denial("2025-07-04T03:00:00Z", "JN-DATA-2024-003", "social-insurance", uncounted, -1);
    }

    private void release(final String time, final String grant, final String dataset, final long records, final String gradeCounts,
                         final Map<String, String> methods) throws IOException {
        final ObjectNode event = LineageEvents.runEvent(new LineageEvents.Facts(Instant.parse(time), UUID.randomUUID(), "nifi-publicdata", "flow",
                new LineageEvents.Dataset("ns", dataset), new LineageEvents.Dataset("ns", dataset + ":released"), records, "00".repeat(32), 100,
                Map.of("grantId", grant, "decision", "PERMIT"), "L3", gradeCounts, null, new java.util.TreeMap<>(methods)));
        LineageEvents.addCatalog(event, Map.of("catalogCode", dataset));
        append(event);
    }

    private void denial(final String time, final String grant, final String dataset, final Map<String, Long> codes, final long records)
            throws IOException {
        final ObjectNode event = LineageEvents.denialEvent(new LineageEvents.Denial(Instant.parse(time), UUID.randomUUID(), "nifi-publicdata", "flow",
                new LineageEvents.Dataset("ns", dataset), Map.of("grantId", grant, "decision", "DENY"), codes, records));
        append(event);
    }

    private void append(final ObjectNode event) throws IOException {
        head = LineageChain.append(event, head, HashAlgorithm.SM3);
        final Path file = lineage.resolve("node-1-" + head.sequence() + ".json");
        Files.writeString(file, event.toString());
        eventFiles.add(file);
    }

    private CliRun report(final String... extra) {
        final List<String> args = new ArrayList<>(List.of("report", "--grants", grants.toString(), "--issuer-key", issuerKey.toString(),
                "--catalog", CATALOG.toString(), "--lineage", lineage.toString(), "--head", "node-1=" + head.hash(), "--out", out.toString()));
        if (!List.of(extra).contains("--at")) {
            args.addAll(List.of("--at", "2025-08-01T00:00:00+08:00"));
        }
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(new String[0]));
    }

    private JsonNode json() throws IOException {
        return MAPPER.readTree(out.resolve("report.json").toFile());
    }

    private static JsonNode row(final JsonNode rows, final String... keyValues) {
        for (final JsonNode row : rows) {
            boolean match = true;
            for (int i = 0; i < keyValues.length; i += 2) {
                match &= row.path(keyValues[i]).asText().equals(keyValues[i + 1]);
            }
            if (match) {
                return row;
            }
        }
        throw new AssertionError("no row " + List.of(keyValues) + " in " + rows);
    }

    @Test
    void theFiguresAreThoseOfTheChain() throws Exception {
        final CliRun run = report();
        assertEquals(PublicDataCli.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("VERIFIED 7 events on 1 chain; 2 grants; 13 records released, 7 denied"), run.out());
        final JsonNode report = json();

        assertEquals(7, report.at("/chain/events").asInt());
        assertEquals(3, report.at("/chain/releaseEvents").asInt());
        assertEquals(4, report.at("/chain/denialEvents").asInt());
        assertEquals(head.hash(), report.at("/chain/heads/0/hash").asText());
        assertEquals(7, report.at("/chain/heads/0/sequence").asInt());
        assertTrue(report.at("/chain/heads/0/matchesGivenHead").asBoolean());

        final JsonNode totals = report.get("totals");
        assertEquals(13, totals.at("/released/records").asInt());
        assertEquals("{\"L1\":1,\"L2\":2,\"L3\":10}", totals.at("/released/byGrade").toString());
        assertEquals(7, totals.at("/denied/records").asInt());
        assertEquals(4, totals.at("/denied/flowFiles").asInt());
        assertEquals(1, totals.at("/denied/flowFilesNotCounted").asInt());
        assertEquals("{\"records\":2,\"flowFiles\":1}", totals.at("/denied/byCode/DATASET_NOT_OPEN").toString());
        assertEquals("{\"records\":3,\"flowFiles\":1}", totals.at("/denied/byCode/DATASET_NOT_REGISTERED").toString());
        assertEquals("{\"records\":0,\"flowFiles\":1}", totals.at("/denied/byCode/GRANT_EXPIRED").toString());

        final JsonNode enterprises = row(report.get("usage"), "grantId", G1, "dataset", "enterprise-registry");
        assertEquals("企业登记信息", enterprises.get("datasetName").asText());
        assertEquals(4, enterprises.at("/released/records").asInt());
        assertEquals("{\"ENCRYPT\":[\"/contactPhone\"],\"PSEUDONYMIZE\":[\"/legalRepresentativeId\"]}", enterprises.at("/released/methods").toString());
        final JsonNode household = row(report.get("usage"), "grantId", G1, "dataset", "household-registry");
        assertEquals(0, household.at("/released/records").asInt());
        assertEquals(2, household.at("/denied/byCode/DATASET_NOT_OPEN/records").asInt());
        final JsonNode insuranceG2 = row(report.get("usage"), "grantId", G2, "dataset", "social-insurance");
        assertEquals(5, insuranceG2.at("/released/byGrade/L3").asInt());

        // Months in Beijing time: the release at 17:00 UTC on 30 June belongs to July
        final JsonNode june = row(report.get("monthly"), "month", "2025-06", "grantId", G1, "dataset", "enterprise-registry");
        assertEquals(4, june.at("/released/records").asInt());
        final JsonNode julyInsurance = row(report.get("monthly"), "month", "2025-07", "grantId", G1, "dataset", "social-insurance");
        assertEquals(4, julyInsurance.at("/released/records").asInt());
        assertEquals(2, julyInsurance.at("/denied/records").asInt());
        assertFalse(report.get("monthly").toString().contains("\"month\":\"2025-06\",\"grantId\":\"" + G1 + "\",\"dataset\":\"social-insurance\""));

        assertEquals("[\"JN-DATA-2024-003\"]", report.get("grantsNotInRegister").toString());
        final JsonNode g1 = row(report.get("grants"), "id", G1);
        assertEquals("COMMERCIAL", g1.get("pricing").asText());
        assertEquals("政府指导价有偿使用", g1.get("pricingTerm").asText());
        assertEquals("ACTIVE", g1.get("standing").asText());
        assertEquals("依场景授权", g1.get("modeTerm").asText());
        assertEquals("户籍人口信息", g1.at("/datasets/2/name").asText());
        assertEquals("EXPIRED", row(report.get("grants"), "id", G2).get("standing").asText(), "its term ended on 1 July");
        assertEquals("[\"enterprise-registry\",\"social-insurance\"]",
                MAPPER.valueToTree(report.get("openCatalog").findValuesAsText("code")).toString());
        assertEquals("[\"household-registry\",\"community-corrections\",\"business-permits\"]",
                MAPPER.valueToTree(report.get("notInOpenCatalog").findValuesAsText("code")).toString());
    }

    @Test
    void theMonthsFollowTheChosenTimeZone() throws Exception {
        assertEquals(PublicDataCli.OK, report("--zone", "UTC").exitCode());
        final JsonNode june = row(json().get("monthly"), "month", "2025-06", "grantId", G1, "dataset", "social-insurance");
        assertEquals(4, june.at("/released/records").asInt());
    }

    @Test
    void theCsvFilesHoldTheSameFigures() throws Exception {
        assertEquals(PublicDataCli.OK, report().exitCode());
        final String usage = Files.readString(out.resolve("usage.csv"));
        assertTrue(usage.startsWith("\uFEFF授权编号 grant_id,数据资源 dataset,"), usage);
        assertTrue(usage.contains("\r\n" + G1 + ",enterprise-registry,企业登记信息,1,4,1,1,2,ENCRYPT 加密: /contactPhone; PSEUDONYMIZE 假名化: /legalRepresentativeId,0,0,\r\n"), usage);
        assertTrue(usage.contains("\r\n" + G1 + ",household-registry,户籍人口信息,0,0,0,0,0,,1,2,DATASET_NOT_OPEN=2\r\n"), usage);
        final String denials = Files.readString(out.resolve("denials.csv"));
        assertTrue(denials.contains("\r\n2025-06," + G1 + ",business-permits,DATASET_NOT_REGISTERED,数据资源未登记,3,1\r\n"), denials);
        final String grantsCsv = Files.readString(out.resolve("grants.csv"));
        assertTrue(grantsCsv.contains(G2 + ",,济南市大数据局,12370100MB1234567X,DOMAIN,社会保障,,*,social-insurance,/**,L3,"), grantsCsv);
        assertTrue(Files.readString(out.resolve("catalog.csv")).contains("household-registry,户籍人口信息,济南市公安局,公共安全,NOT_OPEN,REGISTERED,"));
        assertTrue(Files.readString(out.resolve("chain.csv")).contains("node-1,7," + head.hash() + ",true"));
    }

    @Test
    void thePageIsSelfContainedAndBilingual() throws Exception {
        assertEquals(PublicDataCli.OK, report().exitCode());
        final String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h2>授权登记<span class=\"en\">Grant register"), "Chinese first, English beside");
        assertTrue(html.contains("@page { size: A4"));
        assertTrue(html.contains("VERIFIED 7 events on 1 chain"));
        assertTrue(html.contains("<svg"), "charts are inline SVG");
        assertTrue(html.contains("不予开放 <span class=\"en\">NOT_OPEN</span>"));
        assertTrue(html.contains("JN-DATA-2024-003"), "a use under a grant outside the register is pointed out");
        for (final String external : List.of("<script", "src=\"http", "href=\"http", "@import", "url(")) {
            assertFalse(html.contains(external), external);
        }
    }

    /** A grant on the authority's signed revocation list (退出) shows as revoked, from the day it was revoked. */
    @Test
    void aSignedRevocationListRevokesAGrantInTheRegister() throws Exception {
        final Path list = dir.resolve("revocations.json");
        Files.write(list, RevocationListDocument.sign(new RevocationList("济南市大数据局", OffsetDateTime.parse("2025-07-20T09:00:00+08:00"),
                OffsetDateTime.parse("2025-10-20T09:00:00+08:00"), List.of(new RevocationList.Entry(G1, null, "运营主体违规",
                        OffsetDateTime.parse("2025-07-20T09:00:00+08:00")))), issuer.getPrivate(), issuer.getPublic()));
        assertEquals(PublicDataCli.OK, report("--revocation-list", list.toString()).exitCode());
        final JsonNode g1 = row(json().get("grants"), "id", G1);
        assertEquals("REVOKED", g1.get("standing").asText());
        assertEquals("{\"revokedAt\":\"2025-07-20T09:00:00+08:00\",\"reason\":\"运营主体违规\"}", g1.get("revocation").toString());
        assertTrue(Files.readString(out.resolve("report.html")).contains("撤销 <span class=\"en\">revoked</span><br>2025-07-20 运营主体违规"));

        // Before the day it was revoked, the grant was in force
        assertEquals(PublicDataCli.OK, report("--revocation-list", list.toString(), "--at", "2025-07-01T00:00:00+08:00").exitCode());
        assertEquals("ACTIVE", row(json().get("grants"), "id", G1).get("standing").asText());

        // A list edited after signing is not believed, and there is no report
        Files.writeString(list, Files.readString(list).replace("运营主体违规", "到期"));
        Files.delete(out.resolve("report.json"));
        final CliRun run = report("--revocation-list", list.toString());
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().startsWith("NOT VERIFIED " + list + ": REVOCATION_LIST_INVALID: the signature does not match the document"), run.out());
        assertFalse(Files.exists(out.resolve("report.json")));
    }

    /** The catalog read from its tables, as NiFi reads them, gives the same report as the JSON it was filled from. */
    @Test
    void theCatalogTablesGiveTheSameReport() throws Exception {
        final String url = "jdbc:h2:mem:report-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "publicdata", "s3cret");
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + Path.of("..", "docs", "catalog-tables.sql").toAbsolutePath() + "' CHARSET 'UTF-8'");
            final Path fill = dir.resolve("fill.sql");
            Files.writeString(fill, CliRun.run("catalog", "sql", CATALOG.toString()).out());
            statement.execute("RUNSCRIPT FROM '" + fill + "' CHARSET 'UTF-8'");
            final Path password = dir.resolve("password");
            Files.writeString(password, "s3cret\n");
            assertEquals(PublicDataCli.OK, report().exitCode());
            final JsonNode fromJson = json();
            final List<String> args = new ArrayList<>(List.of("report", "--grants", grants.toString(), "--issuer-key", issuerKey.toString(),
                    "--catalog-jdbc", url, "--catalog-user", "publicdata", "--catalog-password-file", password.toString(),
                    "--lineage", lineage.toString(), "--head", "node-1=" + head.hash(), "--out", out.toString(), "--at", "2025-08-01T00:00:00+08:00"));
            final CliRun run = CliRun.run(args.toArray(new String[0]));
            assertEquals(PublicDataCli.OK, run.exitCode(), run.out() + run.err());
            // Tables list datasets by code, the file in its own order: the same datasets, the same figures
            final JsonNode fromTables = json();
            assertEquals(sorted(fromJson.get("openCatalog")), sorted(fromTables.get("openCatalog")));
            assertEquals(sorted(fromJson.get("notInOpenCatalog")), sorted(fromTables.get("notInOpenCatalog")));
            assertEquals(fromJson.get("usage"), fromTables.get("usage"));
            assertEquals(fromJson.get("totals"), fromTables.get("totals"));

            Files.writeString(password, "wrong\n");
            final CliRun refused = CliRun.run(args.toArray(new String[0]));
            assertEquals(PublicDataCli.USAGE, refused.exitCode());
            assertTrue(refused.err().startsWith("error: the catalog tables cannot be read from jdbc:h2:mem:report-"), refused.err());
        }
    }

    private static List<String> sorted(final JsonNode datasets) {
        final List<String> entries = new ArrayList<>();
        datasets.forEach(dataset -> entries.add(dataset.toString()));
        java.util.Collections.sort(entries);
        return entries;
    }

    /** Attack: an edited event. There is no report, only the broken link. */
    @Test
    void anEditedChainGivesNoReport() throws Exception {
        final Path third = eventFiles.get(2);
        Files.writeString(third, Files.readString(third).replace("\"DATASET_NOT_REGISTERED\":3", "\"DATASET_NOT_REGISTERED\":0"));
        final CliRun run = report();
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().startsWith("BROKEN at " + third + ":1: chain 'node-1' sequence 3: the event does not hash to its stated hash"), run.out());
        assertTrue(run.out().contains("No report: the lineage chain does not verify"), run.out());
        assertFalse(Files.exists(out), "nothing written");
    }

    /** Attack: the last denial deleted, hoping the report shows fewer denials. The given head finds it. */
    @Test
    void aDeletedLastEventGivesNoReport() throws Exception {
        Files.delete(eventFiles.getLast());
        final CliRun run = report();
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().contains("ends at sequence 6"), run.out());
        assertFalse(Files.exists(out));
    }

    /** Attack: a grant edited after signing (a longer term) is not disclosed as if it were the authority's. */
    @Test
    void aTamperedGrantGivesNoReport() throws Exception {
        final Path g2 = grants.resolve("g2.json");
        Files.writeString(g2, Files.readString(g2).replace("2025-07-01T00:00:00+08:00", "2027-07-01T00:00:00+08:00"));
        final CliRun run = report();
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().startsWith("NOT VERIFIED " + g2 + ": SIGNATURE_INVALID"), run.out());
        assertFalse(Files.exists(out));
    }

    /** Attack: text from the catalog that is markup or a spreadsheet formula stays text. */
    @Test
    void catalogTextCannotBecomeMarkupOrAFormula() throws Exception {
        final Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, Files.readString(CATALOG).replace("企业登记信息", "<script>alert(1)</script>").replace("社会保险参保信息", "=HYPERLINK(\\\"http://x\\\")"));
        final List<String> args = new ArrayList<>(List.of("report", "--grants", grants.toString(), "--issuer-key", issuerKey.toString(),
                "--catalog", catalog.toString(), "--lineage", lineage.toString(), "--head", "node-1=" + head.hash(), "--out", out.toString()));
        assertEquals(PublicDataCli.OK, CliRun.run(args.toArray(new String[0])).exitCode());
        final String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("<script>"), "escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        final String usage = Files.readString(out.resolve("usage.csv"), StandardCharsets.UTF_8);
        assertTrue(usage.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), usage);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("catalog.csv", "chain.csv", "denials.csv", "grants.csv", "report.html", "report.json", "usage-by-month.csv", "usage.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
