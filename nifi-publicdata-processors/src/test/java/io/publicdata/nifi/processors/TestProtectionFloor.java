package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protection floor on the real chain ClassifyRecord → [ProtectRecord] → EnforceGrantScope with NiFi's JSON reader and
 * writer: the two attacks of the issue (a grant up to L4 without required protection released L4 in clear; a grant up to
 * L5 with L3=MASK released core data merely masked), through properties and through a signed grant, and a deployment
 * that raises the floor.
 */
class TestProtectionFloor {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Record 1 is L4 (its salary), record 2 L1, record 3 L5 (its secret). */
    private static final String RECORDS = "[{\"id\": 1, \"name\": \"张三\", \"salary\": 8123, \"district\": \"朝阳区\"},"
            + " {\"id\": 2, \"district\": \"海淀区\"}, {\"id\": 3, \"secret\": \"核心机密甲\", \"district\": \"西城区\"}]";
    private static final String RULES = """
            {"rules": [{"path": "/id", "grade": "L1", "detect": false}, {"path": "/district", "grade": "L1"},
                       {"path": "/name", "grade": "L3", "labels": ["PERSON_NAME"]},
                       {"path": "/salary", "grade": "L4", "labels": ["FINANCIAL"]}, {"path": "/secret", "grade": "L5"}]}""";
    private static final Map<String, String> USE = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核");

    private static MockFlowFile classified() throws Exception {
        final TestRunner classify = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(classify);
        classify.setProperty(ClassifyRecord.CLASSIFICATION_RULES, RULES);
        classify.setProperty(ClassifyRecord.DATASET, "GOV-CIVIL-001");
        classify.enqueue(RECORDS, USE);
        classify.run();
        classify.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        return classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
    }

    private static MockFlowFile protect(final MockFlowFile in, final String methodsByGrade) throws Exception {
        final TestRunner protect = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useJson(protect);
        RecordTestSupport.useKeys(protect, ProtectRecord.KEY_PROVIDER, "k1", "k1", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        protect.setProperty(ProtectRecord.METHODS_BY_GRADE, methodsByGrade);
        protect.enqueue(in.getContent(), in.getAttributes());
        protect.run();
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        return protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
    }

    private static TestRunner enforce(final Consumer<TestRunner> grant) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(EnforceGrantScope.class);
        RecordTestSupport.useJson(runner);
        runner.setProperty(GrantProperties.GRANT_ID, "GR-2025-0001");
        runner.setProperty(GrantProperties.GRANTEE, USE.get(PublicDataAttributes.USE_GRANTEE));
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "DOMAIN");
        runner.setProperty(GrantProperties.DOMAINS, "民政");
        runner.setProperty(GrantProperties.PURPOSES, "救助审核");
        runner.setProperty(GrantProperties.DATASETS, "GOV-CIVIL-001");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/**");
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2099-01-01T00:00:00+08:00");
        grant.accept(runner);
        return runner;
    }

    /** What came out: authorized record ids, and each unauthorized FlowFile's reason. */
    private record Outcome(List<Long> authorized, List<String> reasons, String releasedText, List<String> provenance) {
    }

