package io.publicdata.nifi.grant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Signed grant documents: how a data authority hands a grant to an operator so that nobody can widen it on the
 * way (see docs/grants.md). A document is a JSON object:
 *
 * <pre>{"format": "publicdata-grant/1", "grant": {...}, "signature": {"algorithm": "SM3withSM2", "keyId": "sha256:...", "value": "base64"}}</pre>
 *
 * The signature covers the canonical form ({@link GrantJson#canonical}) of the document without its
 * {@code signature} member. Verification fails closed: anything but a well-formed document whose signature verifies
 * with the issuer's key is {@link DenyCode#SIGNATURE_INVALID}; a verified document whose grant is malformed is
 * {@link DenyCode#GRANT_INVALID}.
 */
public final class GrantDocument {

    public static final String FORMAT = "publicdata-grant/1";
    private static final List<String> MEMBERS = List.of("format", "grant", "signature");
    private static final List<String> SIGNATURE_MEMBERS = List.of("algorithm", "keyId", "value");
    /** Indented, "name": value: formatting is not signed, this is only for people reading the document. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private GrantDocument() {
    }

    /**
     * Signs a grant.
     *
     * @param grantOrDocument a grant object, or a document holding one in {@code grant} (its signature, if any, is replaced)
     * @param key             the issuer's private key
     * @param publicKey       the issuer's public key, whose id the signature carries
     * @return the signed document, indented, UTF-8, ending with a newline
     * @throws IllegalArgumentException when the grant is malformed or the key unsupported: nothing invalid is signed
     */
    public static byte[] sign(final JsonNode grantOrDocument, final PrivateKey key, final PublicKey publicKey) throws GeneralSecurityException {
        final JsonNode grant = grantOrDocument.has("grant") ? grantOrDocument.get("grant") : grantOrDocument;
        GrantJson.fromJson(grant);
        final SignatureAlgorithm algorithm = SignatureAlgorithm.of(key);
        final ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("format", FORMAT);
        document.set("grant", grant.deepCopy());
        final byte[] canonical = GrantJson.canonical(document);
        final byte[] value = algorithm.sign(key, canonical);
        // The key id tells verifiers which key to use: make sure it names the key that signed
        if (!algorithm.verify(publicKey, canonical, value)) {
            throw new IllegalArgumentException("The public key does not belong to the private key");
        }
        final ObjectNode signature = document.putObject("signature");
        signature.put("algorithm", algorithm.jcaName());
        signature.put("keyId", PemKeys.keyId(publicKey));
        signature.put("value", Base64.getEncoder().encodeToString(value));
        try {
            return (GrantJson.STRICT.writer(PRETTY).writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the signed document", e);
        }
    }

    /**
     * Verifies a signed document with the issuer's public key and reads its grant.
     *
     * @throws GrantException {@link DenyCode#SIGNATURE_INVALID} unless the document is well-formed and its signature
     *                        verifies with this key; {@link DenyCode#GRANT_INVALID} when the verified grant is malformed
     */
    public static Grant verify(final byte[] documentBytes, final PublicKey key) throws GrantException {
        final JsonNode document;
        try {
            document = GrantJson.parse(documentBytes);
        } catch (final IOException e) {
            throw invalidSignature("the grant document is not well-formed JSON, so its signature cannot be checked");
        }
        if (document == null || !document.isObject()) {
            throw invalidSignature("the grant document is not a JSON object");
        }
        final JsonNode signature = document.get("signature");
        if (signature == null) {
            throw invalidSignature("the grant document is not signed");
        }
        for (final Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw invalidSignature("the grant document has an unknown member '" + name + "'");
            }
        }
        if (!signature.isObject() || !signature.path("algorithm").isTextual() || !signature.path("value").isTextual()
                || (signature.has("keyId") && !signature.get("keyId").isTextual())) {
            throw invalidSignature("the signature must be an object with the strings algorithm, keyId and value");
        }
        for (final Iterator<String> names = signature.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!SIGNATURE_MEMBERS.contains(name)) {
                throw invalidSignature("the signature has an unknown member '" + name + "'");
            }
        }

        final SignatureAlgorithm algorithm = SignatureAlgorithm.of(key);
        if (!algorithm.jcaName().equals(signature.get("algorithm").asText())) {
            throw invalidSignature("the document is signed with " + signature.get("algorithm").asText()
                    + " but the issuer's key is for " + algorithm.jcaName());
        }
        if (signature.has("keyId") && !PemKeys.keyId(key).equals(signature.get("keyId").asText())) {
            throw invalidSignature("the document was signed with key " + signature.get("keyId").asText()
                    + ", not with the issuer's key " + PemKeys.keyId(key));
        }
        final String encoded = signature.get("value").asText();
        final byte[] value;
        try {
            value = Base64.getDecoder().decode(encoded);
        } catch (final IllegalArgumentException e) {
            throw invalidSignature("the signature value is not base64");
        }
        // The decoder ignores the unused bits of the last character: insist on the one encoding of these bytes
        if (!Base64.getEncoder().encodeToString(value).equals(encoded)) {
            throw invalidSignature("the signature value is not canonical base64");
        }

        final ObjectNode signed = ((ObjectNode) document).deepCopy();
        signed.remove("signature");
        final byte[] canonical;
        try {
            canonical = GrantJson.canonical(signed);
        } catch (final IllegalArgumentException e) {
            throw invalidSignature("the grant document cannot be put in canonical form: " + e.getMessage());
        }
        if (!algorithm.verify(key, canonical, value)) {
            throw invalidSignature("the signature does not match the document: it was changed after signing, or signed with another key");
        }

        if (!FORMAT.equals(document.path("format").asText(null))) {
            throw new GrantException(DenyCode.GRANT_INVALID, "the grant document's format is not " + FORMAT);
        }
        try {
            return GrantJson.fromJson(document.get("grant"));
        } catch (final IllegalArgumentException e) {
            throw new GrantException(DenyCode.GRANT_INVALID, e.getMessage());
        }
    }

    private static GrantException invalidSignature(final String message) {
        return new GrantException(DenyCode.SIGNATURE_INVALID, message);
    }
}
