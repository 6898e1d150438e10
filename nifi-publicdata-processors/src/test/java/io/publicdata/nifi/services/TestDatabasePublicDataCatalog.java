package io.publicdata.nifi.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.catalog.CatalogJson;
import io.publicdata.nifi.catalog.CatalogTables;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.dbcp.DBCPService;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.util.MockConfigurationContext;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database catalog against a real, embedded H2 database with the documented tables. */
class TestDatabasePublicDataCatalog {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path DDL = Path.of("..", "docs", "catalog-tables.sql");
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "catalog.json");

    /** A DBCPService over H2's own connection pool: what DBCPConnectionPool gives NiFi, without NiFi's pool. */
    static class H2ConnectionPool extends AbstractControllerService implements DBCPService {
        private final JdbcConnectionPool pool;

        H2ConnectionPool(final String url) {
            pool = JdbcConnectionPool.create(url, "sa", "");
        }

        @Override
        public Connection getConnection() {
            try {
                return pool.getConnection();
            } catch (final SQLException e) {
                throw new ProcessException("Cannot connect: " + e.getMessage(), e);
            }
        }

        void close() {
            pool.dispose();
        }
    }

    private H2ConnectionPool pool;
    private TestRunner runner;
    private DatabasePublicDataCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        pool = new H2ConnectionPool("jdbc:h2:mem:catalog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        execute("RUNSCRIPT FROM '" + DDL.toAbsolutePath() + "' CHARSET 'UTF-8'");
        execute(CatalogTables.defaults().insertScript(CatalogJson.parse(Files.readString(EXAMPLE))));
        runner = TestRunners.newTestRunner(TestStandardPublicDataKeyProvider.Host.class);
        runner.addControllerService("pool", pool);
        runner.enableControllerService(pool);
        catalog = new DatabasePublicDataCatalog();
        runner.addControllerService("catalog", catalog);
        runner.setProperty(catalog, DatabasePublicDataCatalog.DBCP_SERVICE, "pool");
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    private void execute(final String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (final String line : sql.split(";\n")) {
                if (!line.isBlank()) {
                    statement.execute(line);
                }
            }
        }
    }

    private JsonNode entry(final String code) throws Exception {
        return MAPPER.readTree(catalog.dataset(code).orElseThrow());
    }

    @Test
    void givesEachDatasetAsTheTablesHoldIt() throws Exception {
        runner.enableControllerService(catalog);
        final JsonNode enterprises = entry("enterprise-registry");
        assertEquals("企业登记信息", enterprises.get("name").asText());
        assertEquals("REGISTERED", enterprises.get("registration").get("status").asText());
        assertEquals("2025-03-01", enterprises.get("registration").get("date").asText());
        assertEquals(10, enterprises.get("items").size());
        assertEquals("NOT_OPEN", entry("household-registry").get("openType").asText());
        assertEquals(Optional.empty(), catalog.dataset("no-such-dataset"));
        // The same entry as the JSON file gives, data items aside (the tables keep them in path order)
        assertEquals(CatalogJson.parse(Files.readString(EXAMPLE)).find("business-permits").map(CatalogJson::write), catalog.dataset("business-permits"));
    }

    @Test
    void aChangeInTheTablesIsSeenAfterTheRefreshInterval() throws Exception {
        runner.setProperty(catalog, DatabasePublicDataCatalog.REFRESH_INTERVAL, "1 sec");
        runner.enableControllerService(catalog);
        execute("UPDATE publicdata_dataset SET registration_status = 'CANCELLED' WHERE catalog_code = 'enterprise-registry'");
        assertEquals("REGISTERED", entry("enterprise-registry").get("registration").get("status").asText(), "within the interval");
        Thread.sleep(1100);
        assertEquals("CANCELLED", entry("enterprise-registry").get("registration").get("status").asText());
    }

    @Test
    void tablesThatCannotBeReadFailLookupsUntilTheyCanNeverTheOldCopy() throws Exception {
        runner.setProperty(catalog, DatabasePublicDataCatalog.REFRESH_INTERVAL, "1 sec");
        runner.enableControllerService(catalog);
        execute("ALTER TABLE publicdata_data_item RENAME TO publicdata_data_item_moved");
        Thread.sleep(1100);
        final ProcessException e = assertThrows(ProcessException.class, () -> catalog.dataset("enterprise-registry"));
        assertTrue(e.getMessage().startsWith("The catalog tables cannot be used until they can be read again: The catalog tables cannot be read: "
                + "Table \"PUBLICDATA_DATA_ITEM\" not found"), e.getMessage());

        execute("ALTER TABLE publicdata_data_item_moved RENAME TO publicdata_data_item");
        Thread.sleep(1100);
        assertEquals("企业登记信息", entry("enterprise-registry").get("name").asText());
    }

    @Test
    void anInvalidRowFailsLookupsNamingIt() throws Exception {
        runner.setProperty(catalog, DatabasePublicDataCatalog.REFRESH_INTERVAL, "1 sec");
        runner.enableControllerService(catalog);
        execute("UPDATE publicdata_dataset SET registration_number = NULL WHERE catalog_code = 'social-insurance'");
        Thread.sleep(1100);
        final ProcessException e = assertThrows(ProcessException.class, () -> catalog.dataset("enterprise-registry"));
        assertTrue(e.getMessage().endsWith("The catalog tables do not hold a valid catalog: publicdata_dataset row social-insurance: "
                + "a registration that is REGISTERED (已登记) needs its registration number and date"), e.getMessage());
    }

    @Test
    void aBrokenCatalogKeepsTheServiceFromEnablingWithTheReason() throws Exception {
        execute("INSERT INTO publicdata_dataset VALUES ('d9', 'n', 'd', 'x', 'CONDITIONAL', NULL, 'REGISTERED', NULL, 'DAILY')");
        final AssertionError failed = assertThrows(AssertionError.class, () -> runner.enableControllerService(catalog));
        Throwable cause = failed;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("publicdata_dataset row d9: a registration that is REGISTERED"), cause.getMessage());
    }

    @Test
    void tableNamesMustBeIdentifiers() {
        runner.setProperty(catalog, DatabasePublicDataCatalog.DATASET_TABLE, "publicdata_dataset; DROP TABLE publicdata_data_item");
        runner.assertNotValid(catalog);
        runner.setProperty(catalog, DatabasePublicDataCatalog.DATASET_TABLE, "catalog.publicdata_dataset");
        runner.assertValid(catalog);
    }

    @Test
    void verificationSaysWhatTheTablesHoldOrWhyNot() throws Exception {
        final ConfigVerificationResult ok = verify(Map.of()).getFirst();
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, ok.getOutcome());
        assertEquals("5 datasets (4 registered, 2 不予开放), 21 data items", ok.getExplanation());

        final ConfigVerificationResult missing = verify(Map.of(DatabasePublicDataCatalog.ITEM_TABLE, "no_such_table")).getFirst();
        assertEquals(ConfigVerificationResult.Outcome.FAILED, missing.getOutcome());
        assertTrue(missing.getExplanation().startsWith("The catalog tables cannot be read: Table \"NO_SUCH_TABLE\" not found"), missing.getExplanation());
    }

    private java.util.List<ConfigVerificationResult> verify(final Map<org.apache.nifi.components.PropertyDescriptor, String> overrides) {
        final Map<org.apache.nifi.components.PropertyDescriptor, String> properties = new java.util.HashMap<>(Map.of(
                DatabasePublicDataCatalog.DBCP_SERVICE, "pool",
                DatabasePublicDataCatalog.DATASET_TABLE, CatalogTables.DEFAULT_DATASET_TABLE,
                DatabasePublicDataCatalog.ITEM_TABLE, CatalogTables.DEFAULT_ITEM_TABLE,
                DatabasePublicDataCatalog.REFRESH_INTERVAL, "1 min"));
        properties.putAll(overrides);
        final MockConfigurationContext context = new MockConfigurationContext(catalog, properties,
                runner.getProcessContext().getControllerServiceLookup(), Map.of());
        return catalog.verify(context, runner.getLogger(), Map.of());
    }
}
