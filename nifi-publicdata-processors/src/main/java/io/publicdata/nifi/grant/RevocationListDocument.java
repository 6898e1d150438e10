package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Signed revocation lists: a {@link RevocationList} in the {@link SignedEnvelope} of grants, signed by the authority:
 *
 * <pre>{"format": "publicdata-revocation-list/1", "revocationList": {"issuer": "...", "issuedAt": "...", "nextUpdate": "...",
 *  "revoked": [{"grantId": "GR-2025-0001", "serial": "2", "reason": "...", "revokedAt": "..."}]}, "signature": {...}}</pre>
 *
 * A list that does not verify with the authority's key, or is malformed, is {@link DenyCode#REVOCATION_LIST_INVALID}.
 */
public final class RevocationListDocument {

    public static final String FORMAT = "publicdata-revocation-list/1";
    public static final SignedEnvelope.Kind KIND = new SignedEnvelope.Kind(FORMAT, "revocationList", "revocation list", "authority",
            DenyCode.REVOCATION_LIST_INVALID, DenyCode.REVOCATION_LIST_INVALID);

    private static final List<String> MEMBERS = List.of("issuer", "issuedAt", "nextUpdate", "revoked");
    private static final List<String> ENTRY_MEMBERS = List.of("grantId", "serial", "reason", "revokedAt");

    private RevocationListDocument() {
    }

    /**
     * Signs a list.
     *
     * @throws IllegalArgumentException when the list is malformed or the key unsupported
     */
    public static byte[] sign(final RevocationList list, final PrivateKey key, final PublicKey publicKey) throws GeneralSecurityException {
        return SignedEnvelope.sign(KIND, toJson(list), key, publicKey);
    }

    /**
     * Verifies a signed list with the authority's key and reads it.
     *
     * @throws GrantException {@link DenyCode#REVOCATION_LIST_INVALID} unless the document is a well-formed list signed with the key
     */
    public static RevocationList verify(final byte[] documentBytes, final PublicKey key) throws GrantException {
        final JsonNode list = SignedEnvelope.verify(KIND, documentBytes, List.of(key)).content();
        try {
            return fromJson(list);
        } catch (final IllegalArgumentException e) {
            throw new GrantException(DenyCode.REVOCATION_LIST_INVALID, e.getMessage());
        }
    }

    public static ObjectNode toJson(final RevocationList list) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("issuer", list.issuer());
        node.put("issuedAt", Times.format(list.issuedAt()));
        node.put("nextUpdate", Times.format(list.nextUpdate()));
        final ArrayNode revoked = node.putArray("revoked");
        for (final RevocationList.Entry entry : list.revoked()) {
            final ObjectNode item = revoked.addObject();
            item.put("grantId", entry.grantId());
            if (entry.serial() != null) {
                item.put("serial", entry.serial());
            }
            if (entry.reason() != null) {
                item.put("reason", entry.reason());
            }
            item.put("revokedAt", Times.format(entry.revokedAt()));
        }
        return node;
    }

    /**
     * @throws IllegalArgumentException naming what is missing, unknown or malformed
     */
    public static RevocationList fromJson(final JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("A revocation list is a JSON object");
        }
        known(node, MEMBERS, "revocation list");
        final JsonNode revoked = node.get("revoked");
        if (revoked == null || !revoked.isArray()) {
            throw new IllegalArgumentException("The revocation list needs 'revoked', an array (empty when nothing is revoked)");
        }
        final List<RevocationList.Entry> entries = new ArrayList<>();
        for (final JsonNode item : revoked) {
            if (!item.isObject()) {
                throw new IllegalArgumentException("Each revoked grant is an object with grantId, serial, reason and revokedAt");
            }
            known(item, ENTRY_MEMBERS, "revoked grant");
            entries.add(new RevocationList.Entry(text(item, "grantId"), text(item, "serial"), text(item, "reason"),
                    time(item, "revokedAt")));
        }
        return new RevocationList(text(node, "issuer"), time(node, "issuedAt"), time(node, "nextUpdate"), entries);
    }

    private static void known(final JsonNode node, final List<String> members, final String what) {
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!members.contains(name)) {
                throw new IllegalArgumentException("Unknown " + what + " member '" + name + "'; it has " + members);
            }
        }
    }

    private static String text(final JsonNode node, final String name) {
        return GrantJson.textMember(node, name, "Revocation list");
    }

    private static java.time.OffsetDateTime time(final JsonNode node, final String name) {
        final String text = text(node, name);
        if (text == null) {
            throw new IllegalArgumentException("The revocation list has no '" + name + "'");
        }
        return GrantJson.parseTime(text, name);
    }
}
