package io.publicdata.nifi.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.util.MockProcessContext;
import org.apache.nifi.util.MockValidationContext;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockConfigurationContext;
import org.apache.nifi.util.MockControllerServiceLookup;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON file catalog against real files: read, re-read on change, refused when broken. */
class TestJsonFilePublicDataCatalog {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "catalog.json");

    @TempDir
    Path folder;

    private Path file;
    private TestRunner runner;
    private JsonFilePublicDataCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        file = folder.resolve("catalog.json");
        Files.copy(EXAMPLE, file);
        runner = TestRunners.newTestRunner(TestStandardPublicDataKeyProvider.Host.class);
        catalog = new JsonFilePublicDataCatalog();
        runner.addControllerService("catalog", catalog);
        runner.setProperty(catalog, JsonFilePublicDataCatalog.CATALOG_FILE, file.toString());
    }

    /** Writes new content with a modification time surely different from the last one, as an editor would. */
    private void rewrite(final String content) throws IOException {
        final FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
    }

    private JsonNode entry(final String code) throws IOException {
        return MAPPER.readTree(catalog.dataset(code).orElseThrow());
    }

    @Test
    void givesEachDatasetAsItsCatalogEntry() throws Exception {
        runner.enableControllerService(catalog);
        final JsonNode enterprises = entry("enterprise-registry");
        assertEquals("济南市市场监督管理局", enterprises.get("department").asText());
        assertEquals("CONDITIONAL", enterprises.get("openType").asText());
        assertEquals("JNGGSJ-2025-000101", enterprises.get("registration").get("number").asText());
        assertEquals("L3", enterprises.get("items").get(3).get("grade").asText());
        assertEquals("CONDITIONAL", entry("social-insurance").get("openType").asText(), "Chinese terms are handed out as codes");
        assertEquals("UNREGISTERED", entry("business-permits").get("registration").get("status").asText());
        assertEquals(Optional.empty(), catalog.dataset("no-such-dataset"));
        assertEquals(Optional.empty(), catalog.dataset("Enterprise-Registry"), "codes are exact");
    }

    @Test
    void aChangedFileIsReadAgain() throws Exception {
        runner.enableControllerService(catalog);
        assertEquals("CONDITIONAL", entry("enterprise-registry").get("openType").asText());
        rewrite(Files.readString(EXAMPLE).replace("\"openType\": \"CONDITIONAL\"", "\"openType\": \"NOT_OPEN\""));
        assertEquals("NOT_OPEN", entry("enterprise-registry").get("openType").asText());
    }

    @Test
    void aFileReplacedByRenameIsReadAgain() throws Exception {
        runner.enableControllerService(catalog);
        final Path next = folder.resolve(".catalog.json.new");
        Files.writeString(next, Files.readString(EXAMPLE).replace("\"status\": \"REGISTERED\", \"date\": \"2025-03-01\"",
                "\"status\": \"CANCELLED\", \"date\": \"2025-09-30\""));
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals("CANCELLED", entry("enterprise-registry").get("registration").get("status").asText());
    }

    @Test
    void aFileThatBreaksFailsEveryLookupUntilFixedNeverTheOldContent() throws Exception {
        runner.enableControllerService(catalog);
        rewrite(Files.readString(EXAMPLE).replace("\"openType\": \"NOT_OPEN\"", "\"openType\": \"NOTOPEN\""));
        final ProcessException e = assertThrows(ProcessException.class, () -> catalog.dataset("enterprise-registry"));
        assertTrue(e.getMessage().startsWith("The catalog changed and cannot be used until it is fixed: Catalog file " + file
                + " is not a valid catalog: dataset 3 (household-registry): Open type 'NOTOPEN' is not one of"), e.getMessage());
        assertThrows(ProcessException.class, () -> catalog.dataset("household-registry"), "still broken, still refused");

        rewrite(Files.readString(EXAMPLE));
        assertEquals("NOT_OPEN", entry("household-registry").get("openType").asText());
    }

    @Test
    void aDeletedFileFailsLookups() throws Exception {
        runner.enableControllerService(catalog);
        Files.delete(file);
        final ProcessException e = assertThrows(ProcessException.class, () -> catalog.dataset("enterprise-registry"));
        assertTrue(e.getMessage().endsWith("Catalog file " + file + " does not exist"), e.getMessage());
    }

    @Test
    void aBrokenCatalogIsInvalidConfigurationWithAClearMessage() throws Exception {
        Files.writeString(file, "{\"datasets\": [{\"code\": \"d1\"}]}");
        runner.assertNotValid(catalog);
        final String explanation = validation().toString();
        assertTrue(explanation.contains("is not a valid catalog: dataset 1 (d1) has no \"name\""), explanation);
        assertThrows(IllegalStateException.class, () -> runner.enableControllerService(catalog));

        Files.writeString(file, "not json");
        assertTrue(validation().toString().contains("is not valid JSON"));
        Files.delete(file);
        runner.assertNotValid(catalog);

        Files.copy(EXAMPLE, file);
        runner.assertValid(catalog);
    }

    @Test
    void verificationSaysWhatTheCatalogHolds() throws Exception {
        final List<ConfigVerificationResult> results = verify();
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, results.getFirst().getOutcome());
        assertEquals(file + ": 5 datasets (4 registered, 2 不予开放), 21 data items", results.getFirst().getExplanation());

        Files.writeString(file, "{\"datasets\": [], \"extra\": 1}");
        final ConfigVerificationResult failed = verify().getFirst();
        assertEquals(ConfigVerificationResult.Outcome.FAILED, failed.getOutcome());
        assertTrue(failed.getExplanation().contains("the catalog has an unknown key \"extra\""), failed.getExplanation());
    }

    /** What NiFi shows on the service when it validates it. */
    private Collection<ValidationResult> validation() {
        final ValidationContext context = new MockValidationContext((MockProcessContext) runner.getProcessContext(),
                runner.getStateManager(catalog)).getControllerServiceValidationContext(catalog);
        return catalog.validate(context);
    }

    private List<ConfigVerificationResult> verify() {
        final MockConfigurationContext context = new MockConfigurationContext(catalog,
                Map.of(JsonFilePublicDataCatalog.CATALOG_FILE, file.toString()), new MockControllerServiceLookup() {
        }, Map.of());
        return catalog.verify(context, runner.getLogger(), Map.of());
    }

    @Test
    void aDisabledServiceGivesNothing() throws InitializationException {
        runner.enableControllerService(catalog);
        runner.disableControllerService(catalog);
        assertThrows(ProcessException.class, () -> catalog.dataset("enterprise-registry"));
    }
}
