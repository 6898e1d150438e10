package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UseRequestDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<SignatureAlgorithm, KeyPair> KEYS = new EnumMap<>(SignatureAlgorithm.class);
    static final OffsetDateTime ISSUED = OffsetDateTime.parse("2025-06-01T09:00:00+08:00");
    static final Instant DURING = Instant.parse("2025-06-01T01:30:00Z");
    static final UseRequest REQUEST = new UseRequest("RQ-0001", "GR-2025-0001", GrantBuilder.GRANTEE, List.of("GOV-TRAFFIC-001"),
            "交通规划", "公共治理", "交通运输", null, List.of("/plate", "/district"), ISSUED, ISSUED.plusHours(1));

    static KeyPair keys(final SignatureAlgorithm algorithm) {
        return KEYS.computeIfAbsent(algorithm, SignatureAlgorithm::generateKeyPair);
    }

    static byte[] signed(final UseRequest request, final KeyPair keys) throws Exception {
        return UseRequestDocument.sign(UseRequestDocument.toJson(request), keys.getPrivate(), keys.getPublic());
    }

    private static GrantException denied(final byte[] document, final PublicKey... keys) {
        return assertThrows(GrantException.class, () -> UseRequestDocument.verify(document, List.of(keys)));
    }

    private static byte[] edited(final byte[] document, final Consumer<ObjectNode> edit) throws Exception {
        final ObjectNode node = (ObjectNode) MAPPER.readTree(document);
        edit.accept(node);
        return MAPPER.writeValueAsBytes(node);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aRequestSignedWithEachAlgorithmVerifiesWithTheGranteesKey(final SignatureAlgorithm algorithm) throws Exception {
        final byte[] document = signed(REQUEST, keys(algorithm));
        assertEquals(REQUEST, UseRequestDocument.verify(document, List.of(keys(algorithm).getPublic())));
        assertEquals(UseRequestDocument.FORMAT, MAPPER.readTree(document).get("format").asText());
        // among several keys of the grantee, the one the key id names
        final List<PublicKey> several = List.of(keys(SignatureAlgorithm.SM2).getPublic(), keys(SignatureAlgorithm.ECDSA_P256).getPublic(),
                keys(SignatureAlgorithm.ED25519).getPublic(), SignatureAlgorithm.SM2.generateKeyPair().getPublic());
        assertEquals(REQUEST, UseRequestDocument.verify(document, several));
        // and without a key id, the keys of its algorithm are tried
        assertEquals(REQUEST, UseRequestDocument.verify(edited(document, node -> node.with("signature").remove("keyId")), several));
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() throws Exception {
        final byte[] document = signed(REQUEST, SignatureAlgorithm.SM2.generateKeyPair());
        final PublicKey grantee = keys(SignatureAlgorithm.SM2).getPublic();
        final GrantException e = denied(document, grantee);
        assertEquals(DenyCode.REQUEST_SIGNATURE_INVALID, e.code());
        assertEquals("the document was signed with key " + MAPPER.readTree(document).at("/signature/keyId").asText()
                + ", not with the grantee's key " + PemKeys.keyId(grantee), e.getMessage());
        // the key id removed, the signature itself fails
        assertEquals("the signature does not match the document: it was changed after signing, or signed with another key",
                denied(edited(document, node -> node.with("signature").remove("keyId")), grantee).getMessage());
        // an impostor who names the grantee's key id does no better
        assertEquals("the signature does not match the document: it was changed after signing, or signed with another key",
                denied(edited(document, node -> node.with("signature").put("keyId", PemKeys.keyId(grantee))), grantee).getMessage());
        assertEquals("there is no grantee's key to verify the use request with", denied(document).getMessage());
    }

    @Test
    void aRequestChangedAfterSigningIsRefused() throws Exception {
        final byte[] document = signed(REQUEST, keys(SignatureAlgorithm.ED25519));
        final Map<String, Consumer<ObjectNode>> changes = Map.of(
                "another dataset", node -> node.with("request").withArray("datasets").add("GOV-HEALTH-002"),
                "another purpose", node -> node.with("request").put("purpose", "精准营销"),
                "longer", node -> node.with("request").put("validUntil", "2025-06-30T00:00:00+08:00"),
                "more fields", node -> node.with("request").withArray("fields").add("/driverId"),
                "all fields", node -> node.with("request").remove("fields"),
                "another id", node -> node.with("request").put("id", "RQ-0002"));
        for (final Map.Entry<String, Consumer<ObjectNode>> change : changes.entrySet()) {
            final GrantException e = denied(edited(document, change.getValue()), keys(SignatureAlgorithm.ED25519).getPublic());
            assertEquals(DenyCode.REQUEST_SIGNATURE_INVALID, e.code(), change.getKey());
        }
        assertEquals("the use request is not signed",
                denied(edited(document, node -> node.remove("signature")), keys(SignatureAlgorithm.ED25519).getPublic()).getMessage());
        assertEquals("the use request has an unknown member 'grant'",
                denied(edited(document, node -> node.putObject("grant")), keys(SignatureAlgorithm.ED25519).getPublic()).getMessage());
    }

    @Test
    void aGrantDocumentIsNotAUseRequest() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.SM2);
        final byte[] grant = GrantDocument.sign(GrantJson.toJson(GrantBuilder.grant().build()), keys.getPrivate(), keys.getPublic());
        assertEquals("the use request has an unknown member 'grant'", denied(grant, keys.getPublic()).getMessage());
    }

    @Test
    void aVerifiedRequestThatIsNoRequestIsInvalid() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.SM2);
        final ObjectNode content = UseRequestDocument.toJson(REQUEST);
        content.remove("purposeCategory");
        final byte[] document = SignedEnvelope.sign(UseRequestDocument.KIND, content, keys.getPrivate(), keys.getPublic());
        final GrantException e = denied(document, keys.getPublic());
        assertEquals("REQUEST_INVALID: The use request has no 'purposeCategory'", e.decision().denyReason());
        assertThrows(IllegalArgumentException.class, () -> UseRequestDocument.sign(content, keys.getPrivate(), keys.getPublic()),
                "nothing invalid is signed");
    }

    @Test
    void requestsAreValidForAShortTimeOnly() {
        final Duration hour = Duration.ofHours(1);
        assertSame(Decision.PERMIT, REQUEST.checkTime(DURING, hour));
        assertSame(Decision.PERMIT, REQUEST.checkTime(ISSUED.toInstant().minus(UseRequest.CLOCK_SKEW), hour), "within the clock skew");
        assertEquals("REQUEST_NOT_YET_VALID: request RQ-0001 is issued at 2025-06-01T09:00:00+08:00, used at 2025-06-01T08:54:59.999+08:00",
                REQUEST.checkTime(ISSUED.toInstant().minus(UseRequest.CLOCK_SKEW).minusMillis(1), hour).denyReason());
        assertSame(Decision.PERMIT, REQUEST.checkTime(ISSUED.plusHours(1).toInstant().minusMillis(1), hour));
        assertEquals("REQUEST_EXPIRED: request RQ-0001 was valid until 2025-06-01T10:00:00+08:00 (exclusive), used at 2025-06-01T10:00:00+08:00",
                REQUEST.checkTime(ISSUED.plusHours(1).toInstant(), hour).denyReason());
        assertEquals("REQUEST_INVALID: request RQ-0001 is valid from 2025-06-01T09:00:00+08:00 until 2025-06-01T10:00:00+08:00, longer than "
                + "the PT30M this processor accepts", REQUEST.checkTime(DURING, Duration.ofMinutes(30)).denyReason());
    }

    @Test
    void aRequestMustLieInsideItsGrant() {
        final GrantScope scope = new GrantScope(GrantBuilder.grant().fields("/plate", "/district", "/trips/*").build(), GradeLadder.defaultLadder());
        assertSame(Decision.PERMIT, REQUEST.checkInside(scope));
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-0001 is made under grant GR-2025-0001, not under GR-2025-0009",
                REQUEST.checkInside(new GrantScope(grantWithId("GR-2025-0009"), GradeLadder.defaultLadder())).denyReason());
        assertEquals("DATASET_NOT_GRANTED: request RQ-0001 asks for dataset 'GOV-HEALTH-002', which is not granted; the grant covers [GOV-TRAFFIC-001]",
                with(List.of("GOV-TRAFFIC-001", "GOV-HEALTH-002"), List.of()).checkInside(scope).denyReason());
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-0001 asks for field /driverId, which the grant does not permit",
                with(List.of("GOV-TRAFFIC-001"), List.of("/plate", "/driverId")).checkInside(scope).denyReason());
        assertSame(Decision.PERMIT, with(List.of("GOV-TRAFFIC-001"), List.of("/trips/start")).checkInside(scope), "below a permitted pattern");
        assertEquals(List.of("/plate", "/district"), REQUEST.narrow(scope).grant().permittedFields());
        assertSame(scope, with(List.of("GOV-TRAFFIC-001"), List.of()).narrow(scope), "no fields: all the grant permits");
    }

    @Test
    void theDataMustComeFromARequestedDataset() {
        assertSame(Decision.PERMIT, REQUEST.checkDataset("GOV-TRAFFIC-001"));
        assertEquals("REQUEST_OUT_OF_SCOPE: request RQ-0001 asks for [GOV-TRAFFIC-001], not for dataset 'GOV-CIVIL-001'",
                REQUEST.checkDataset("GOV-CIVIL-001").denyReason());
        assertEquals(DenyCode.REQUEST_OUT_OF_SCOPE, REQUEST.checkDataset(null).code());
        assertEquals(new UseContext(GrantBuilder.GRANTEE, "交通运输", null, "交通规划", "GOV-TRAFFIC-001", "公共治理"), REQUEST.context("GOV-TRAFFIC-001"));
    }

    @Test
    void malformedRequestsAreRefusedWhenMade() {
        assertEquals("Requested field '/trips/*' must be a plain field path such as /applicant/name (no wildcards: a request names the fields it asks for)",
                assertThrows(IllegalArgumentException.class, () -> with(List.of("GOV-TRAFFIC-001"), List.of("/trips/*"))).getMessage());
        assertEquals("A use request must name at least one dataset (资源目录编号)",
                assertThrows(IllegalArgumentException.class, () -> with(List.of(), List.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UseRequest("RQ", "GR", "G", List.of("D"), "P", "公共治理", null, null, List.of(),
                ISSUED, ISSUED));
        assertEquals("The use request's purposeCategory '营销' is not one of " + PurposeCategory.listing(), assertThrows(IllegalArgumentException.class,
                () -> new UseRequest("RQ", "GR", "G", List.of("D"), "P", "营销", null, null, List.of(), ISSUED, ISSUED.plusHours(1))).getMessage());
    }

    private static UseRequest with(final List<String> datasets, final List<String> fields) {
        return new UseRequest("RQ-0001", "GR-2025-0001", GrantBuilder.GRANTEE, datasets, "交通规划", "公共治理", "交通运输", null, fields,
                ISSUED, ISSUED.plusHours(1));
    }

    private static Grant grantWithId(final String id) {
        final GrantBuilder builder = GrantBuilder.grant();
        builder.id = id;
        return builder.build();
    }
}
