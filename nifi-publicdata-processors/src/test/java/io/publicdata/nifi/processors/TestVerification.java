package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.grant.UseRequest;
import io.publicdata.nifi.grant.UseRequestDocument;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "Verify" button of EnforceGrantScope and ProtectRecord: each step's outcome and explanation for good and bad configurations. */
class TestVerification {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OffsetDateTime ISSUED = OffsetDateTime.parse("2025-06-01T09:00:00+08:00");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T01:20:00Z"), ZoneOffset.UTC);

    private static Map<String, ConfigVerificationResult> verify(final TestRunner runner, final Map<String, String> attributes) {
        final List<ConfigVerificationResult> results = ((VerifiableProcessor) runner.getProcessor())
                .verify(runner.getProcessContext(), runner.getLogger(), attributes);
        final Map<String, ConfigVerificationResult> byStep = new LinkedHashMap<>();
        results.forEach(result -> byStep.put(result.getVerificationStepName(), result));
        return byStep;
    }

    private static void assertStep(final Map<String, ConfigVerificationResult> results, final String step, final Outcome outcome, final String explanation) {
        final ConfigVerificationResult result = results.get(step);
        assertEquals(outcome, result.getOutcome(), step + ": " + result.getExplanation());
        assertTrue(result.getExplanation().startsWith(explanation), step + ": " + result.getExplanation());
    }

    /** A signed grant naming the grantee's key, a revocation list, signed use requests. */
    private static final class Authority {
        final KeyPair issuer = SignatureAlgorithm.SM2.generateKeyPair();
        final KeyPair grantee = SignatureAlgorithm.ECDSA_P256.generateKeyPair();

        String grant() throws Exception {
            final ObjectNode grant = (ObjectNode) MAPPER.readTree("""
                    {"id": "GR-2025-0001", "issuer": "某市数据局", "grantee": "91110105MA01ABCD1X", "mode": "DOMAIN", "domains": ["民政"],
                     "purposes": ["救助审核"], "datasets": ["GOV-CIVIL-001"], "permittedFields": ["/id", "/district"], "maximumGrade": "L3",
                     "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2026-01-01T00:00:00+08:00", "status": "ACTIVE",
                     "pricing": "PUBLIC_WELFARE", "serial": "3"}""");
            grant.putArray("granteeKeys").add(PemKeys.encode(grantee.getPublic()));
            return new String(GrantDocument.sign(grant, issuer.getPrivate(), issuer.getPublic()), StandardCharsets.UTF_8);
        }

        byte[] list(final RevocationList.Entry... entries) throws Exception {
            return RevocationListDocument.sign(new RevocationList("某市数据局", ISSUED.minusDays(1), ISSUED.plusDays(6), List.of(entries)),
                    issuer.getPrivate(), issuer.getPublic());
        }

        Map<String, String> use(final OffsetDateTime validUntil) throws Exception {
            final UseRequest request = new UseRequest("RQ-1", "GR-2025-0001", "91110105MA01ABCD1X", List.of("GOV-CIVIL-001"), "救助审核", "公共治理",
                    "民政", null, List.of(), ISSUED, validUntil);
            return Map.of(PublicDataAttributes.DATASET, "GOV-CIVIL-001", PublicDataAttributes.USE_REQUEST,
                    new String(UseRequestDocument.sign(UseRequestDocument.toJson(request), grantee.getPrivate(), grantee.getPublic()), StandardCharsets.UTF_8));
        }
    }

