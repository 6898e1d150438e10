package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.services.DatabasePublicDataCatalog;
import io.publicdata.nifi.services.JsonFilePublicDataCatalog;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.dbcp.DBCPService;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClassifyRecord with a resource catalog: data items graded as the catalog says, detectors still running, the higher grade winning. */
class TestClassifyRecordCatalog {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A dataset whose catalog knows what no detector can: a health field (L4) and a narrative it calls public (L1). */
    private static final String CATALOG = """
            {"datasets": [{"code": "social-insurance", "name": "社会保险参保信息", "department": "市人社局", "domain": "社会保障",
              "openType": "有条件开放", "updateCycle": "每月",
              "registration": {"number": "JNGGSJ-2025-000214", "status": "已登记", "date": "2025-04-15"},
              "items": [
                {"path": "/disability", "name": "残疾情况", "grade": "L4", "labels": ["HEALTH"]},
                {"path": "/remarks", "name": "备注", "grade": "L1"},
                {"path": "/employer/name", "name": "单位名称", "grade": "L1"}
              ]}]}""";
    private static final String RECORDS = """
            [{"name": "赵丽华", "district": "历下区", "disability": "视力残疾二级", "remarks": "", "employer": {"name": "济南泉城餐饮管理有限公司"}},
             {"name": "孙伟", "district": "市中区", "disability": "", "remarks": "本人手机13861943706", "employer": {"name": "山东鲁信物流有限公司"}}]""";

    @TempDir
    Path dir;

    private TestRunner runner;
    private Path catalogFile;

    @BeforeEach
    void setUp() throws Exception {
        runner = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(runner);
        catalogFile = dir.resolve("catalog.json");
        Files.writeString(catalogFile, CATALOG);
        final JsonFilePublicDataCatalog catalog = new JsonFilePublicDataCatalog();
        runner.addControllerService("catalog", catalog);
        runner.setProperty(catalog, JsonFilePublicDataCatalog.CATALOG_FILE, catalogFile.toString());
        runner.enableControllerService(catalog);
        runner.setProperty(ClassifyRecord.CATALOG, "catalog");
    }

    private MockFlowFile classify(final String content, final Map<String, String> attributes) {
        runner.enqueue(content, attributes);
        runner.run();
        runner.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
    }

    private static JsonNode fields(final MockFlowFile out) throws Exception {
        return MAPPER.readTree(out.getAttribute(PublicDataAttributes.FIELDS));
    }

