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
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EnforceGrantScope with the use context from use requests signed by the grantee, and with a signed revocation list:
 * what an operator who tries to use data outside its requests, or a revoked grant, gets.
 */
class TestEnforceGrantScopeRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GRANTEE = "91110105MA01ABCD1X";
    private static final OffsetDateTime ISSUED = OffsetDateTime.parse("2025-06-01T09:00:00+08:00");
    /** Twenty minutes after the requests were issued. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T01:20:00Z"), ZoneOffset.UTC);
    private static final String CONTENT = "[{\"id\": 1, \"name\": \"张三\", \"district\": \"朝阳区\", \"_grade\": \"L2\"},"
            + " {\"id\": 2, \"name\": \"李四\", \"district\": \"海淀区\", \"_grade\": \"L3\"}]";

    private KeyPair grantee;
    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        grantee = SignatureAlgorithm.ED25519.generateKeyPair();
        runner = TestRunners.newTestRunner(new EnforceGrantScope(CLOCK));
        RecordTestSupport.useJson(runner);
        RecordTestSupport.grantInProperties(runner, GRANTEE, "/id, /name, /district");
        runner.setProperty(GrantProperties.DATASETS, "GOV-CIVIL-001, GOV-CIVIL-002");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.PRICING, "PUBLIC_WELFARE");
        runner.setProperty(GrantProperties.GRANTEE_KEYS, PemKeys.writePublicKey(grantee.getPublic()));
        runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST);
    }

    private static ObjectNode request(final String id) {
        return UseRequestDocument.toJson(new UseRequest(id, "GR-2025-0001", GRANTEE, List.of("GOV-CIVIL-001"), "救助审核", "公共治理",
                "民政", null, List.of(), ISSUED, ISSUED.plusHours(1)));
    }

    private String signed(final ObjectNode request, final KeyPair keys) throws Exception {
        return new String(UseRequestDocument.sign(request, keys.getPrivate(), keys.getPublic()), StandardCharsets.UTF_8);
    }

    private String signed(final ObjectNode request) throws Exception {
        return signed(request, grantee);
    }

    /** A FlowFile of dataset GOV-CIVIL-001 carrying a request, and attributes that claim another use: they do not count. */
    private void enqueue(final String signedRequest) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put(PublicDataAttributes.DATASET, "GOV-CIVIL-001");
        attributes.put(PublicDataAttributes.USE_GRANTEE, "91440300MA5XXXXX0X");
        attributes.put(PublicDataAttributes.USE_PURPOSE, "商业营销");
        if (signedRequest != null) {
            attributes.put(PublicDataAttributes.USE_REQUEST, signedRequest);
        }
        runner.enqueue(CONTENT, attributes);
    }

    private MockFlowFile only(final Relationship relationship) {
        final List<MockFlowFile> flowFiles = runner.getFlowFilesForRelationship(relationship);
        assertEquals(1, flowFiles.size(), relationship.getName());
        return flowFiles.getFirst();
    }

    private String deniedWith(final String signedRequest) {
        runner.clearTransferState();
        enqueue(signedRequest);
        runner.run();
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(CONTENT);
        denied.assertAttributeEquals(PublicDataAttributes.DECISION, "DENY");
        return denied.getAttribute(PublicDataAttributes.DENY_REASON);
    }

    private String details() {
        return runner.getProvenanceEvents().stream().map(ProvenanceEventRecord::getDetails).filter(d -> d != null).reduce((a, b) -> b).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aRequestSignedWithEachAlgorithmIsTheUseContext(final SignatureAlgorithm algorithm) throws Exception {
        grantee = algorithm.generateKeyPair();
        runner.setProperty(GrantProperties.GRANTEE_KEYS, PemKeys.writePublicKey(SignatureAlgorithm.SM2.generateKeyPair().getPublic())
                + PemKeys.writePublicKey(grantee.getPublic()));
        enqueue(signed(request("RQ-1")));
        runner.run();

        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
        authorized.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        assertEquals("PERMIT 2 records to authorized (grant GR-2025-0001, request RQ-1 for 救助审核)", details(),
                "provenance names the request by its id and purpose only");
    }

    @Test
    void theRequestNarrowsWhatIsReleasedToTheFieldsItAsksFor() throws Exception {
        final ObjectNode request = request("RQ-1");
        request.putArray("fields").add("/id").add("/district");
        enqueue(signed(request));
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED).assertContentEquals(
                "[{\"id\":1,\"district\":\"朝阳区\",\"_grade\":\"L2\"},{\"id\":2,\"district\":\"海淀区\",\"_grade\":\"L3\"}]");
    }

    @Test
    void aTamperedRequestIsRefused() throws Exception {
        final ObjectNode tampered = (ObjectNode) MAPPER.readTree(signed(request("RQ-1")));
        tampered.with("request").put("purpose", "商业营销");
        assertEquals("REQUEST_SIGNATURE_INVALID: the signature does not match the document: it was changed after signing, or signed with "
                + "another key", deniedWith(tampered.toString()));
        assertEquals("DENY REQUEST_SIGNATURE_INVALID: the signature does not match the document: it was changed after signing, or signed "
                + "with another key (grant GR-2025-0001)", details());
    }

    @Test
    void aRequestSignedWithAKeyTheGrantDoesNotNameIsRefused() throws Exception {
        final KeyPair impostor = SignatureAlgorithm.ED25519.generateKeyPair();
        assertEquals("REQUEST_SIGNATURE_INVALID: the document was signed with key " + PemKeys.keyId(impostor.getPublic())
                + ", not with the grantee's key " + PemKeys.keyId(grantee.getPublic()), deniedWith(signed(request("RQ-1"), impostor)));
    }

    @Test
    void anExpiredRequestIsRefused() throws Exception {
        final ObjectNode request = request("RQ-1");
        request.put("issuedAt", "2025-06-01T08:00:00+08:00").put("validUntil", "2025-06-01T09:00:00+08:00");
        assertEquals("REQUEST_EXPIRED: request RQ-1 was valid until 2025-06-01T09:00:00+08:00 (exclusive), used at 2025-06-01T09:20:00+08:00",
                deniedWith(signed(request)));
        request.put("issuedAt", "2025-06-01T09:00:00+08:00").put("validUntil", "2025-06-02T09:00:00+08:00");
        assertEquals("REQUEST_INVALID: request RQ-1 is valid from 2025-06-01T09:00:00+08:00 until 2025-06-02T09:00:00+08:00, longer than "
                + "the PT1H this processor accepts", deniedWith(signed(request)));
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        final String request = signed(request("RQ-1"));
        enqueue(request);
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals("REQUEST_REPLAYED: request RQ-1 was already used by another FlowFile; a request authorizes one", deniedWith(request));

        // remembered in the processor's state: a restart does not forget it
        assertTrue(runner.getStateManager().getState(Scope.CLUSTER).toMap().containsKey("request.RQ-1"));
        runner.run(1, true, true);
        runner.clearTransferState();
        enqueue(request);
        runner.run(1, true, true);
        assertEquals(1, runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).size());
        assertTrue(runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).getFirst()
                .getAttribute(PublicDataAttributes.DENY_REASON).startsWith("REQUEST_REPLAYED: "));
    }

    @Test
    void untilExpiryTheSameRequestMayServeSeveralFlowFilesButNotAnotherDocumentWithItsId() throws Exception {
        runner.setProperty(UseContextProperties.REQUEST_REUSE, RequestReuse.UNTIL_EXPIRY);
        final String request = signed(request("RQ-1"));
        enqueue(request);
        enqueue(request);
        runner.run(2);
        assertEquals(2, runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED).size());

        final ObjectNode other = request("RQ-1");
        other.put("issuedAt", "2025-06-01T09:05:00+08:00");
        assertEquals("REQUEST_REPLAYED: request id RQ-1 was already used by another signed request; an id is accepted once",
                deniedWith(signed(other)));
    }

    @Test
    void aRequestOutsideItsGrantOrItsDataIsRefused() throws Exception {
        final ObjectNode otherGrant = request("RQ-1").put("grantId", "GR-2025-0002");
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-1 is made under grant GR-2025-0002, not under GR-2025-0001", deniedWith(signed(otherGrant)));

        final ObjectNode moreFields = request("RQ-2");
        moreFields.putArray("fields").add("/id").add("/idCard");
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-2 asks for field /idCard, which the grant does not permit", deniedWith(signed(moreFields)));

        final ObjectNode otherDataset = request("RQ-3");
        otherDataset.putArray("datasets").add("GOV-CIVIL-002");
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-3 asks for [GOV-CIVIL-002], not for dataset 'GOV-CIVIL-001'", deniedWith(signed(otherDataset)));

        final ObjectNode ungranted = request("RQ-4");
        ungranted.withArray("datasets").add("GOV-HEALTH-009");
        assertEquals("DATASET_NOT_GRANTED: request RQ-4 asks for dataset 'GOV-HEALTH-009', which is not granted; the grant covers "
                + "[GOV-CIVIL-001, GOV-CIVIL-002]", deniedWith(signed(ungranted)));

        final ObjectNode otherPurpose = request("RQ-5").put("purpose", "商业营销");
        assertEquals("PURPOSE_NOT_GRANTED: purpose '商业营销' is not granted; the grant covers [救助审核]", deniedWith(signed(otherPurpose)));

        final ObjectNode otherGrantee = request("RQ-6").put("grantee", "91440300MA5XXXXX0X");
        assertEquals("GRANTEE_MISMATCH: grant GR-2025-0001 is granted to 91110105MA01ABCD1X, not to 91440300MA5XXXXX0X",
                deniedWith(signed(otherGrantee)));
        // none of these was used: a good request with one of their ids is still accepted
        runner.clearTransferState();
        enqueue(signed(request("RQ-5")));
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED);
    }

    @Test
    void withoutARequestNothingPasses() {
        assertEquals("REQUEST_MISSING: the FlowFile carries no signed use request (publicdata.use.request)", deniedWith(null));
        assertEquals("REQUEST_SIGNATURE_INVALID: the use request is not well-formed JSON, so its signature cannot be checked", deniedWith("{"));
    }

    @Test
    void whenTheMemoryIsFullNewRequestsAreRefusedNotForgotten() throws Exception {
        runner.setProperty(UseContextProperties.MAXIMUM_REMEMBERED_REQUESTS, "1");
        enqueue(signed(request("RQ-1")));
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals("REQUEST_UNRECORDED: request RQ-2 cannot be remembered against replays: 1 unexpired requests are remembered, the most "
                + "this processor keeps (Maximum Remembered Requests)", deniedWith(signed(request("RQ-2"))));
    }

    /** A flow that carries only the request, e.g. the body of an operator's call: the FlowFile is authorized or not as a whole. */
    @Test
    void aFlowFileThatIsOnlyTheRequestIsDecidedWhole() throws Exception {
        runner.setProperty(UseContextProperties.USE_REQUEST_LOCATION, RequestLocation.CONTENT);
        final String request = signed(request("RQ-1"));
        final Map<String, String> data = Map.of(PublicDataAttributes.DATASET, "GOV-CIVIL-001");
        runner.enqueue(request, data);
        runner.enqueue(request, data);
        runner.enqueue("{\"not\": \"a request\"}", data);
        runner.enqueue("x".repeat(GrantEnforcement.MAXIMUM_REQUEST_BYTES + 1), data);
        runner.run(4);

        final MockFlowFile permitted = only(EnforceGrantScope.REL_AUTHORIZED);
        permitted.assertContentEquals(request);
        permitted.assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
        permitted.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        assertEquals(List.of("REQUEST_REPLAYED: request RQ-1 was already used by another FlowFile; a request authorizes one",
                "REQUEST_SIGNATURE_INVALID: the use request is not signed"),
                runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).stream()
                        .map(flowFile -> flowFile.getAttribute(PublicDataAttributes.DENY_REASON)).toList());
        only(EnforceGrantScope.REL_FAILURE).assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE, "The FlowFile should be a signed use "
                + "request, but it has 65537 bytes, more than the 65536 a request may have");
        assertTrue(runner.getProvenanceEvents().stream().anyMatch(event -> ("PERMIT the use this signed request states (grant GR-2025-0001, "
                + "request RQ-1 for 救助审核)").equals(event.getDetails())));
    }

    @Test
    void aGrantInPropertiesNeedsGranteeKeysForSignedRequests() {
        runner.assertValid();
        runner.removeProperty(GrantProperties.GRANTEE_KEYS);
        runner.assertNotValid();
        runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.ATTRIBUTES);
        runner.assertValid();
    }

    @Test
    void aSignedGrantNamesItsGranteeKeys(@TempDir final Path dir) throws Exception {
        final KeyPair issuer = SignatureAlgorithm.SM2.generateKeyPair();
        final ObjectNode grant = (ObjectNode) MAPPER.readTree("""
                {"id": "GR-2025-0001", "issuer": "某市数据局", "grantee": "91110105MA01ABCD1X", "mode": "DOMAIN", "domains": ["民政"],
                 "purposes": ["救助审核"], "datasets": ["GOV-CIVIL-001"], "permittedFields": ["/id", "/district"], "maximumGrade": "L3",
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2026-01-01T00:00:00+08:00", "status": "ACTIVE",
                 "pricing": "PUBLIC_WELFARE", "serial": "1"}""");
        grant.putArray("granteeKeys").add(PemKeys.encode(grantee.getPublic()));
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, new String(GrantDocument.sign(grant, issuer.getPrivate(), issuer.getPublic()), StandardCharsets.UTF_8));
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(issuer.getPublic()));
        runner.assertValid();
        enqueue(signed(request("RQ-1")));
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED).assertContentEquals("[{\"id\":1,\"district\":\"朝阳区\",\"_grade\":\"L2\"},"
                + "{\"id\":2,\"district\":\"海淀区\",\"_grade\":\"L3\"}]");
    }

    @Test
    void aRevocationListIsAppliedWithoutRestart(@TempDir final Path dir) throws Exception {
        final KeyPair authority = SignatureAlgorithm.SM2.generateKeyPair();
        final Path list = dir.resolve("revoked.json");
        Files.write(list, RevocationListDocument.sign(list(), authority.getPrivate(), authority.getPublic()));
        runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.ATTRIBUTES);
        runner.setProperty(GrantProperties.REVOCATION_LIST, list.toString());
        runner.assertNotValid();
        runner.setProperty(GrantProperties.REVOCATION_LIST_KEY, PemKeys.writePublicKey(authority.getPublic()));
        runner.assertValid();
        final Map<String, String> use = Map.of(PublicDataAttributes.USE_GRANTEE, GRANTEE, PublicDataAttributes.USE_DOMAIN, "民政",
                PublicDataAttributes.USE_PURPOSE, "救助审核", PublicDataAttributes.USE_PURPOSE_CATEGORY, "公共治理",
                PublicDataAttributes.DATASET, "GOV-CIVIL-001");
        runner.enqueue(CONTENT, use);
        runner.run(1, false, true);
        only(EnforceGrantScope.REL_AUTHORIZED);

        // the authority revokes the grant: the new list applies to the next FlowFile, no restart
        Files.write(list, RevocationListDocument.sign(list(new RevocationList.Entry("GR-2025-0001", null, "超范围使用", ISSUED.minusDays(1))),
                authority.getPrivate(), authority.getPublic()));
        Files.setLastModifiedTime(list, FileTime.from(Instant.now().plusSeconds(5)));
        runner.clearTransferState();
        runner.enqueue(CONTENT, use);
        runner.run(1, false, false);
        assertEquals("GRANT_REVOKED: grant GR-2025-0001 is on the revocation list of 某市数据局 since 2025-05-31T09:00:00+08:00: 超范围使用",
                only(EnforceGrantScope.REL_UNAUTHORIZED).getAttribute(PublicDataAttributes.DENY_REASON));

        // someone swaps in a list of their own: nothing passes, and the processor says why
        final KeyPair forger = SignatureAlgorithm.SM2.generateKeyPair();
        Files.write(list, RevocationListDocument.sign(list(), forger.getPrivate(), forger.getPublic()));
        Files.setLastModifiedTime(list, FileTime.from(Instant.now().plusSeconds(10)));
        runner.clearTransferState();
        runner.enqueue(CONTENT, use);
        // the running processor meets the forged list (the test runner would first refuse to run an invalid configuration)
        runner.getProcessor().onTrigger(runner.getProcessContext(), runner.getProcessSessionFactory());
        assertTrue(only(EnforceGrantScope.REL_UNAUTHORIZED).getAttribute(PublicDataAttributes.DENY_REASON)
                .startsWith("REVOCATION_LIST_INVALID: the document was signed with key "));
        // and it is not a valid configuration
        runner.assertNotValid();
    }

    @Test
    void aStaleRevocationListDeniesEverything(@TempDir final Path dir) throws Exception {
        final KeyPair authority = SignatureAlgorithm.ECDSA_P256.generateKeyPair();
        final Path list = dir.resolve("revoked.json");
        Files.write(list, RevocationListDocument.sign(new RevocationList("某市数据局", ISSUED.minusDays(8), ISSUED.minusDays(1), List.of()),
                authority.getPrivate(), authority.getPublic()));
        runner.setProperty(GrantProperties.REVOCATION_LIST, list.toString());
        runner.setProperty(GrantProperties.REVOCATION_LIST_KEY, PemKeys.writePublicKey(authority.getPublic()));
        assertEquals("REVOCATION_LIST_STALE: the revocation list of 某市数据局 issued at 2025-05-24T09:00:00+08:00 was due to be replaced by "
                + "2025-05-31T09:00:00+08:00, used at 2025-06-01T09:20:00+08:00: without a current list every use is denied",
                deniedWith(signed(request("RQ-1"))));
        // the request was not used up by a denied use
        assertFalse(runner.getStateManager().getState(Scope.CLUSTER).toMap().containsKey("request.RQ-1"));
    }

    private static RevocationList list(final RevocationList.Entry... entries) {
        return new RevocationList("某市数据局", ISSUED.minusDays(1), ISSUED.plusDays(7), List.of(entries));
    }
}
