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
import java.util.Objects;

/**
 * The one envelope of every signed document (grant, use request, revocation list): a JSON object
 *
 * <pre>{"format": "publicdata-grant/1", "grant": {...}, "signature": {"algorithm": "SM3withSM2", "keyId": "sha256:...", "value": "base64"}}</pre>
 *
 * whose signature covers the canonical form ({@link GrantJson#canonical}, RFC 8785 over objects, arrays and strings)
 * of the document without its {@code signature} member. The key decides the algorithm (SM2, ECDSA P-256 or Ed25519),
 * so a document cannot choose a weaker one. Verification fails closed: anything but a well-formed document whose
 * signature verifies with one of the given keys is refused with the kind's signature code.
 */
public final class SignedEnvelope {

    private static final List<String> SIGNATURE_MEMBERS = List.of("algorithm", "keyId", "value");
    /** Indented, "name": value: formatting is not signed, this is only for people reading the document. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    /**
     * A kind of signed document.
     *
     * @param format        the {@code format} member, e.g. {@code publicdata-grant/1}
     * @param member        the member holding the content, e.g. {@code grant}
     * @param what          how messages name the document, e.g. {@code grant document}
     * @param signer        how messages name the signer, e.g. {@code issuer}
     * @param signatureCode the code of a document whose signature does not verify
     * @param contentCode   the code of a verified document whose content is not what the kind holds
     */
    public record Kind(String format, String member, String what, String signer, DenyCode signatureCode, DenyCode contentCode) {
        public Kind {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(signatureCode, "signatureCode");
            Objects.requireNonNull(contentCode, "contentCode");
        }
    }

    /**
     * A verified document.
     *
     * @param content the content member, e.g. the grant object
     * @param key     the key whose signature verified
     */
    public record Verified(JsonNode content, PublicKey key) {
    }

    private SignedEnvelope() {
    }

    /**
     * Signs content.
     *
     * @param key       the signer's private key: it decides the algorithm
     * @param publicKey the signer's public key, whose id the signature carries
     * @return the signed document, indented, UTF-8, ending with a newline
     * @throws IllegalArgumentException when the key is unsupported, the public key is not its pair, or the content holds
     *                                  what a signed document cannot
     */
    public static byte[] sign(final Kind kind, final JsonNode content, final PrivateKey key, final PublicKey publicKey)
            throws GeneralSecurityException {
        final SignatureAlgorithm algorithm = SignatureAlgorithm.of(key);
        final ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("format", kind.format());
        document.set(kind.member(), content.deepCopy());
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
     * Verifies a signed document with one of the signer's keys: the one its {@code keyId} names, or, without a key
     * id, any of them.
     *
     * @param keys the signer's public keys, at least one
     * @return the content and the key that verified it
     * @throws GrantException the kind's signature code unless the document is well-formed and its signature verifies
     *                        with one of the keys; its content code when the format is not the kind's
     */
    public static Verified verify(final Kind kind, final byte[] documentBytes, final List<PublicKey> keys) throws GrantException {
        if (keys.isEmpty()) {
            throw new GrantException(kind.signatureCode(), "there is no " + kind.signer() + "'s key to verify the " + kind.what() + " with");
        }
        final JsonNode document;
        try {
            document = GrantJson.parse(documentBytes);
        } catch (final IOException e) {
            throw invalid(kind, "the " + kind.what() + " is not well-formed JSON, so its signature cannot be checked");
        }
        if (document == null || !document.isObject()) {
            throw invalid(kind, "the " + kind.what() + " is not a JSON object");
        }
        final JsonNode signature = document.get("signature");
        if (signature == null) {
            throw invalid(kind, "the " + kind.what() + " is not signed");
        }
        for (final Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!List.of("format", kind.member(), "signature").contains(name)) {
                throw invalid(kind, "the " + kind.what() + " has an unknown member '" + name + "'");
            }
        }
        if (!signature.isObject() || !signature.path("algorithm").isTextual() || !signature.path("value").isTextual()
                || (signature.has("keyId") && !signature.get("keyId").isTextual())) {
            throw invalid(kind, "the signature must be an object with the strings algorithm, keyId and value");
        }
        for (final Iterator<String> names = signature.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!SIGNATURE_MEMBERS.contains(name)) {
                throw invalid(kind, "the signature has an unknown member '" + name + "'");
            }
        }
        final String encoded = signature.get("value").asText();
        final byte[] value;
        try {
            value = Base64.getDecoder().decode(encoded);
        } catch (final IllegalArgumentException e) {
            throw invalid(kind, "the signature value is not base64");
        }
        // The decoder ignores the unused bits of the last character: insist on the one encoding of these bytes
        if (!Base64.getEncoder().encodeToString(value).equals(encoded)) {
            throw invalid(kind, "the signature value is not canonical base64");
        }
        final ObjectNode signed = ((ObjectNode) document).deepCopy();
        signed.remove("signature");
        final byte[] canonical;
        try {
            canonical = GrantJson.canonical(signed);
        } catch (final IllegalArgumentException e) {
            throw invalid(kind, "the " + kind.what() + " cannot be put in canonical form: " + e.getMessage());
        }

        PublicKey verifiedBy = null;
        for (final PublicKey key : signers(kind, signature, keys)) {
            if (SignatureAlgorithm.of(key).verify(key, canonical, value)) {
                verifiedBy = key;
                break;
            }
        }
        if (verifiedBy == null) {
            throw invalid(kind, "the signature does not match the document: it was changed after signing, or signed with another key");
        }
        if (!kind.format().equals(document.path("format").asText(null))) {
            throw new GrantException(kind.contentCode(), "the " + kind.what() + "'s format is not " + kind.format());
        }
        return new Verified(document.get(kind.member()), verifiedBy);
    }

    /** The keys that may have signed: those of the document's algorithm, and of them the one its key id names, if it names one. */
    private static List<PublicKey> signers(final Kind kind, final JsonNode signature, final List<PublicKey> keys) throws GrantException {
        final String algorithmName = signature.get("algorithm").asText();
        final List<PublicKey> ofAlgorithm = keys.stream().filter(key -> SignatureAlgorithm.of(key).jcaName().equals(algorithmName)).toList();
        if (ofAlgorithm.isEmpty()) {
            throw invalid(kind, "the document is signed with " + algorithmName + " but the " + kind.signer() + "'s key is for "
                    + String.join(", ", keys.stream().map(key -> SignatureAlgorithm.of(key).jcaName()).distinct().toList()));
        }
        if (!signature.has("keyId")) {
            return ofAlgorithm;
        }
        final String keyId = signature.get("keyId").asText();
        final List<PublicKey> named = ofAlgorithm.stream().filter(key -> PemKeys.keyId(key).equals(keyId)).toList();
        if (named.isEmpty()) {
            throw invalid(kind, "the document was signed with key " + keyId + ", not with the " + kind.signer() + "'s key "
                    + (keys.size() == 1 ? PemKeys.keyId(keys.getFirst()) : keys.stream().map(PemKeys::keyId).toList().toString()));
        }
        return named;
    }

    private static GrantException invalid(final Kind kind, final String message) {
        return new GrantException(kind.signatureCode(), message);
    }
}
