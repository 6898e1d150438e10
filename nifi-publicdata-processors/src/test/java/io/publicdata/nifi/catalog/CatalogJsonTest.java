package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogJsonTest {

    /** The example catalog of the documentation, which the sandbox's database is filled from as well. */
    static final Path EXAMPLE = Path.of("..", "docs", "examples", "catalog.json");

    static String example() throws IOException {
        return Files.readString(EXAMPLE);
    }

    private static String dataset(final String fields) {
        return "{\"datasets\": [{\"code\": \"d1\", \"name\": \"企业登记信息\", \"department\": \"市场监管局\", \"domain\": \"市场监管\", "
                + "\"openType\": \"CONDITIONAL\", \"updateCycle\": \"DAILY\", "
                + "\"registration\": {\"number\": \"R-1\", \"status\": \"REGISTERED\", \"date\": \"2025-03-01\"}" + fields + "}]}";
    }

    @Test
    void readsTheDocumentedExample() throws IOException {
        final Catalog catalog = CatalogJson.parse(example());
        assertEquals("济南市公共数据资源目录（示例）", catalog.title().orElseThrow());
        assertEquals(List.of("enterprise-registry", "social-insurance", "household-registry", "community-corrections", "business-permits"),
                catalog.datasets().stream().map(Dataset::code).toList());
        final Dataset enterprises = catalog.find("enterprise-registry").orElseThrow();
        assertEquals("济南市市场监督管理局", enterprises.department());
        assertEquals(OpenType.CONDITIONAL, enterprises.openType());
        assertEquals(new Registration("JNGGSJ-2025-000101", RegistrationStatus.REGISTERED, LocalDate.of(2025, 3, 1)), enterprises.registration());
        assertEquals(UpdateCycle.DAILY, enterprises.updateCycle());
        assertEquals(10, enterprises.items().size());
        final DataItem id = enterprises.items().get(3);
        assertEquals(FieldPath.parse("/legalRepresentativeId"), id.path());
        assertEquals("法定代表人身份证号", id.name());
        assertEquals("L3", id.grade());
        assertEquals(Set.of("PERSONAL_ID"), id.labels());

        final Dataset insurance = catalog.find("social-insurance").orElseThrow();
        assertEquals(OpenType.CONDITIONAL, insurance.openType(), "有条件开放 is read as CONDITIONAL");
        assertEquals(RegistrationStatus.REGISTERED, insurance.registration().status(), "已登记 is read as REGISTERED");
        assertEquals(UpdateCycle.MONTHLY, insurance.updateCycle(), "每月 is read as MONTHLY");
        assertEquals(OpenType.NOT_OPEN, catalog.find("household-registry").orElseThrow().openType());
        assertFalse(catalog.find("business-permits").orElseThrow().registration().inForce());
        assertEquals(21, catalog.itemCount());
        assertTrue(catalog.find("unknown").isEmpty());
        assertTrue(catalog.find(null).isEmpty());
    }

    @Test
    void whatIsWrittenReadsBackEqual() throws IOException {
        final Catalog catalog = CatalogJson.parse(example());
        final Catalog again = CatalogJson.parse(CatalogJson.write(catalog));
        assertEquals(List.copyOf(catalog.datasets()), List.copyOf(again.datasets()));
        assertEquals(catalog.title(), again.title());
        for (final Dataset dataset : catalog.datasets()) {
            assertEquals(dataset, CatalogJson.parseDataset(CatalogJson.write(dataset)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key, a typo never weakens an entry | , \"opentype\": \"NOT_OPEN\" | dataset 1 (d1) has an unknown key \"opentype\"",
            "repeated key, the second could undo the first | , \"openType\": \"NOT_OPEN\" | Duplicate field 'openType'",
            "any unknown key | , \"items\": [], \"x\": 1 | dataset 1 (d1) has an unknown key \"x\"",
            "data item without grade | , \"items\": [{\"path\": \"/idCard\"}] | data item 1 (/idCard) has no \"grade\"",
            "data item listed twice | , \"items\": [{\"path\": \"/a\", \"grade\": \"L1\"}, {\"path\": \"/a\", \"grade\": \"L3\"}] | dataset d1 lists data item /a twice",
            "path without slash | , \"items\": [{\"path\": \"idCard\", \"grade\": \"L3\"}] | 'idCard' is not a field path",
            "a pattern over many fields | , \"items\": [{\"path\": \"/**/idCard\", \"grade\": \"L3\"}] | must name one field",
            "a star inside a name | , \"items\": [{\"path\": \"/id*\", \"grade\": \"L3\"}] | stands only for a whole segment",
            "labels not strings | , \"items\": [{\"path\": \"/a\", \"grade\": \"L3\", \"labels\": [1]}] | \"labels\" must be an array of strings",
            "label with a comma cannot be stored in a table | , \"items\": [{\"path\": \"/a\", \"grade\": \"L3\", \"labels\": [\"A,B\"]}] | holds a comma",
    })
    void aBrokenDatasetIsRefusedSayingWhere(final String what, final String extra, final String expected) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(dataset(extra)), what);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "open type | \"openType\": \"CONDITIONAL\" | \"openType\": \"OPEN\" | Open type 'OPEN' is not one of UNCONDITIONAL (无条件开放), CONDITIONAL (有条件开放), NOT_OPEN (不予开放)",
            "status | \"status\": \"REGISTERED\" | \"status\": \"登记\" | Registration status '登记' is not one of",
            "registered without number | \"number\": \"R-1\", | | needs its registration number and date",
            "date | \"2025-03-01\" | \"2025/03/01\" | registration date '2025/03/01' is not a date like 2025-03-01",
            "update cycle | \"DAILY\" | \"daily\" | Update cycle 'daily' is not one of",
            "blank name | \"name\": \"企业登记信息\" | \"name\": \" \" | dataset 1 (d1) has no \"name\"",
            "control character in the code | \"code\": \"d1\" | \"code\": \"d\\u00001\" | must be 1 to 128 characters without control characters",
    })
    void aWrongValueIsRefusedNamingWhatIsAllowed(final String what, final String from, final String to, final String expected) {
        final String json = dataset("").replace(from, to == null ? "" : to);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(json), what);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aFieldWhoseNameHoldsASlashIsOneFieldAndStaysOne() {
        final Catalog catalog = CatalogJson.parse(dataset(", \"items\": [{\"path\": \"/applicant\\\\/idCard\", \"grade\": \"L3\"}]"));
        final DataItem item = catalog.find("d1").orElseThrow().items().getFirst();
        assertEquals(FieldPath.ROOT.child("applicant/idCard"), item.path());
        assertEquals(item, CatalogJson.parse(CatalogJson.write(catalog)).find("d1").orElseThrow().items().getFirst());
    }

    @Test
    void twoDatasetsWithOneCodeAreRefused() {
        final String one = dataset("");
        final String entry = one.substring(one.indexOf('[') + 1, one.lastIndexOf(']'));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CatalogJson.parse("{\"datasets\": [" + entry + ", " + entry + "]}"));
        assertEquals("The catalog is invalid: catalog code d1 appears twice", e.getMessage());
    }

    @Test
    void notJsonOrNoDatasetsIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("{\"datasets\": [")).getMessage()
                .startsWith("The catalog is not valid JSON"));
        assertEquals("The catalog needs a \"datasets\" array",
                assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("{\"title\": \"x\"}")).getMessage());
        assertEquals("The catalog is empty", assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("{\"datasets\": []} {}")).getMessage()
                .startsWith("The catalog is not valid JSON"), "trailing content is refused");
    }

    @Test
    void unregisteredNeedsNoNumberAndIsNotInForce() {
        final Dataset dataset = CatalogJson.parse(dataset("").replace(
                "{\"number\": \"R-1\", \"status\": \"REGISTERED\", \"date\": \"2025-03-01\"}", "{\"status\": \"未登记\"}")).find("d1").orElseThrow();
        assertEquals(Registration.unregistered(), dataset.registration());
        assertEquals("UNREGISTERED", dataset.registration().summary());
        final Dataset cancelled = CatalogJson.parse(dataset("").replace("\"REGISTERED\"", "\"已注销\"")).find("d1").orElseThrow();
        assertFalse(cancelled.registration().inForce());
        assertEquals("CANCELLED R-1 2025-03-01", cancelled.registration().summary());
        assertEquals(new TreeSet<>(), new TreeSet<>(dataset.items()));
    }
}