    private static TestRunner enforcer(final Authority authority, final String grant, final Path list) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(new EnforceGrantScope(CLOCK));
        RecordTestSupport.useJson(runner);
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, grant);
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(authority.issuer.getPublic()));
        runner.setProperty(GrantProperties.REVOCATION_LIST, list.toString());
        runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST);
        return runner;
    }

    @Test
    void aGoodGrantConfigurationAndAGoodRequestVerify(@TempDir final Path dir) throws Exception {
        final Authority authority = new Authority();
        final Path list = dir.resolve("revoked.json");
        Files.write(list, authority.list());
        final TestRunner runner = enforcer(authority, authority.grant(), list);

        final Map<String, ConfigVerificationResult> results = verify(runner, authority.use(ISSUED.plusHours(1)));
        assertEquals(List.of("Grant", "Grant Term and Status", "Revocation List", "Use Context Source", "Use"), List.copyOf(results.keySet()));
        assertStep(results, "Grant", Outcome.SUCCESSFUL, "The signed document verifies with the Verification Key: grant GR-2025-0001 issued by 某市数据局");
        assertStep(results, "Grant Term and Status", Outcome.SUCCESSFUL, "In force at 2025-06-01T01:20:00Z: ACTIVE, valid until 2026-01-01T00:00+08:00");
        assertStep(results, "Revocation List", Outcome.SUCCESSFUL, "The list of 某市数据局 verifies and is current until 2025-06-07T09:00+08:00; "
                + "it revokes 0 grants, not this one");
        assertStep(results, "Use Context Source", Outcome.SUCCESSFUL, "Signed use requests, verified with the grantee's keys [sha256:");
        assertStep(results, "Use", Outcome.SUCCESSFUL, "This use would be authorized (request RQ-1 for 救助审核); each record is then checked");

        // verifying used nothing up: the same request still passes once, then is a replay
        runner.enqueue("[{\"id\": 1, \"district\": \"朝阳区\", \"_grade\": \"L2\"}]", authority.use(ISSUED.plusHours(1)));
        runner.enqueue("[{\"id\": 1, \"district\": \"朝阳区\", \"_grade\": \"L2\"}]", authority.use(ISSUED.plusHours(1)));
        runner.run(2);
        runner.assertTransferCount(EnforceGrantScope.REL_AUTHORIZED, 1);
        runner.assertTransferCount(EnforceGrantScope.REL_UNAUTHORIZED, 1);

        assertStep(verify(runner, Map.of()), "Use", Outcome.SKIPPED, "Give a FlowFile's attributes");
    }

    @Test
    void aBadConfigurationSaysWhatIsWrong(@TempDir final Path dir) throws Exception {
        final Authority authority = new Authority();
        final Path list = dir.resolve("revoked.json");
        Files.write(list, authority.list(new RevocationList.Entry("GR-2025-0001", "3", "超范围使用", ISSUED.minusHours(2))));
        final TestRunner runner = enforcer(authority, authority.grant(), list);
        final Map<String, ConfigVerificationResult> revoked = verify(runner, authority.use(ISSUED.plusMinutes(10)));
        assertStep(revoked, "Grant", Outcome.SUCCESSFUL, "The signed document verifies");
        assertStep(revoked, "Revocation List", Outcome.FAILED, "GRANT_REVOKED: grant GR-2025-0001 serial 3 is on the revocation list of 某市数据局 "
                + "since 2025-06-01T07:00:00+08:00: 超范围使用");
        assertStep(revoked, "Use", Outcome.FAILED, "REQUEST_EXPIRED: request RQ-1 was valid until 2025-06-01T09:10:00+08:00");

        // a widened grant: nothing but the reason
        final TestRunner tampered = enforcer(authority, authority.grant().replace("\"L3\"", "\"L4\""), list);
        final Map<String, ConfigVerificationResult> results = verify(tampered, authority.use(ISSUED.plusHours(1)));
        assertStep(results, "Grant", Outcome.FAILED, "SIGNATURE_INVALID: the signature does not match the document");
        for (final String step : List.of("Grant Term and Status", "Revocation List", "Use Context Source", "Use")) {
            assertStep(results, step, Outcome.SKIPPED, "The grant cannot be used");
        }
    }

    @Test
    void aGrantInPropertiesWithAttributesVerifiesItsUse() throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(new EnforceGrantScope(CLOCK));
        RecordTestSupport.useJson(runner);
        runner.setProperty(GrantProperties.GRANT_ID, "GR-2025-0001");
        runner.setProperty(GrantProperties.GRANTEE, "91110105MA01ABCD1X");
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "WHOLE");
        runner.setProperty(GrantProperties.PURPOSES, "救助审核");
        runner.setProperty(GrantProperties.DATASETS, "*");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/**");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L2");
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2025-06-01T00:00:00+08:00");
        final Map<String, ConfigVerificationResult> results = verify(runner, Map.of(PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
                PublicDataAttributes.USE_PURPOSE, "救助审核"));
        assertStep(results, "Grant", Outcome.SUCCESSFUL, "grant GR-2025-0001 to 91110105MA01ABCD1X; WHOLE 整体授权");
        assertStep(results, "Grant Term and Status", Outcome.FAILED, "GRANT_EXPIRED: valid until 2025-06-01T00:00:00+08:00 (exclusive), used at "
                + "2025-06-01T09:20:00+08:00");
        assertStep(results, "Revocation List", Outcome.SKIPPED, "No Revocation List is configured");
        assertStep(results, "Use Context Source", Outcome.SUCCESSFUL, "Attributes");
        assertStep(results, "Use", Outcome.FAILED, "GRANT_EXPIRED: ");
    }

    private static TestRunner protector(final String algorithm, final String key) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useJson(runner);
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", key, "p1", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
        runner.setProperty(ProtectRecord.ENCRYPTION_ALGORITHM, algorithm);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/mobile\": \"ENCRYPT\", \"/card\": \"FPE\", \"PERSONAL_ID\": \"PSEUDONYMIZE\"}");
        return runner;
    }

    @Test
    void protectRecordVerifiesItsKeysAndARoundTrip() throws Exception {
        final Map<String, ConfigVerificationResult> good = verify(protector("SM4_GCM", "00112233445566778899aabbccddeeff"), Map.of());
        assertEquals(List.of("Protection Rules", "Key Provider", "Keys", "Sample Round Trip"), List.copyOf(good.keySet()));
        assertStep(good, "Protection Rules", Outcome.SUCCESSFUL, "Field Methods, Methods by Grade and the classification rules parse; some methods need keys");
        assertStep(good, "Key Provider", Outcome.SUCCESSFUL, "Reachable: active key 'k1', keys [k1, p1]");
        assertStep(good, "Keys", Outcome.SUCCESSFUL, "Every key has at least 16 bytes; ENCRYPT and FPE derive their SM4_GCM keys from 'k1', "
                + "PSEUDONYMIZE its key from 'p1'");
        assertStep(good, "Sample Round Trip", Outcome.SUCCESSFUL, "A sample value (not data) encrypted with key 'k1' (SM4_GCM) decrypts back; "
                + "FPE keeps its length and digits and reverses; pseudonyms are stable");

        // pseudonyms under the encryption key: said before any record meets it, without the key
        final TestRunner shared = protector("AES_256_GCM", "00112233445566778899aabbccddeeff");
        shared.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "k1");
        final Map<String, ConfigVerificationResult> sharedKey = verify(shared, Map.of());
        assertStep(sharedKey, "Keys", Outcome.FAILED, "Pseudonym Key ID 'k1' is the active encryption key; pseudonyms need a key of their own");
        assertStep(sharedKey, "Sample Round Trip", Outcome.SKIPPED, "The keys do not fit");
        sharedKey.values().forEach(result -> assertTrue(!result.getExplanation().contains("00112233"), "no key material in " + result.getExplanation()));

        final TestRunner noKeys = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useJson(noKeys);
        noKeys.setProperty(ProtectRecord.FIELD_METHODS, "{\"/mobile\": \"ENCRYPT\"}");
        assertStep(verify(noKeys, Map.of()), "Key Provider", Outcome.FAILED, "ENCRYPT, FPE or PSEUDONYMIZE is configured, so a Key Provider is required");
        noKeys.setProperty(ProtectRecord.FIELD_METHODS, "{\"/mobile\": \"SHRED\"}");
        assertStep(verify(noKeys, Map.of()), "Protection Rules", Outcome.FAILED, "'SHRED' is not a protection method");
    }
}
