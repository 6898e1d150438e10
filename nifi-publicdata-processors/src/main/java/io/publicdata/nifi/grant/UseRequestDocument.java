package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Signed use requests: a {@link UseRequest} in the {@link SignedEnvelope} of grants, signed by the grantee:
 *
 * <pre>{"format": "publicdata-use-request/1", "request": {...}, "signature": {"algorithm": "Ed25519", "keyId": "sha256:...", "value": "base64"}}</pre>
 *
 * Verified with the grantee keys its grant names. Anything but a well-formed document whose signature verifies with
 * one of them is {@link DenyCode#REQUEST_SIGNATURE_INVALID}; a verified document that is not a valid request is
 * {@link DenyCode#REQUEST_INVALID}.
 */
public final class UseRequestDocument {

    public static final String FORMAT = "publicdata-use-request/1";
    public static final SignedEnvelope.Kind KIND = new SignedEnvelope.Kind(FORMAT, "request", "use request", "grantee",
            DenyCode.REQUEST_SIGNATURE_INVALID, DenyCode.REQUEST_INVALID);

    private static final List<String> MEMBERS = List.of("id", "grantId", "grantee", "datasets", "purpose", "purposeCategory",
            "domain", "scenario", "fields", "issuedAt", "validUntil");
    private static final Set<String> REQUIRED = Set.of("id", "grantId", "grantee", "datasets", "purpose", "purposeCategory",
            "issuedAt", "validUntil");

    private UseRequestDocument() {
    }

    /**
     * Signs a request.
     *
     * @param requestOrDocument a request object, or a document holding one in {@code request} (its signature, if any, is replaced)
     * @throws IllegalArgumentException when the request is malformed or the key unsupported: nothing invalid is signed
     */
    public static byte[] sign(final JsonNode requestOrDocument, final PrivateKey key, final PublicKey publicKey) throws GeneralSecurityException {
        final JsonNode request = requestOrDocument.has("request") ? requestOrDocument.get("request") : requestOrDocument;
        fromJson(request);
        return SignedEnvelope.sign(KIND, request, key, publicKey);
    }

    /**
     * Verifies a signed request with the grantee's keys and reads it.
     *
     * @throws GrantException {@link DenyCode#REQUEST_SIGNATURE_INVALID} unless the document is well-formed and signed with
     *                        one of the keys; {@link DenyCode#REQUEST_INVALID} when the verified request is malformed
     */
    public static UseRequest verify(final byte[] documentBytes, final List<PublicKey> granteeKeys) throws GrantException {
        final JsonNode request = SignedEnvelope.verify(KIND, documentBytes, granteeKeys).content();
        try {
            return fromJson(request);
        } catch (final IllegalArgumentException e) {
            throw new GrantException(DenyCode.REQUEST_INVALID, e.getMessage());
        }
    }

    /** A request as a JSON object, members in the documented order, absent values and empty lists left out. */
    public static ObjectNode toJson(final UseRequest request) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", request.id());
        node.put("grantId", request.grantId());
        node.put("grantee", request.grantee());
        final ArrayNode datasets = node.putArray("datasets");
        request.datasets().forEach(datasets::add);
        node.put("purpose", request.purpose());
        node.put("purposeCategory", request.purposeCategory());
        if (request.domain() != null) {
            node.put("domain", request.domain());
        }
        if (request.scenario() != null) {
            node.put("scenario", request.scenario());
        }
        if (!request.fields().isEmpty()) {
            final ArrayNode fields = node.putArray("fields");
            request.fields().forEach(fields::add);
        }
        node.put("issuedAt", Times.format(request.issuedAt()));
        node.put("validUntil", Times.format(request.validUntil()));
        return node;
    }

    /**
     * Reads a request object.
     *
     * @throws IllegalArgumentException naming the member that is missing, unknown or malformed
     */
    public static UseRequest fromJson(final JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("A use request is a JSON object");
        }
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("Unknown use request member '" + name + "'; a request has " + MEMBERS);
            }
        }
        for (final String name : REQUIRED) {
            if (!node.hasNonNull(name)) {
                throw new IllegalArgumentException("The use request has no '" + name + "'");
            }
        }
        return new UseRequest(text(node, "id"), text(node, "grantId"), text(node, "grantee"), list(node, "datasets"),
                text(node, "purpose"), text(node, "purposeCategory"), text(node, "domain"), text(node, "scenario"),
                list(node, "fields"), GrantJson.parseTime(text(node, "issuedAt"), "issuedAt"),
                GrantJson.parseTime(text(node, "validUntil"), "validUntil"));
    }

    private static String text(final JsonNode node, final String name) {
        return GrantJson.textMember(node, name, "Use request");
    }

    private static List<String> list(final JsonNode node, final String name) {
        return GrantJson.listMember(node, name, "Use request");
    }
}