    /** @param in the FlowFile to enqueue, or null when it is already queued */
    private static Outcome run(final TestRunner enforce, final MockFlowFile in) throws Exception {
        if (in != null) {
            enforce.enqueue(in.getContent(), in.getAttributes());
        }
        enforce.run();
        final List<Long> ids = new ArrayList<>();
        final StringBuilder released = new StringBuilder();
        for (final MockFlowFile out : enforce.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED)) {
            released.append(out.getContent());
            StreamSupport.stream(MAPPER.readTree(out.getContent()).spliterator(), false).forEach(r -> ids.add(r.get("id").asLong()));
        }
        final List<String> reasons = enforce.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).stream()
                .map(f -> f.getAttribute(PublicDataAttributes.DENY_REASON)).toList();
        final List<String> provenance = enforce.getProvenanceEvents().stream().map(ProvenanceEventRecord::getDetails).filter(d -> d != null).toList();
        return new Outcome(ids, reasons, released.toString(), provenance);
    }

    @Test
    void aGrantUpToL4WithoutProtectionNoLongerReleasesL4InClear() throws Exception {
        final Outcome clear = run(enforce(r -> r.setProperty(GrantProperties.MAXIMUM_GRADE, "L4")), classified());
        assertEquals(List.of(2L), clear.authorized());
        assertFalse(clear.releasedText().contains("8123"), "the L4 salary does not leave in clear");
        assertEquals(List.of("GRADE_EXCEEDS_GRANT: 1 record above the grant's maximum grade L4 (L5=1); PROTECTION_REQUIRED: 1 record "
                + "(/salary (L4) needs PSEUDONYMIZE|ENCRYPT|FPE|DROP (protection floor) but is unprotected)"), clear.reasons());

        // Masked is not enough for L4 either
        final Outcome masked = run(enforce(r -> r.setProperty(GrantProperties.MAXIMUM_GRADE, "L4")), protect(classified(), "L3=MASK, L4=MASK, L5=DROP"));
        assertEquals(List.of(2L), masked.authorized());
        assertTrue(masked.reasons().getFirst().contains("/salary (L4) needs PSEUDONYMIZE|ENCRYPT|FPE|DROP (protection floor) but is MASK"), masked.reasons().toString());

        // Encrypted, it leaves
        final Outcome encrypted = run(enforce(r -> r.setProperty(GrantProperties.MAXIMUM_GRADE, "L4")), protect(classified(), "L3=MASK, L4=ENCRYPT, L5=DROP"));
        assertEquals(List.of(1L, 2L), encrypted.authorized());
        assertTrue(encrypted.releasedText().contains("\"salary\":\"pd2:A256GCM:k1:"), encrypted.releasedText());
    }

    @Test
    void aSignedGrantCannotLowerTheFloorEither() throws Exception {
        final KeyPair issuer = SignatureAlgorithm.ED25519.generateKeyPair();
        final ObjectNode grant = (ObjectNode) MAPPER.readTree("""
                {"id": "GR-2025-0002", "issuer": "某市数据局", "grantee": "91110105MA01ABCD1X", "mode": "DOMAIN", "domains": ["民政"],
                 "purposes": ["救助审核"], "datasets": ["GOV-CIVIL-001"], "permittedFields": ["/**"], "maximumGrade": "L5",
                 "requiredProtection": {"L3": ["MASK"]},
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2099-01-01T00:00:00+08:00", "status": "ACTIVE",
                 "pricing": "PUBLIC_WELFARE"}""");
        final String document = new String(GrantDocument.sign(grant, issuer.getPrivate(), issuer.getPublic()));
        final TestRunner enforce = enforce(r -> {
            r.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
            r.setProperty(GrantProperties.GRANT_DOCUMENT, document);
            r.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(issuer.getPublic()));
        });
        final MockFlowFile masked = protect(classified(), "L3=MASK, L4=MASK, L5=MASK");
        final Map<String, String> attributes = new java.util.HashMap<>(masked.getAttributes());
        attributes.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, "公共治理");
        enforce.enqueue(masked.getContent(), attributes);
        final Outcome outcome = run(enforce, null);
        assertEquals(List.of(2L), outcome.authorized());
        assertFalse(outcome.releasedText().contains("核心") || outcome.releasedText().contains("机密"));
        assertEquals(List.of("GRADE_NEVER_RELEASED: 1 record (/secret (L5) is of a grade that never leaves, protected or not (protection floor, 不予开放)); "
                + "PROTECTION_REQUIRED: 1 record (/salary (L4) needs a method both the protection floor (PSEUDONYMIZE|ENCRYPT|FPE|DROP) and the "
                + "grant (MASK) accept (there is none) but is MASK)"), outcome.reasons());
    }

    @Test
    void aGrantUpToL5WithL3MaskNoLongerReleasesCoreDataEvenEncrypted() throws Exception {
        final Consumer<TestRunner> grant = r -> {
            r.setProperty(GrantProperties.MAXIMUM_GRADE, "L5");
            r.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK|ENCRYPT");
        };
        final Outcome encrypted = run(enforce(grant), protect(classified(), "L3=MASK, L4=ENCRYPT, L5=ENCRYPT"));
        assertEquals(List.of(1L, 2L), encrypted.authorized());
        assertEquals(List.of("GRADE_NEVER_RELEASED: 1 record (/secret (L5) is of a grade that never leaves, protected or not (protection floor, 不予开放))"),
                encrypted.reasons());
        assertTrue(encrypted.provenance().stream().anyMatch(d -> d.contains("GRADE_NEVER_RELEASED=1")), encrypted.provenance().toString());

        // Dropped, nothing of L5 is left in the record: the rest of it may go
        final Outcome dropped = run(enforce(grant), protect(classified(), "L3=MASK, L4=ENCRYPT, L5=DROP"));
        assertEquals(List.of(1L, 2L, 3L), dropped.authorized());
        final JsonNode third = MAPPER.readTree(dropped.releasedText()).get(2);
        assertFalse(third.has("secret"), third.toString());
    }

    @Test
    void aDeploymentMayRaiseTheFloorButNotLowerIt() throws Exception {
        final Consumer<TestRunner> grant = r -> {
            r.setProperty(GrantProperties.MAXIMUM_GRADE, "L4");
            r.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK|PSEUDONYMIZE|ENCRYPT");
        };
        final TestRunner raised = enforce(grant);
        raised.setProperty(EnforceGrantScope.PROTECTION_FLOOR, "L3=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L4=ENCRYPT, L5=DENY");
        raised.assertValid();
        final Outcome masked = run(raised, protect(classified(), "L3=MASK, L4=ENCRYPT, L5=DROP"));
        assertEquals(List.of(2L), masked.authorized(), "a masked L3 name no longer leaves (record 3 is above the grant's L4)");
        assertTrue(masked.reasons().getFirst().contains("/name (L3) needs PSEUDONYMIZE|ENCRYPT (protection floor) but is MASK"), masked.reasons().toString());

        final TestRunner lowered = enforce(grant);
        lowered.setProperty(EnforceGrantScope.PROTECTION_FLOOR, "L4=MASK, L5=DENY");
        lowered.assertNotValid();
        lowered.setProperty(EnforceGrantScope.PROTECTION_FLOOR, "L4=ENCRYPT");
        lowered.assertNotValid();
    }
}