    @Test
    void dataItemsAreGradedAsTheCatalogSays() throws Exception {
        final MockFlowFile out = classify(RECORDS, Map.of(PublicDataAttributes.DATASET, "social-insurance"));
        final JsonNode records = MAPPER.readTree(out.getContent());
        assertEquals("L4", records.get(0).get("_grade").asText(), "the catalog's L4 health field, which no detector knows");
        assertEquals("L4", fields(out).get("/disability").get("grade").asText());
        assertEquals("HEALTH", fields(out).get("/disability").get("labels").get(0).asText());
        // A field-name hint (a field called name) counts as detection: a catalog's L1 does not lower it (就高从严)
        assertEquals("L3", fields(out).get("/employer/name").get("grade").asText());
        out.assertAttributeEquals(PublicDataAttributes.CATALOG_NAME, "社会保险参保信息");
        out.assertAttributeEquals(PublicDataAttributes.CATALOG_OPEN_TYPE, "CONDITIONAL");
        out.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION, "REGISTERED");
        out.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION_NUMBER, "JNGGSJ-2025-000214");
        out.assertAttributeEquals(PublicDataAttributes.CATALOG_UPDATE_CYCLE, "MONTHLY");
        final String details = runner.getProvenanceEvents().getFirst().getDetails();
        assertTrue(details.endsWith("; catalog: social-insurance 社会保险参保信息, 3 data items"), details);
    }

    /** Attack: a catalog entry that calls a field public cannot hide the mobile number a detector finds in it. */
    @Test
    void aDetectorsHigherGradeWinsOverTheCatalog() throws Exception {
        final MockFlowFile out = classify(RECORDS, Map.of(PublicDataAttributes.DATASET, "social-insurance"));
        final JsonNode remarks = fields(out).get("/remarks");
        assertEquals("L3", remarks.get("grade").asText());
        assertEquals("MOBILE", remarks.get("labels").get(0).asText());
        assertEquals("L3", MAPPER.readTree(out.getContent()).get(1).get("_grade").asText());
    }

    @Test
    void withoutTheCatalogTheHealthFieldWouldPassAsInternal() throws Exception {
        runner.removeProperty(ClassifyRecord.CATALOG);
        final MockFlowFile out = classify(RECORDS, Map.of(PublicDataAttributes.DATASET, "social-insurance"));
        assertEquals("L2", fields(out).get("/disability").get("grade").asText(), "the difference the catalog makes");
        out.assertAttributeNotExists(PublicDataAttributes.CATALOG_NAME);
    }

    @Test
    void theDatasetPropertyNamesTheDatasetToLookUp() throws Exception {
        runner.setProperty(ClassifyRecord.DATASET, "${source}");
        final MockFlowFile out = classify(RECORDS, Map.of("source", "social-insurance"));
        out.assertAttributeEquals(PublicDataAttributes.DATASET, "social-insurance");
        assertEquals("L4", fields(out).get("/disability").get("grade").asText());
    }

    @Test
    void aDatasetOutsideTheCatalogIsGradedWithoutIt() throws Exception {
        final MockFlowFile out = classify(RECORDS, Map.of(PublicDataAttributes.DATASET, "household-registry"));
        assertEquals("L2", fields(out).get("/disability").get("grade").asText());
        out.assertAttributeNotExists(PublicDataAttributes.CATALOG_NAME);
        assertTrue(runner.getProvenanceEvents().getFirst().getDetails().endsWith("; dataset household-registry is not in the catalog"));
    }

    @Test
    void csvRecordsAreGradedByTheCatalogToo() throws Exception {
        runner.removeControllerService(runner.getControllerService(RecordTestSupport.READER));
        runner.removeControllerService(runner.getControllerService(RecordTestSupport.WRITER));
        RecordTestSupport.useCsv(runner);
        final MockFlowFile out = classify("name,district,disability,remarks\n赵丽华,历下区,视力残疾二级,\n孙伟,市中区,,无\n",
                Map.of(PublicDataAttributes.DATASET, "social-insurance"));
        assertEquals("L4", fields(out).get("/disability").get("grade").asText());
        assertTrue(out.getContent().contains("视力残疾二级,,L4"), out.getContent());
    }

    @Test
    void aGradeNotOnTheLadderSendsTheFlowFileToFailure() throws Exception {
        Files.writeString(catalogFile, CATALOG.replace("\"grade\": \"L4\"", "\"grade\": \"L9\""));
        Files.setLastModifiedTime(catalogFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        runner.enqueue(RECORDS, Map.of(PublicDataAttributes.DATASET, "social-insurance"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ClassifyRecord.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ClassifyRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(RECORDS);
        assertEquals("The catalog grades data item /disability of dataset social-insurance as 'L9', which is not on the Grade Ladder [L1, L2, L3, L4, L5]",
                failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));
    }

    /** The same catalog in a real H2 database, read through a DBCPService: the same grades. */
    @Test
    void theDatabaseCatalogGradesAlike() throws Exception {
        final JdbcConnectionPool h2 = JdbcConnectionPool.create("jdbc:h2:mem:classify-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + Path.of("..", "docs", "catalog-tables.sql").toAbsolutePath() + "' CHARSET 'UTF-8'");
            for (final String insert : io.publicdata.nifi.catalog.CatalogTables.defaults().insertScript(io.publicdata.nifi.catalog.CatalogJson.parse(CATALOG)).split(";\n")) {
                statement.execute(insert);
            }
        }
        final DBCPService pool = new H2Pool(h2);
        runner.addControllerService("pool", pool);
        runner.enableControllerService(pool);
        final DatabasePublicDataCatalog tables = new DatabasePublicDataCatalog();
        runner.addControllerService("tables", tables);
        runner.setProperty(tables, DatabasePublicDataCatalog.DBCP_SERVICE, "pool");
        runner.enableControllerService(tables);
        runner.setProperty(ClassifyRecord.CATALOG, "tables");
        try {
            final MockFlowFile out = classify(RECORDS, Map.of(PublicDataAttributes.DATASET, "social-insurance"));
            assertEquals("L4", fields(out).get("/disability").get("grade").asText());
            out.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION_DATE, "2025-04-15");
        } finally {
            h2.dispose();
        }
    }

    private static final class H2Pool extends AbstractControllerService implements DBCPService {
        private final JdbcConnectionPool pool;

        H2Pool(final JdbcConnectionPool pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() {
            try {
                return pool.getConnection();
            } catch (final SQLException e) {
                throw new ProcessException(e);
            }
        }
    }
}
