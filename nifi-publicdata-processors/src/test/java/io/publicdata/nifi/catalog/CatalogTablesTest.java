package io.publicdata.nifi.catalog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog tables in a real, embedded H2 database, created with the DDL of the documentation. */
class CatalogTablesTest {

    /** The DDL users run, straight from the documentation. */
    static final Path DDL = Path.of("..", "docs", "catalog-tables.sql");

    private Connection connection;

    /** A fresh in-memory database with the documented tables; mode is H2's own or its PostgreSQL compatibility mode. */
    static Connection database(final String mode) throws SQLException {
        final Connection connection = DriverManager.getConnection("jdbc:h2:mem:catalog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + mode);
        try (Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + DDL.toAbsolutePath() + "' CHARSET 'UTF-8'");
        }
        return connection;
    }

    static void execute(final Connection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (final String line : sql.split(";\n")) {
                if (!line.isBlank()) {
                    statement.execute(line);
                }
            }
        }
    }

    @AfterEach
    void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @ParameterizedTest(name = "mode ''{0}''")
    @ValueSource(strings = {"", ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"})
    void theTablesHoldWhatTheJsonCatalogHolds(final String mode) throws Exception {
        connection = database(mode);
        final Catalog json = CatalogJson.parse(CatalogJsonTest.example());
        execute(connection, CatalogTables.defaults().insertScript(json));

        final Catalog tables = CatalogTables.defaults().read(connection);
        assertEquals(5, tables.datasets().size());
        for (final Dataset dataset : json.datasets()) {
            final Dataset read = tables.find(dataset.code()).orElseThrow();
            // Tables keep data items in path order, the JSON file in the order written
            assertEquals(dataset.items().stream().sorted((a, b) -> a.path().toString().compareTo(b.path().toString())).toList(), read.items(), dataset.code());
            assertEquals(new Dataset(dataset.code(), dataset.name(), dataset.department(), dataset.domain(), dataset.openType(),
                    dataset.registration(), dataset.updateCycle(), read.items()), read);
        }
    }

    @Test
    void chineseTermsInTheTablesAreRead() throws Exception {
        connection = database("");
        execute(connection, """
                INSERT INTO publicdata_dataset VALUES ('d1', '户籍人口信息', '市公安局', '公共安全', '不予开放', 'R-7', '已注销', DATE '2025-06-30', '实时');
                INSERT INTO publicdata_data_item VALUES ('d1', '/idCard', '公民身份号码', 'L4', 'PERSONAL_ID, IDENTITY');
                """);
        final Dataset dataset = CatalogTables.defaults().read(connection).find("d1").orElseThrow();
        assertEquals(OpenType.NOT_OPEN, dataset.openType());
        assertEquals(RegistrationStatus.CANCELLED, dataset.registration().status());
        assertEquals(UpdateCycle.REAL_TIME, dataset.updateCycle());
        assertEquals(List.of("IDENTITY", "PERSONAL_ID"), List.copyOf(dataset.items().getFirst().labels()));
    }

    @Test
    void theDdlRefusesValuesOutsideTheClosedSets() throws Exception {
        connection = database("");
        final SQLException e = assertThrows(SQLException.class, () -> execute(connection,
                "INSERT INTO publicdata_dataset VALUES ('d1', 'n', 'd', 'x', 'OPEN', NULL, 'UNREGISTERED', NULL, 'DAILY')"));
        assertTrue(e.getMessage().contains("CONSTRAINT"), e.getMessage());
    }

    @Test
    void aBrokenRowIsNamed() throws Exception {
        connection = database("");
        execute(connection, "INSERT INTO publicdata_dataset VALUES ('d1', 'n', 'd', 'x', 'CONDITIONAL', NULL, 'REGISTERED', NULL, 'DAILY')");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogTables.defaults().read(connection));
        assertEquals("publicdata_dataset row d1: a registration that is REGISTERED (已登记) needs its registration number and date", e.getMessage());
    }

    @Test
    void anUnknownUpdateCycleIsNamed() throws Exception {
        connection = database("");
        execute(connection, "INSERT INTO publicdata_dataset VALUES ('d1', 'n', 'd', 'x', 'CONDITIONAL', NULL, 'UNREGISTERED', NULL, 'sometimes')");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogTables.defaults().read(connection));
        assertTrue(e.getMessage().startsWith("publicdata_dataset row d1: Update cycle 'sometimes' is not one of REAL_TIME (实时)"), e.getMessage());
    }

    @Test
    void dataItemsOfNoDatasetAreRefused() throws Exception {
        connection = database("");
        try (Statement statement = connection.createStatement()) {
            // A database without the foreign key, as some installations have
            statement.execute("ALTER TABLE publicdata_data_item DROP CONSTRAINT " + foreignKey());
        }
        execute(connection, "INSERT INTO publicdata_data_item VALUES ('ghost', '/a', NULL, 'L1', NULL)");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogTables.defaults().read(connection));
        assertEquals("publicdata_data_item has data items of catalog codes that publicdata_dataset does not hold: [ghost]", e.getMessage());
    }

    private String foreignKey() throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                     + "WHERE TABLE_NAME = 'PUBLICDATA_DATA_ITEM' AND CONSTRAINT_TYPE = 'FOREIGN KEY'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"publicdata_dataset; DROP TABLE x", "a.b.c", "\"quoted\"", "1table", ""})
    void tableNamesAreIdentifiersOnly(final String name) {
        assertThrows(IllegalArgumentException.class, () -> new CatalogTables(name, "items"));
        assertThrows(IllegalArgumentException.class, () -> new CatalogTables("datasets", name));
    }

    @Test
    void aMissingTableIsAnSqlError() throws Exception {
        connection = DriverManager.getConnection("jdbc:h2:mem:empty-" + UUID.randomUUID());
        final SQLException e = assertThrows(SQLException.class, () -> CatalogTables.defaults().read(connection));
        assertTrue(e.getMessage().contains("PUBLICDATA_DATA_ITEM"), e.getMessage());
    }

}
