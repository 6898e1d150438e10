package io.publicdata.nifi.cli;

import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.CatalogJson;
import io.publicdata.nifi.catalog.CatalogTables;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.catalog.OpenType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** {@code publicdata catalog ...}: check a JSON resource catalog, and move it into the catalog tables. See docs/catalog.md. */
@Command(name = "catalog",
        description = "The resource catalog (资源目录): check a catalog file, or print the SQL that fills the catalog tables with it.",
        mixinStandardHelpOptions = true)
final class CatalogCommands {

    @Spec
    private CommandSpec spec;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Read a JSON catalog and list its datasets; exit code 1 and the reason when it is not a valid catalog.")
    int check(@Parameters(paramLabel = "CATALOG", description = "The catalog's JSON file.") final Path file) throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final Catalog catalog;
        try {
            catalog = read(file);
        } catch (final IllegalArgumentException e) {
            out.println("INVALID " + file + ": " + e.getMessage());
            return PublicDataCli.DENIED;
        }
        final long notOpen = catalog.datasets().stream().filter(d -> d.openType() == OpenType.NOT_OPEN).count();
        final long inForce = catalog.datasets().stream().filter(d -> d.registration().inForce()).count();
        out.println("VALID " + catalog.datasets().size() + " datasets (" + inForce + " registered, " + notOpen + " "
                + OpenType.NOT_OPEN.term() + "), " + catalog.itemCount() + " data items");
        for (final Dataset dataset : catalog.datasets()) {
            out.println("  " + dataset.code() + "  " + dataset.name() + "  " + dataset.openType().term() + "  "
                    + dataset.registration().status().term() + "  " + dataset.items().size() + " data items");
        }
        return PublicDataCli.OK;
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = "Print the INSERT statements that fill the catalog tables (docs/catalog-tables.sql) with a JSON catalog.")
    int sql(@Option(names = "--dataset-table", defaultValue = CatalogTables.DEFAULT_DATASET_TABLE, description = "Default: ${DEFAULT-VALUE}")
            final String datasetTable,
            @Option(names = "--item-table", defaultValue = CatalogTables.DEFAULT_ITEM_TABLE, description = "Default: ${DEFAULT-VALUE}")
            final String itemTable,
            @Parameters(paramLabel = "CATALOG", description = "The catalog's JSON file.") final Path file) throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        out.print(new CatalogTables(datasetTable, itemTable).insertScript(read(file)));
        // print() is not flushed by itself, and the command line exits right after
        out.flush();
        return PublicDataCli.OK;
    }

    static Catalog read(final Path file) throws IOException {
        return CatalogJson.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads the catalog tables of a database, as DatabasePublicDataCatalog does. The JDBC driver must be on the class
     * path: {@code java -cp nifi-publicdata-cli.jar:postgresql.jar io.publicdata.nifi.cli.PublicDataCli ...}.
     *
     * @param passwordFile a file holding the password (its first line), or null for none
     */
    static Catalog read(final String url, final String user, final Path passwordFile, final CatalogTables tables) throws IOException {
        final String password = passwordFile == null ? null : Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setReadOnly(true);
            return tables.read(connection);
        } catch (final SQLException e) {
            throw new IllegalArgumentException("the catalog tables cannot be read from " + url.split("\\?")[0] + ": " + e.getMessage(), e);
        }
    }
}
