package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the resource catalog from two database tables (DDL for PostgreSQL and H2 in docs/catalog.md): one row per
 * dataset, one row per data item. Plain JDBC, so that a NiFi DBCPService and the command line read it alike.
 */
public final class CatalogTables {

    public static final String DEFAULT_DATASET_TABLE = "publicdata_dataset";
    public static final String DEFAULT_ITEM_TABLE = "publicdata_data_item";

    /** A table name, optionally schema-qualified; nothing else is ever put into the SQL text. */
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(?:\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private final String datasetTable;
    private final String itemTable;

    /** @throws IllegalArgumentException when a table name is not a plain (optionally schema-qualified) identifier */
    public CatalogTables(final String datasetTable, final String itemTable) {
        this.datasetTable = checkTable(datasetTable);
        this.itemTable = checkTable(itemTable);
    }

    public static CatalogTables defaults() {
        return new CatalogTables(DEFAULT_DATASET_TABLE, DEFAULT_ITEM_TABLE);
    }

    /** Whether a text can be a table name here: letters, digits and '_', optionally schema-qualified. */
    public static boolean isTableName(final String name) {
        return name != null && TABLE.matcher(name).matches();
    }

    private static String checkTable(final String name) {
        if (!isTableName(name)) {
            throw new IllegalArgumentException("Table name '" + name + "' must be letters, digits and '_' (optionally schema.table)");
        }
        return name;
    }

    /**
     * SQL that fills the two tables with a catalog, e.g. to move a JSON catalog into a database: one INSERT per dataset
     * and per data item, values as standard SQL string literals.
     */
    public String insertScript(final Catalog catalog) {
        final StringBuilder sql = new StringBuilder();
        for (final Dataset dataset : catalog.datasets()) {
            final Registration registration = dataset.registration();
            sql.append("INSERT INTO ").append(datasetTable).append(" (catalog_code, name, department, domain, open_type, ")
                    .append("registration_number, registration_status, registration_date, update_cycle) VALUES (")
                    .append(String.join(", ", literal(dataset.code()), literal(dataset.name()), literal(dataset.department()),
                            literal(dataset.domain()), literal(dataset.openType().name()), literal(registration.number()),
                            literal(registration.status().name()),
                            registration.date() == null ? "NULL" : "DATE " + literal(registration.date().toString()),
                            literal(dataset.updateCycle().name())))
                    .append(");\n");
        }
        for (final Dataset dataset : catalog.datasets()) {
            for (final DataItem item : dataset.items()) {
                sql.append("INSERT INTO ").append(itemTable).append(" (catalog_code, field_path, item_name, grade, labels) VALUES (")
                        .append(String.join(", ", literal(dataset.code()), literal(item.path().toString()), literal(item.name()),
                                literal(item.grade()), literal(item.labels().isEmpty() ? null : String.join(",", item.labels()))))
                        .append(");\n");
            }
        }
        return sql.toString();
    }

    private static String literal(final String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /**
     * Reads the whole catalog in one read-only pass.
     *
     * @throws SQLException             when the tables cannot be read
     * @throws IllegalArgumentException naming the table, the row and what is wrong with it
     */
    public Catalog read(final Connection connection) throws SQLException {
        final Map<String, List<DataItem>> items = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT catalog_code, field_path, item_name, grade, labels FROM " + itemTable + " ORDER BY catalog_code, field_path");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                final String code = rows.getString(1);
                final String path = rows.getString(2);
                try {
                    if (path == null) {
                        throw new IllegalArgumentException("field_path is empty");
                    }
                    final TreeSet<String> labels = new TreeSet<>();
                    final String labelText = rows.getString(5);
                    if (labelText != null) {
                        Arrays.stream(labelText.split(",")).map(String::strip).filter(l -> !l.isEmpty()).forEach(labels::add);
                    }
                    items.computeIfAbsent(code, c -> new ArrayList<>())
                            .add(new DataItem(FieldPath.parse(path.strip()), rows.getString(3), rows.getString(4), labels));
                } catch (final IllegalArgumentException e) {
                    throw new IllegalArgumentException(itemTable + " row (" + code + ", " + path + "): " + e.getMessage(), e);
                }
            }
        }
        final List<Dataset> datasets = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT catalog_code, name, department, domain, open_type, registration_number, registration_status, "
                        + "registration_date, update_cycle FROM " + datasetTable + " ORDER BY catalog_code");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                final String code = rows.getString(1);
                try {
                    final Registration registration = new Registration(rows.getString(6), RegistrationStatus.parse(rows.getString(7)),
                            rows.getObject(8, LocalDate.class));
                    datasets.add(new Dataset(code, rows.getString(2), rows.getString(3), rows.getString(4),
                            OpenType.parse(rows.getString(5)), registration, UpdateCycle.parse(rows.getString(9)),
                            items.getOrDefault(code, List.of())));
                } catch (final IllegalArgumentException e) {
                    throw new IllegalArgumentException(datasetTable + " row " + code + ": " + e.getMessage(), e);
                }
                items.remove(code);
            }
        }
        if (!items.isEmpty()) {
            throw new IllegalArgumentException(itemTable + " has data items of catalog codes that " + datasetTable
                    + " does not hold: " + new TreeSet<>(items.keySet()));
        }
        try {
            return new Catalog(null, datasets);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(datasetTable + ": " + e.getMessage(), e);
        }
    }
}
