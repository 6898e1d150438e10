package io.publicdata.nifi.grant;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.json.CanonicalJson;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link Grant} (the {@code grant} member of a grant document, see docs/grants.md) and the
 * canonical serialisation that signatures cover.
 *
 * <p>Canonical form: the JSON Canonicalization Scheme (RFC 8785, written by {@link CanonicalJson}) for the values a
 * grant document may hold, which are only objects, arrays and strings: no whitespace, object members sorted by name
 * in UTF-16 code unit order, array order kept, strings in UTF-8 with only {@code "} and {@code \} escaped. Control
 * characters and unpaired surrogates are refused, numbers, booleans and null have no place in a grant document.
 * Re-indenting a document therefore keeps its signature; changing any name or value breaks it.
 */
public final class GrantJson {

    /** Parses strictly: a repeated member name or anything after the document is an error, not a silent choice. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final List<String> MEMBERS = List.of("id", "issuer", "grantee", "mode", "domains", "scenarios", "purposes",
            "datasets", "permittedFields", "maximumGrade", "requiredProtection", "validFrom", "validUntil", "status", "pricing", "serial",
            "granteeKeys");
    private static final Set<String> REQUIRED = Set.of("id", "issuer", "grantee", "mode", "purposes", "datasets", "permittedFields",
            "maximumGrade", "validFrom", "validUntil", "status", "pricing");

    private GrantJson() {
    }

    /** The member names of a grant object, in the order documents list them. */
    public static List<String> members() {
        return MEMBERS;
    }

    /** A grant as a JSON object, members in the documented order, empty lists left out. */
    public static ObjectNode toJson(final Grant grant) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", grant.id());
        if (grant.issuer() != null) {
            node.put("issuer", grant.issuer());
        }
        node.put("grantee", grant.grantee());
        node.put("mode", grant.mode().name());
        putList(node, "domains", grant.domains());
        putList(node, "scenarios", grant.scenarios());
        putList(node, "purposes", grant.purposes());
        putList(node, "datasets", grant.datasets());
        putList(node, "permittedFields", grant.permittedFields());
        node.put("maximumGrade", grant.maximumGrade());
        if (!grant.requiredProtection().isEmpty()) {
            final ObjectNode protection = node.putObject("requiredProtection");
            grant.requiredProtection().forEach((grade, methods) -> {
                final ArrayNode list = protection.putArray(grade);
                methods.forEach(method -> list.add(method.name()));
            });
        }
        node.put("validFrom", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(grant.validFrom()));
        node.put("validUntil", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(grant.validUntil()));
        node.put("status", grant.status().name());
        if (grant.pricing() != null) {
            node.put("pricing", grant.pricing().name());
        }
        if (grant.serial() != null) {
            node.put("serial", grant.serial());
        }
        putList(node, "granteeKeys", grant.granteeKeys());
        return node;
    }

    private static void putList(final ObjectNode node, final String name, final List<String> values) {
        if (!values.isEmpty()) {
            final ArrayNode array = node.putArray(name);
            values.forEach(array::add);
        }
    }

    /**
     * Reads a grant object.
     *
     * @throws IllegalArgumentException naming the member that is missing, unknown or malformed
     */
    public static Grant fromJson(final JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("A grant is a JSON object");
        }
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!MEMBERS.contains(name)) {
                // An unknown member may be a restriction this version cannot enforce: refuse rather than ignore it
                throw new IllegalArgumentException("Unknown grant member '" + name + "'; a grant has " + MEMBERS);
            }
        }
        for (final String name : MEMBERS) {
            if (REQUIRED.contains(name) && !node.hasNonNull(name)) {
                throw new IllegalArgumentException("The grant has no '" + name + "'");
            }
        }
        return new Grant(
                text(node, "id"), text(node, "issuer"), text(node, "grantee"),
                constant(AuthorizationMode.class, text(node, "mode"), "mode"),
                list(node, "domains"), list(node, "scenarios"), list(node, "purposes"), list(node, "datasets"),
                list(node, "permittedFields"), text(node, "maximumGrade"), protection(node.get("requiredProtection")),
                time(node, "validFrom"), time(node, "validUntil"),
                constant(GrantStatus.class, text(node, "status"), "status"),
                node.has("pricing") ? constant(Pricing.class, text(node, "pricing"), "pricing") : null,
                text(node, "serial"), list(node, "granteeKeys"));
    }

    private static String text(final JsonNode node, final String name) {
        return textMember(node, name, "Grant");
    }

    /** A string member of a signed document's content, or null when absent; {@code what} names the document in the message. */
    static String textMember(final JsonNode node, final String name, final String what) {
        final JsonNode value = node.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(what + " member '" + name + "' must be a string");
        }
        return value.asText();
    }

    private static List<String> list(final JsonNode node, final String name) {
        return listMember(node, name, "Grant");
    }

    /** An array-of-strings member of a signed document's content, empty when absent; {@code what} names the document. */
    static List<String> listMember(final JsonNode node, final String name, final String what) {
        final JsonNode value = node.get(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(what + " member '" + name + "' must be an array of strings");
        }
        final List<String> values = new ArrayList<>();
        for (final JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(what + " member '" + name + "' must be an array of strings");
            }
            values.add(element.asText());
        }
        return values;
    }

    private static Map<String, Set<ProtectionMethod>> protection(final JsonNode node) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("Grant member 'requiredProtection' must be an object of grade to methods, e.g. {\"L3\": [\"MASK\", \"ENCRYPT\"]}");
        }
        final Map<String, Set<ProtectionMethod>> requirements = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            final Set<ProtectionMethod> methods = EnumSet.noneOf(ProtectionMethod.class);
            for (final String method : list(node, entry.getKey())) {
                methods.add(constant(ProtectionMethod.class, method, "requiredProtection." + entry.getKey()));
            }
            requirements.put(entry.getKey(), methods);
        }
        return requirements;
    }

    /**
     * Reads an ISO-8601 date-time with an offset, e.g. {@code 2025-01-01T00:00:00+08:00}. A time without an offset
     * is refused: which instant it means would depend on the machine.
     *
     * @throws IllegalArgumentException when the text is not such a date-time
     */
    public static OffsetDateTime parseTime(final String text, final String name) {
        try {
            return OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not an ISO-8601 date-time with an offset, e.g. 2025-01-01T00:00:00+08:00");
        }
    }

    private static OffsetDateTime time(final JsonNode node, final String name) {
        return parseTime(text(node, name), name);
    }

    /**
     * The constant of an enum with this name (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException listing the allowed names
     */
    public static <E extends Enum<E>> E constant(final Class<E> type, final String name, final String what) {
        try {
            return Enum.valueOf(type, name.strip().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + name + "' is not one of " + List.of(type.getEnumConstants()));
        }
    }

    /**
     * The canonical UTF-8 bytes of a JSON value (see the class comment).
     *
     * @throws IllegalArgumentException when the value holds anything but objects, arrays and strings
     */
    public static byte[] canonical(final JsonNode value) {
        requireGrantValues(value);
        return CanonicalJson.bytes(value);
    }

    /** Refuses what a grant document cannot hold, before RFC 8785 would write it. */
    private static void requireGrantValues(final JsonNode value) {
        if (value.isObject()) {
            final Iterator<Map.Entry<String, JsonNode>> members = value.fields();
            while (members.hasNext()) {
                final Map.Entry<String, JsonNode> member = members.next();
                checked(member.getKey());
                requireGrantValues(member.getValue());
            }
        } else if (value.isArray()) {
            value.forEach(GrantJson::requireGrantValues);
        } else if (value.isTextual()) {
            checked(value.asText());
        } else {
            throw new IllegalArgumentException("A grant document holds only objects, arrays and strings, not " + value.getNodeType());
        }
    }

    /** Refuses control characters (a grant has no use for them) and unpaired surrogates (no UTF-8 form). */
    private static void checked(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x20) {
                throw new IllegalArgumentException("A grant document may not hold control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("A grant document may not hold unpaired surrogates");
            }
        }
    }

    /**
     * Parses JSON strictly: a repeated member name or anything after the value is an error.
     *
     * @return the value; a missing node when there is none
     */
    public static JsonNode parse(final byte[] json) throws IOException {
        return STRICT.readTree(json);
    }
}
