package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.services.JsonFilePublicDataCatalog;
import io.publicdata.nifi.services.PublicDataCatalog;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EnforceGrantScope with a resource catalog: registration and open type decide whatever the grant says; pricing fits the purpose. */
class TestEnforceGrantScopeCatalog {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "catalog.json");
    private static final String GRANTEE = "91110105MA01ABCD1X";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T01:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path catalogFile;
    private TestRunner runner;
    private String records;

    @BeforeEach
    void setUp() throws Exception {
        catalogFile = dir.resolve("catalog.json");
        Files.copy(EXAMPLE, catalogFile);
        runner = TestRunners.newTestRunner(new EnforceGrantScope(CLOCK));
        RecordTestSupport.useJson(runner);
        // A grant that covers every dataset: only the catalog can keep one out
        runner.setProperty(GrantProperties.GRANT_ID, "GR-2025-0001");
        runner.setProperty(GrantProperties.GRANTEE, GRANTEE);
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "WHOLE");
        runner.setProperty(GrantProperties.PURPOSES, "*");
        runner.setProperty(GrantProperties.DATASETS, "*");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/**");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L3");
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        useCatalog(new JsonFilePublicDataCatalog());
        records = resource(TestEnforceGrantScope.class, "applicants.json");
    }

    private void useCatalog(final PublicDataCatalog catalog) throws Exception {
        runner.addControllerService("catalog", catalog);
        if (catalog instanceof JsonFilePublicDataCatalog) {
            runner.setProperty(catalog, JsonFilePublicDataCatalog.CATALOG_FILE, catalogFile.toString());
        }
        runner.enableControllerService(catalog);
        runner.setProperty(EnforceGrantScope.CATALOG, "catalog");
    }

    private static Map<String, String> use(final String dataset) {
        final Map<String, String> attributes = new HashMap<>(Map.of(PublicDataAttributes.USE_GRANTEE, GRANTEE,
                PublicDataAttributes.USE_PURPOSE, "数据产品开发", PublicDataAttributes.RECORD_COUNT, "4"));
        attributes.put(PublicDataAttributes.DATASET, dataset);
        return attributes;
    }

    private MockFlowFile only(final Relationship relationship) {
        final List<MockFlowFile> flowFiles = runner.getFlowFilesForRelationship(relationship);
        assertEquals(1, flowFiles.size(), relationship.getName() + " in " + runner.getFlowFilesForRelationship(EnforceGrantScope.REL_FAILURE));
        return flowFiles.getFirst();
    }

    private MockFlowFile deniedWhole(final String dataset) {
        runner.clearTransferState();
        runner.enqueue(records, use(dataset));
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_UNAUTHORIZED, 1);
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(records);
        denied.assertAttributeEquals(PublicDataAttributes.DECISION, "DENY");
        return denied;
    }

    @Test
    void aRegisteredDatasetPassesWithItsCatalogFacts() {
        runner.enqueue(records, use("enterprise-registry"));
        runner.run();
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_NAME, "企业登记信息");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_DEPARTMENT, "济南市市场监督管理局");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_DOMAIN, "市场监管");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_OPEN_TYPE, "CONDITIONAL");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION, "REGISTERED");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION_NUMBER, "JNGGSJ-2025-000101");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION_DATE, "2025-03-01");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_UPDATE_CYCLE, "DAILY");
        // The records above the grant's L3 still go their way, with their count per code
        final MockFlowFile unauthorized = only(EnforceGrantScope.REL_UNAUTHORIZED);
        unauthorized.assertAttributeEquals(PublicDataAttributes.DENY_COUNTS, "GRADE_EXCEEDS_GRANT=2");
        unauthorized.assertAttributeEquals(PublicDataAttributes.CATALOG_NAME, "企业登记信息");
    }

    @Test
    void aDatasetNotToBeOpenedIsDeniedWhateverTheGrantSays() {
        final MockFlowFile denied = deniedWhole("household-registry");
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "DATASET_NOT_OPEN: dataset household-registry is not to be opened (不予开放) according to the resource catalog; no grant authorizes its use");
        denied.assertAttributeEquals(PublicDataAttributes.DENY_COUNTS, "DATASET_NOT_OPEN=4");
        denied.assertAttributeEquals(PublicDataAttributes.CATALOG_OPEN_TYPE, "NOT_OPEN");
        denied.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        assertTrue(runner.getProvenanceEvents().getFirst().getDetails().startsWith("DENY DATASET_NOT_OPEN: dataset household-registry"),
                runner.getProvenanceEvents().getFirst().getDetails());
    }

    @Test
    void anUnregisteredOrUnknownDatasetIsDenied() {
        deniedWhole("business-permits").assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "DATASET_NOT_REGISTERED: dataset business-permits is not registered (未登记) in the resource catalog");
        final MockFlowFile unknown = deniedWhole("GOV-UNKNOWN-404");
        unknown.assertAttributeEquals(PublicDataAttributes.DENY_REASON, "DATASET_NOT_REGISTERED: dataset GOV-UNKNOWN-404 is not in the resource catalog (资源目录)");
        unknown.assertAttributeNotExists(PublicDataAttributes.CATALOG_NAME);
    }

    /** Attack: other writings of a dataset's code. Blanks around it are the same dataset; any other spelling is not in the catalog. */
    @Test
    void anotherWritingOfTheCodeDoesNotGetPastTheCatalog() {
        deniedWhole(" household-registry\t").assertAttributeEquals(PublicDataAttributes.DENY_COUNTS, "DATASET_NOT_OPEN=4");
        for (final String writing : List.of("Household-Registry", "household_registry", "household-registry\u200b", "ｈousehold-registry")) {
            deniedWhole(writing).assertAttributeEquals(PublicDataAttributes.DENY_COUNTS, "DATASET_NOT_REGISTERED=4");
        }
        final Map<String, String> none = use("x");
        none.remove(PublicDataAttributes.DATASET);
        runner.clearTransferState();
        runner.enqueue(records, none);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "CONTEXT_MISSING: the use names no dataset (资源目录编码) to look up in the resource catalog");
    }

    /** Attack: the registration is cancelled while the flow runs; the next FlowFile must not pass. */
    @Test
    void aRegistrationCancelledInTheCatalogStopsTheNextFlowFile() throws Exception {
        runner.enqueue(records, use("enterprise-registry"));
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED);
        final FileTime before = Files.getLastModifiedTime(catalogFile);
        Files.writeString(catalogFile, Files.readString(EXAMPLE).replace("\"status\": \"REGISTERED\", \"date\": \"2025-03-01\"",
                "\"status\": \"CANCELLED\", \"date\": \"2025-05-31\""));
        Files.setLastModifiedTime(catalogFile, FileTime.fromMillis(before.toMillis() + 2000));
        deniedWhole("enterprise-registry").assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "DATASET_NOT_REGISTERED: the registration JNGGSJ-2025-000101 of dataset enterprise-registry was cancelled (已注销) on 2025-05-31");
    }

    /** A catalog that breaks decides nothing: the FlowFile goes to failure unchanged, saying why, and can be tried again. */
    @Test
    void aBrokenCatalogSendsFlowFilesToFailureUnchanged() throws Exception {
        final FileTime before = Files.getLastModifiedTime(catalogFile);
        Files.writeString(catalogFile, "{\"datasets\": [");
        Files.setLastModifiedTime(catalogFile, FileTime.fromMillis(before.toMillis() + 2000));
        runner.enqueue(records, use("enterprise-registry"));
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_FAILURE, 1);
        final MockFlowFile failed = only(EnforceGrantScope.REL_FAILURE);
        failed.assertContentEquals(records);
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE)
                .startsWith("The catalog changed and cannot be used until it is fixed: Catalog file " + catalogFile + " is not a valid catalog"),
                failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));
        failed.assertAttributeNotExists(PublicDataAttributes.DECISION);
    }

    /** A catalog service of another NAR that answers with the entry of another dataset is not believed. */
    static final class MisansweringCatalog extends AbstractControllerService implements PublicDataCatalog {
        @Override
        public Optional<String> dataset(final String catalogCode) {
            return Optional.of("{\"code\": \"enterprise-registry\", \"name\": \"企业登记信息\", \"department\": \"d\", \"domain\": \"x\", "
                    + "\"openType\": \"CONDITIONAL\", \"updateCycle\": \"DAILY\", \"registration\": {\"number\": \"R\", \"status\": \"REGISTERED\", \"date\": \"2025-01-01\"}}");
        }
    }

    @Test
    void anEntryOfAnotherDatasetIsNotBelieved() throws Exception {
        runner.removeProperty(EnforceGrantScope.CATALOG);
        runner.disableControllerService(runner.getControllerService("catalog"));
        runner.removeControllerService(runner.getControllerService("catalog"));
        useCatalog(new MisansweringCatalog());
        runner.enqueue(records, use("household-registry"));
        runner.run();
        final MockFlowFile failed = only(EnforceGrantScope.REL_FAILURE);
        failed.assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE,
                "The catalog answered for dataset household-registry with the entry of dataset enterprise-registry");
    }

    /** 3(6): a grant priced 政府指导价 does not serve a public-governance use, nor one priced 有条件无偿使用 an industry product. */
    @Test
    void theUsesPurposeCategoryMustFitTheGrantsPricing() throws Exception {
        final KeyPair issuer = SignatureAlgorithm.ED25519.generateKeyPair();
        final ObjectNode grant = (ObjectNode) new ObjectMapper().readTree("""
                {"id": "GR-2025-0077", "issuer": "济南市大数据局", "grantee": "91110105MA01ABCD1X", "mode": "WHOLE",
                 "purposes": ["*"], "datasets": ["enterprise-registry"], "permittedFields": ["/**"], "maximumGrade": "L4",
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2026-01-01T00:00:00+08:00",
                 "status": "ACTIVE", "pricing": "COMMERCIAL"}""");
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, new String(GrantDocument.sign(grant, issuer.getPrivate(), issuer.getPublic())));
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(issuer.getPublic()));

        final Map<String, String> governance = use("enterprise-registry");
        governance.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, "公共治理");
        runner.enqueue(records, governance);
        runner.run();
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON, "PRICING_MISMATCH: a use for 公共治理 needs a grant priced 有条件无偿使用 "
                + "(PUBLIC_WELFARE); grant GR-2025-0077 is priced 政府指导价有偿使用 (COMMERCIAL)");
        denied.assertAttributeEquals(PublicDataAttributes.DENY_COUNTS, "PRICING_MISMATCH=4");

        runner.clearTransferState();
        final Map<String, String> product = use("enterprise-registry");
        product.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, "产业发展");
        runner.enqueue(records, product);
        runner.run();
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        // The L4 applicant stays behind: a signed grant up to L4 requires no protection, the floor does (and nothing showed it)
        authorized.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        authorized.assertAttributeEquals(PublicDataAttributes.CATALOG_REGISTRATION, "REGISTERED");
        // The grant's facts travel with the data, for lineage and the disclosure report
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_ISSUER, "济南市大数据局");
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_MODE, "WHOLE");
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_VALID_FROM, "2025-01-01T00:00:00+08:00");
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_PRICING, "COMMERCIAL");
        denied.assertAttributeEquals(PublicDataAttributes.GRANT_PRICING, "COMMERCIAL");
    }
}
