package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class GrantDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<SignatureAlgorithm, KeyPair> KEYS = new EnumMap<>(SignatureAlgorithm.class);
    private static final Grant GRANT = grant().protect("L3", ProtectionMethod.MASK, ProtectionMethod.ENCRYPT)
            .fields("/plate", "/district", "/trips/*").build();

    private static KeyPair keys(final SignatureAlgorithm algorithm) {
        return KEYS.computeIfAbsent(algorithm, SignatureAlgorithm::generateKeyPair);
    }

    private static byte[] signed(final SignatureAlgorithm algorithm) throws Exception {
        final KeyPair keys = keys(algorithm);
        return GrantDocument.sign(GrantJson.toJson(GRANT), keys.getPrivate(), keys.getPublic());
    }

    private static GrantException denied(final byte[] document, final KeyPair keys) {
        return assertThrows(GrantException.class, () -> GrantDocument.verify(document, keys.getPublic()));
    }

    private static byte[] edited(final byte[] document, final Consumer<ObjectNode> edit) throws Exception {
        final ObjectNode node = (ObjectNode) MAPPER.readTree(document);
        edit.accept(node);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aSignedDocumentVerifiesWithTheIssuersKey(final SignatureAlgorithm algorithm) throws Exception {
        final byte[] document = signed(algorithm);
        assertEquals(GRANT, GrantDocument.verify(document, keys(algorithm).getPublic()));

        final JsonNode node = MAPPER.readTree(document);
        assertEquals(GrantDocument.FORMAT, node.get("format").asText());
        assertEquals(algorithm.jcaName(), node.at("/signature/algorithm").asText());
        assertEquals(PemKeys.keyId(keys(algorithm).getPublic()), node.at("/signature/keyId").asText());
        assertTrue(node.at("/signature/keyId").asText().matches("sha256:[0-9a-f]{64}"));
    }

    /**
     * Documents signed by OpenSSL 3 ({@code openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678},
     * {@code openssl dgst -sha256 -sign},
     * {@code openssl pkeyutl -sign -rawin}) over the canonical form: an authority needs no tool of ours to issue grants.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sm2", "p256", "ed25519"})
    void documentsSignedWithOpenSslVerify(final String algorithm) throws Exception {
        final byte[] document = resource("openssl-" + algorithm + ".grant.json").getBytes(StandardCharsets.UTF_8);
        final PublicKey issuer = PemKeys.readPublicKey(resource("openssl-" + algorithm + ".pub.pem"));
        final Grant grant = GrantDocument.verify(document, issuer);
        assertEquals("GR-2025-0007", grant.id());
        assertEquals(AuthorizationMode.SCENARIO, grant.mode());
        assertEquals(List.of("普惠金融信贷风控"), grant.scenarios());

        final byte[] widened = new String(document, StandardCharsets.UTF_8).replace("\"/taxGrade\"", "\"/**\"").getBytes(StandardCharsets.UTF_8);
        assertEquals(DenyCode.SIGNATURE_INVALID, assertThrows(GrantException.class, () -> GrantDocument.verify(widened, issuer)).code());
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = GrantDocumentTest.class.getResourceAsStream("/GrantDocumentTest/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everySingleFlippedByteDenies(final SignatureAlgorithm algorithm) throws Exception {
        final byte[] document = signed(algorithm);
        for (final int mask : new int[] {0x01, 0x80}) {
            for (int i = 0; i < document.length; i++) {
                final byte[] tampered = document.clone();
                tampered[i] ^= (byte) mask;
                try {
                    GrantDocument.verify(tampered, keys(algorithm).getPublic());
                    fail("Flipping byte " + i + " with " + mask + " ('" + (char) document[i] + "') was not noticed");
                } catch (final GrantException e) {
                    assertEquals(DenyCode.SIGNATURE_INVALID, e.code(), "byte " + i + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void aDocumentWidenedAfterSigningDenies() throws Exception {
        final byte[] document = signed(SignatureAlgorithm.SM2);
        final KeyPair keys = keys(SignatureAlgorithm.SM2);
        final Map<String, Consumer<ObjectNode>> widenings = Map.of(
                "another domain", node -> ((ArrayNode) node.at("/grant/domains")).add("医疗卫生"),
                "a higher grade", node -> ((ObjectNode) node.get("grant")).put("maximumGrade", "L4"),
                "every field", node -> ((ObjectNode) node.get("grant")).putArray("permittedFields").add("/**"),
                "a longer term", node -> ((ObjectNode) node.get("grant")).put("validUntil", "2030-01-01T00:00:00+08:00"),
                "no protection", node -> ((ObjectNode) node.get("grant")).remove("requiredProtection"),
                "reactivated", node -> ((ObjectNode) node.get("grant")).put("status", "ACTIVE").put("grantee", "91110000XXXXXXXXXX"),
                "a whole grant", node -> ((ObjectNode) node.get("grant")).put("mode", "WHOLE").remove("domains"));
        widenings.forEach((what, widening) -> {
            try {
                final GrantException e = denied(edited(document, widening), keys);
                assertEquals(DenyCode.SIGNATURE_INVALID, e.code(), what);
                assertEquals("the signature does not match the document: it was changed after signing, or signed with another key", e.getMessage(), what);
            } catch (final Exception e) {
                throw new AssertionError(what, e);
            }
        });
    }

    @Test
    void reformattingKeepsTheSignature() throws Exception {
        final byte[] document = signed(SignatureAlgorithm.ECDSA_P256);
        final byte[] compact = MAPPER.writeValueAsBytes(MAPPER.readTree(document));
        assertEquals(GRANT, GrantDocument.verify(compact, keys(SignatureAlgorithm.ECDSA_P256).getPublic()));
    }

    @Test
    void anUnsignedDocumentDenies() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.SM2);
        final byte[] unsigned = edited(signed(SignatureAlgorithm.SM2), node -> node.remove("signature"));
        assertEquals("SIGNATURE_INVALID: the grant document is not signed", denied(unsigned, keys).decision().denyReason());
        final byte[] bareGrant = MAPPER.writeValueAsBytes(GrantJson.toJson(GRANT));
        assertEquals("the grant document is not signed", denied(bareGrant, keys).getMessage());
        assertEquals("the signature must be an object with the strings algorithm, keyId and value",
                denied(edited(signed(SignatureAlgorithm.SM2), node -> node.with("signature").remove("value")), keys).getMessage());
        assertEquals("the grant document is not well-formed JSON, so its signature cannot be checked",
                denied("{\"format\": ".getBytes(StandardCharsets.UTF_8), keys).getMessage());
        assertEquals("the grant document is not a JSON object", denied(new byte[0], keys).getMessage());
        assertEquals("the grant document is not a JSON object", denied("[]".getBytes(StandardCharsets.UTF_8), keys).getMessage());
    }

    @Test
    void anotherKeyDenies() throws Exception {
        final byte[] document = signed(SignatureAlgorithm.SM2);
        final KeyPair other = SignatureAlgorithm.SM2.generateKeyPair();
        assertEquals("the document was signed with key " + PemKeys.keyId(keys(SignatureAlgorithm.SM2).getPublic())
                + ", not with the issuer's key " + PemKeys.keyId(other.getPublic()), denied(document, other).getMessage());
        // without the key id hint, the signature itself fails
        final byte[] anonymous = edited(document, node -> node.with("signature").remove("keyId"));
        assertEquals(GRANT, GrantDocument.verify(anonymous, keys(SignatureAlgorithm.SM2).getPublic()));
        assertEquals("the signature does not match the document: it was changed after signing, or signed with another key",
                denied(anonymous, other).getMessage());
        assertEquals("the document is signed with SM3withSM2 but the issuer's key is for Ed25519",
                denied(document, keys(SignatureAlgorithm.ED25519)).getMessage());
    }

    @Test
    void aSignatureCannotBeReusedUnderAnotherAlgorithmName() throws Exception {
        final byte[] document = edited(signed(SignatureAlgorithm.ECDSA_P256), node -> node.with("signature").put("algorithm", "SHA256withECDSA "));
        assertEquals(DenyCode.SIGNATURE_INVALID, denied(document, keys(SignatureAlgorithm.ECDSA_P256)).code());
    }

    @Test
    void unknownMembersDeny() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.ED25519);
        assertEquals("the grant document has an unknown member 'note'",
                denied(edited(signed(SignatureAlgorithm.ED25519), node -> node.put("note", "x")), keys).getMessage());
        assertEquals("the signature has an unknown member 'x5c'",
                denied(edited(signed(SignatureAlgorithm.ED25519), node -> node.with("signature").put("x5c", "x")), keys).getMessage());
    }

    @Test
    void aVerifiedButMalformedGrantIsInvalid() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.ED25519);
        final ObjectNode document = MAPPER.createObjectNode().put("format", GrantDocument.FORMAT);
        document.set("grant", GrantJson.toJson(GRANT).put("mode", "REGIONAL"));
        final byte[] value = SignatureAlgorithm.ED25519.sign(keys.getPrivate(), GrantJson.canonical(document));
        document.putObject("signature").put("algorithm", "Ed25519").put("value", Base64.getEncoder().encodeToString(value));
        final GrantException e = denied(MAPPER.writeValueAsBytes(document), keys);
        assertEquals("GRANT_INVALID: mode 'REGIONAL' is not one of [WHOLE, DOMAIN, SCENARIO]", e.decision().denyReason());

        document.put("format", "publicdata-grant/2");
        document.set("grant", GrantJson.toJson(GRANT));
        document.remove("signature");
        final byte[] value2 = SignatureAlgorithm.ED25519.sign(keys.getPrivate(), GrantJson.canonical(document));
        document.putObject("signature").put("algorithm", "Ed25519").put("value", Base64.getEncoder().encodeToString(value2));
        assertEquals("GRANT_INVALID: the grant document's format is not publicdata-grant/1",
                denied(MAPPER.writeValueAsBytes(document), keys).decision().denyReason());
    }

    @Test
    void nothingInvalidIsSigned() {
        final KeyPair keys = keys(SignatureAlgorithm.SM2);
        final ObjectNode invalid = GrantJson.toJson(GRANT).put("maximumGrade", " ");
        assertEquals("A grant needs a non-blank maximumGrade", assertThrows(IllegalArgumentException.class,
                () -> GrantDocument.sign(invalid, keys.getPrivate(), keys.getPublic())).getMessage());
        assertEquals("The public key does not belong to the private key", assertThrows(IllegalArgumentException.class,
                () -> GrantDocument.sign(GrantJson.toJson(GRANT), keys.getPrivate(), SignatureAlgorithm.SM2.generateKeyPair().getPublic())).getMessage());
    }

    @Test
    void signingADocumentReplacesItsSignature() throws Exception {
        final KeyPair keys = keys(SignatureAlgorithm.ED25519);
        final byte[] first = signed(SignatureAlgorithm.SM2);
        final byte[] resigned = GrantDocument.sign(MAPPER.readTree(first), keys.getPrivate(), keys.getPublic());
        assertEquals(GRANT, GrantDocument.verify(resigned, keys.getPublic()));
        // Ed25519 is deterministic: the same grant gives the same document
        assertArrayEquals(resigned, GrantDocument.sign(GrantJson.toJson(GRANT), keys.getPrivate(), keys.getPublic()));
    }
}
