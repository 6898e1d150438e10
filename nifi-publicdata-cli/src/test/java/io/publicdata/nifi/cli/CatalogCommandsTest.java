package io.publicdata.nifi.cli;

import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.CatalogJson;
import io.publicdata.nifi.catalog.CatalogTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogCommandsTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "catalog.json");

    @TempDir
    Path dir;

    @Test
    void checkListsTheDatasets() {
        final CliRun run = CliRun.run("catalog", "check", EXAMPLE.toString());
        assertEquals(PublicDataCli.OK, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("VALID 5 datasets (4 registered, 2 不予开放), 21 data items"), run.out());
        assertTrue(run.out().contains("household-registry  户籍人口信息  不予开放  已登记  2 data items"), run.out());
        assertTrue(run.out().contains("business-permits  经营许可证信息  无条件开放  未登记  0 data items"), run.out());
    }

    @Test
    void checkSaysWhatIsWrong() throws Exception {
        final Path broken = dir.resolve("catalog.json");
        Files.writeString(broken, Files.readString(EXAMPLE).replace("\"DAILY\"", "\"EVERY_DAY\""));
        final CliRun run = CliRun.run("catalog", "check", broken.toString());
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().startsWith("INVALID " + broken + ": dataset 1 (enterprise-registry): Update cycle 'EVERY_DAY' is not one of"), run.out());
        assertEquals(PublicDataCli.USAGE, CliRun.run("catalog", "check", dir.resolve("missing.json").toString()).exitCode());
    }

    @Test
    void sqlFillsTheDocumentedTablesWithTheSameCatalog() throws Exception {
        final CliRun run = CliRun.run("catalog", "sql", EXAMPLE.toString());
        assertEquals(PublicDataCli.OK, run.exitCode(), run.err());
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:cli-" + UUID.randomUUID());
             Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + Path.of("..", "docs", "catalog-tables.sql").toAbsolutePath() + "' CHARSET 'UTF-8'");
            for (final String insert : run.out().split(";\n")) {
                if (!insert.isBlank()) {
                    statement.execute(insert);
                }
            }
            final Catalog read = CatalogTables.defaults().read(connection);
            final Catalog json = CatalogJson.parse(Files.readString(EXAMPLE));
            assertEquals(json.datasets().stream().map(d -> d.code()).sorted().toList(), read.datasets().stream().map(d -> d.code()).toList());
            assertEquals(21, read.itemCount());
            assertEquals(json.find("household-registry").orElseThrow().registration(), read.find("household-registry").orElseThrow().registration());
        }
    }

    @Test
    void aNameWithAQuoteCannotBreakOutOfItsLiteral() throws Exception {
        final Path tricky = dir.resolve("catalog.json");
        Files.writeString(tricky, Files.readString(EXAMPLE).replace("企业登记信息", "x'); DROP TABLE publicdata_data_item; --"));
        final CliRun run = CliRun.run("catalog", "sql", tricky.toString());
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:cli-" + UUID.randomUUID());
             Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + Path.of("..", "docs", "catalog-tables.sql").toAbsolutePath() + "' CHARSET 'UTF-8'");
            for (final String insert : run.out().split(";\n")) {
                if (!insert.isBlank()) {
                    statement.execute(insert);
                }
            }
            assertEquals("x'); DROP TABLE publicdata_data_item; --", CatalogTables.defaults().read(connection).find("enterprise-registry").orElseThrow().name());
        }
    }
}
