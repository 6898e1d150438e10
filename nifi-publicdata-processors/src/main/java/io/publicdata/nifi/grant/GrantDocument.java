package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.JsonNode;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

/**
 * Signed grant documents: how a data authority hands a grant to an operator so that nobody can widen it on the
 * way (see docs/grants.md). A document is the {@link SignedEnvelope} of a grant:
 *
 * <pre>{"format": "publicdata-grant/1", "grant": {...}, "signature": {"algorithm": "SM3withSM2", "keyId": "sha256:...", "value": "base64"}}</pre>
 *
 * Verification fails closed: anything but a well-formed document whose signature verifies with the issuer's key is
 * {@link DenyCode#SIGNATURE_INVALID}; a verified document whose grant is malformed is {@link DenyCode#GRANT_INVALID}.
 */
public final class GrantDocument {

    public static final String FORMAT = "publicdata-grant/1";
    public static final SignedEnvelope.Kind KIND = new SignedEnvelope.Kind(FORMAT, "grant", "grant document", "issuer",
            DenyCode.SIGNATURE_INVALID, DenyCode.GRANT_INVALID);

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
        return SignedEnvelope.sign(KIND, grant, key, publicKey);
    }

    /**
     * Verifies a signed document with the issuer's public key and reads its grant.
     *
     * @throws GrantException {@link DenyCode#SIGNATURE_INVALID} unless the document is well-formed and its signature
     *                        verifies with this key; {@link DenyCode#GRANT_INVALID} when the verified grant is malformed
     */
    public static Grant verify(final byte[] documentBytes, final PublicKey key) throws GrantException {
        final JsonNode grant = SignedEnvelope.verify(KIND, documentBytes, List.of(key)).content();
        try {
            return GrantJson.fromJson(grant);
        } catch (final IllegalArgumentException e) {
            throw new GrantException(DenyCode.GRANT_INVALID, e.getMessage());
        }
    }
}
