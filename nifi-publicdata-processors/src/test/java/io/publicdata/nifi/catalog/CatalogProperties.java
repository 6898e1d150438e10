package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Properties over generated catalogs whose every text may hold quotes, backslashes, semicolons, comment markers, line
 * breaks, slashes and stars in field names, and Chinese: what a catalog says comes back unchanged through its JSON form
 * and through the database tables (no text can end its SQL literal), and the catalog check permits exactly the
 * registered datasets that may be opened. Fixed seeds: a failure reproduces.
 */
class CatalogProperties {

    /** What an attacker would put into a catalog's texts, and ordinary Chinese. */
    private static final String CHARACTERS = "ab'\"\\;-/*,%_ \n\t数据资源目录登记开放、。「」";
    /** The same without blanks and control characters: what a text starts with, and what a catalog code holds. */
    private static final String VISIBLE = CHARACTERS.replaceAll("[\\s]", "");

    private static Gen<String> from(final String characters, final int maxLength) {
        return lists().of(integers().between(0, characters.length() - 1).map(characters::charAt)).ofSizeBetween(1, maxLength)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /** A text that is not blank: it starts with a visible character, then anything, blanks and line breaks included. */
    private static Gen<String> text() {
        return from(VISIBLE, 1).zip(from(CHARACTERS, 15), (first, rest) -> (first + rest).strip());
    }

    /** Labels are stored comma-separated: no comma in one. */
    private static Gen<String> label() {
        return from(VISIBLE.replace(",", ""), 8);
    }

    private static Gen<Registration> registrations() {
        final Gen<Registration> registered = text().zip(arbitrary().pick(RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED),
                integers().between(0, 3000), (number, status, day) -> new Registration(number, status, LocalDate.of(2020, 1, 1).plusDays(day)));
        return arbitrary().constant(Registration.unregistered()).mix(registered, 70);
    }

    private static Gen<DataItem> items() {
        final Gen<TreeSet<String>> labels = lists().of(label()).ofSizeBetween(0, 3).map(TreeSet::new);
        return text().zip(arbitrary().pick("L1", "L2", "L3", "L4", "L5"), labels, booleans().all(),
                (name, grade, labelSet, named) -> new DataItem(FieldPath.ROOT.child(name), named ? name : null, grade, labelSet));
    }

    private static Gen<Dataset> dataset(final String code) {
        final Gen<List<DataItem>> itemLists = lists().of(items()).ofSizeBetween(0, 4).map(list -> {
            final Map<FieldPath, DataItem> unique = new LinkedHashMap<>();
            list.forEach(item -> unique.putIfAbsent(item.path(), item));
            return List.copyOf(unique.values());
        });
        final Gen<String[]> texts = text().zip(text(), text(), (a, b, c) -> new String[] {a, b, c});
        return texts.zip(arbitrary().enumValues(OpenType.class), registrations(), arbitrary().enumValues(UpdateCycle.class), itemLists,
                (t, openType, registration, cycle, list) -> new Dataset(code, t[0], t[1], t[2], openType, registration, cycle, list));
    }

    /** Catalogs of one to four datasets with distinct codes. */
    private static Gen<Catalog> catalogs() {
        final Gen<String> code = from(VISIBLE, 12);
        return lists().of(code).ofSizeBetween(1, 4).map(codes -> List.copyOf(new TreeSet<>(codes))).flatMap(codes -> {
            Gen<List<Dataset>> datasets = arbitrary().constant(List.of());
            for (final String each : codes) {
                datasets = datasets.zip(dataset(each), (list, dataset) -> {
                    final List<Dataset> longer = new ArrayList<>(list);
                    longer.add(dataset);
                    return longer;
                });
            }
            return datasets.map(list -> new Catalog(null, list));
        });
    }

    @Test
    void theJsonFormHoldsEveryCatalogUnchanged() {
        qt().withFixedSeed(20261126L).withExamples(300).forAll(catalogs()).checkAssert(catalog -> {
            final Catalog again = CatalogJson.parse(CatalogJson.write(catalog));
            assertEquals(List.copyOf(catalog.datasets()), List.copyOf(again.datasets()));
            for (final Dataset dataset : catalog.datasets()) {
                assertEquals(dataset, CatalogJson.parseDataset(CatalogJson.write(dataset)));
            }
        });
    }

    /** Attack: a name that ends its SQL literal and runs a statement of its own. It never does. */
    @Test
    void theTablesHoldEveryCatalogUnchanged() {
        qt().withFixedSeed(20261127L).withExamples(60).forAll(catalogs()).checkAssert(catalog -> {
            try {
                final Path script = Files.createTempFile("catalog", ".sql");
                try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:p-" + UUID.randomUUID());
                     Statement statement = connection.createStatement()) {
                    statement.execute("RUNSCRIPT FROM '" + CatalogTablesTest.DDL.toAbsolutePath() + "' CHARSET 'UTF-8'");
                    Files.writeString(script, CatalogTables.defaults().insertScript(catalog));
                    statement.execute("RUNSCRIPT FROM '" + script + "' CHARSET 'UTF-8'");
                    final List<Dataset> expected = new ArrayList<>();
                    for (final Dataset dataset : catalog.datasets()) {
                        expected.add(new Dataset(dataset.code(), dataset.name(), dataset.department(), dataset.domain(), dataset.openType(),
                                dataset.registration(), dataset.updateCycle(),
                                dataset.items().stream().sorted(Comparator.comparing(i -> i.path().toString())).toList()));
                    }
                    expected.sort(Comparator.comparing(Dataset::code));
                    final List<Dataset> actual = new ArrayList<>(CatalogTables.defaults().read(connection).datasets());
                    actual.sort(Comparator.comparing(Dataset::code));
                    assertEquals(expected, actual);
                } finally {
                    Files.deleteIfExists(script);
                }
            } catch (final Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void onlyRegisteredOpenableDatasetsPass() {
        qt().withFixedSeed(20261128L).withExamples(500).forAll(catalogs()).checkAssert(catalog -> {
            for (final Dataset dataset : catalog.datasets()) {
                final boolean permitted = RegistrationCheck.check(dataset.code(), Optional.of(dataset)).permitted();
                assertEquals(dataset.registration().inForce() && dataset.openType() != OpenType.NOT_OPEN, permitted, dataset.toString());
            }
        });
    }
}
