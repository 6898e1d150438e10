package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties over generated catalogs whose every text may hold quotes, backslashes, semicolons, comment markers, line
 * breaks, slashes and stars in field names, and any script: what a catalog says comes back unchanged through its JSON
 * form and through the database tables (no text can end its SQL literal), and the catalog check permits exactly the
 * registered datasets that may be opened.
 */
class CatalogProperties {

    /** Text an attacker would put into a catalog, and ordinary Chinese. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab'\"\\;-/*,%_ \n\t")
                .withChars("数据资源目录登记开放")
                .withCharRange('\u3000', '\u303F')
                .ofMinLength(1).ofMaxLength(16)
                .filter(s -> !s.isBlank())
                .map(String::strip);
    }

    private static Arbitrary<Dataset> dataset(final String code) {
        final Arbitrary<Registration> registration = Arbitraries.oneOf(
                Arbitraries.just(Registration.unregistered()),
                Combinators.combine(text(), Arbitraries.of(RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED),
                        Arbitraries.integers().between(0, 3000)).as((number, status, day) ->
                        new Registration(number, status, LocalDate.of(2020, 1, 1).plusDays(day))));
        final Arbitrary<DataItem> item = Combinators.combine(text(), Arbitraries.of("L1", "L2", "L3", "L4", "L5"),
                text().filter(l -> l.indexOf(',') < 0).set().ofMaxSize(3), Arbitraries.of(true, false))
                .as((name, grade, labels, named) -> new DataItem(FieldPath.ROOT.child(name), named ? name : null, grade, new TreeSet<>(labels)));
        return Combinators.combine(text(), text(), text(), Arbitraries.of(OpenType.values()), registration, Arbitraries.of(UpdateCycle.values()),
                        item.list().ofMaxSize(4).uniqueElements(DataItem::path))
                .as((name, department, domain, openType, reg, cycle, items) -> new Dataset(code, name, department, domain, openType, reg, cycle, items));
    }

    @Provide
    Arbitrary<Catalog> catalogs() {
        final Arbitrary<String> code = text().filter(Dataset::isCatalogCode).filter(c -> c.indexOf('\n') < 0 && c.indexOf('\t') < 0);
        return code.set().ofMinSize(1).ofMaxSize(4)
                .flatMap(codes -> Combinators.combine(codes.stream().map(CatalogProperties::dataset).toList()).as(datasets -> new Catalog(null, datasets)));
    }

    @Property(tries = 200)
    void theJsonFormHoldsEveryCatalogUnchanged(@ForAll("catalogs") final Catalog catalog) {
        final Catalog again = CatalogJson.parse(CatalogJson.write(catalog));
        assertEquals(List.copyOf(catalog.datasets()), List.copyOf(again.datasets()));
        for (final Dataset dataset : catalog.datasets()) {
            assertEquals(dataset, CatalogJson.parseDataset(CatalogJson.write(dataset)));
        }
    }

    /** Attack: a name that ends its SQL literal and runs a statement of its own. It never does. */
    @Property(tries = 40)
    void theTablesHoldEveryCatalogUnchanged(@ForAll("catalogs") final Catalog catalog) throws Exception {
        final Path script = Files.createTempFile("catalog", ".sql");
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:p-" + UUID.randomUUID());
             Statement statement = connection.createStatement()) {
            statement.execute("RUNSCRIPT FROM '" + CatalogTablesTest.DDL.toAbsolutePath() + "' CHARSET 'UTF-8'");
            Files.writeString(script, CatalogTables.defaults().insertScript(catalog));
            statement.execute("RUNSCRIPT FROM '" + script + "' CHARSET 'UTF-8'");
            final Catalog read = CatalogTables.defaults().read(connection);
            final List<Dataset> expected = new ArrayList<>();
            for (final Dataset dataset : catalog.datasets()) {
                expected.add(new Dataset(dataset.code(), dataset.name(), dataset.department(), dataset.domain(), dataset.openType(),
                        dataset.registration(), dataset.updateCycle(),
                        dataset.items().stream().sorted(Comparator.comparing(i -> i.path().toString())).toList()));
            }
            expected.sort(Comparator.comparing(Dataset::code));
            final List<Dataset> actual = new ArrayList<>(read.datasets());
            actual.sort(Comparator.comparing(Dataset::code));
            assertEquals(expected, actual);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Property(tries = 300)
    void onlyRegisteredOpenableDatasetsPass(@ForAll("catalogs") final Catalog catalog) {
        for (final Dataset dataset : catalog.datasets()) {
            final boolean permitted = RegistrationCheck.check(dataset.code(), Optional.of(dataset)).permitted();
            assertEquals(dataset.registration().inForce() && dataset.openType() != OpenType.NOT_OPEN, permitted, dataset.toString());
        }
    }
}
