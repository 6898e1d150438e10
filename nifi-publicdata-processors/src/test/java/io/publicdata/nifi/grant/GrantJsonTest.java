package io.publicdata.nifi.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrantJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String canonical(final String json) throws IOException {
        return new String(GrantJson.canonical(MAPPER.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void canonicalFormSortsMembersAndDropsWhitespace() throws IOException {
        assertEquals("{\"a\":[\"y\",\"x\"],\"b\":\"2\",\"c\":{\"A\":\"\\\"q\\\" \\\\ /\",\"é\":\"数据\"}}",
                canonical("{ \"b\" : \"2\",\n \"a\": [\"y\", \"x\"], \"c\": {\"é\": \"数据\", \"A\": \"\\\"q\\\" \\\\ \\/\"}}"));
    }

    @Test
    void canonicalFormSortsByUtf16CodeUnitsAsRfc8785() throws IOException {
        // U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 in UTF-16 although it follows it in code points
        assertEquals("{\"a\":\"1\",\"\uD83D\uDE00\":\"2\",\"\uE000\":\"3\"}",
                canonical("{\"\uE000\": \"3\", \"\uD83D\uDE00\": \"2\", \"a\": \"1\"}"));
    }

    @Test
    void canonicalFormRefusesWhatAGrantDocumentCannotHold() {
        assertEquals("A grant document holds only objects, arrays and strings, not NUMBER",
                assertThrows(IllegalArgumentException.class, () -> canonical("{\"a\": 1}")).getMessage());
        assertEquals("A grant document holds only objects, arrays and strings, not BOOLEAN",
                assertThrows(IllegalArgumentException.class, () -> canonical("[true]")).getMessage());
        assertEquals("A grant document may not hold control characters",
                assertThrows(IllegalArgumentException.class, () -> canonical("{\"a\": \"tab\\there\"}")).getMessage());
        assertEquals("A grant document may not hold unpaired surrogates",
                assertThrows(IllegalArgumentException.class, () -> canonical("{\"a\": \"\\ud800\"}")).getMessage());
    }

    @Test
    void strictParsingRefusesRepeatedMembersAndTrailingContent() {
        assertThrows(IOException.class, () -> GrantJson.parse("{\"a\": \"1\", \"a\": \"2\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> GrantJson.parse("{\"a\": \"1\"} {}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> GrantJson.parse("{\"a\": \"1\"} x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void grantsRoundTrip() {
        final Grant grant = grant().protect("L3", ProtectionMethod.MASK, ProtectionMethod.ENCRYPT).fields("/name", "/contacts/*").build();
        assertEquals(grant, GrantJson.fromJson(GrantJson.toJson(grant)));
        final Grant byScenario = grant().scenario(List.of("信号配时优化"), List.of()).build();
        assertEquals(byScenario, GrantJson.fromJson(GrantJson.toJson(byScenario)));
    }

    @Test
    void readingNamesWhatIsWrong() {
        final ObjectNode valid = GrantJson.toJson(grant().build());
        assertEquals("Unknown grant member 'regions'; a grant has " + GrantJson.members(),
                invalid(valid.deepCopy().put("regions", "x")));
        assertEquals("The grant has no 'validUntil'", invalid(without(valid, "validUntil")));
        assertEquals("The grant has no 'pricing'", invalid(without(valid, "pricing")));
        assertEquals("Grant member 'id' must be a string", invalid(valid.deepCopy().put("id", 7)));
        assertEquals("Grant member 'domains' must be an array of strings", invalid(valid.deepCopy().put("domains", "交通运输")));
        assertEquals("mode 'REGIONAL' is not one of [WHOLE, DOMAIN, SCENARIO]", invalid(valid.deepCopy().put("mode", "REGIONAL")));
        assertEquals("validUntil '2026-01-01T00:00:00' is not an ISO-8601 date-time with an offset, e.g. 2025-01-01T00:00:00+08:00",
                invalid(valid.deepCopy().put("validUntil", "2026-01-01T00:00:00")));
        assertEquals("validFrom '2025-01-01' is not an ISO-8601 date-time with an offset, e.g. 2025-01-01T00:00:00+08:00",
                invalid(valid.deepCopy().put("validFrom", "2025-01-01")));
        final ObjectNode protection = valid.deepCopy();
        protection.putObject("requiredProtection").putArray("L3").add("SHRED");
        assertEquals("requiredProtection.L3 'SHRED' is not one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]", invalid(protection));
        assertEquals("A grant is a JSON object", assertThrows(IllegalArgumentException.class, () -> GrantJson.fromJson(MAPPER.createArrayNode())).getMessage());
    }

    @Test
    void aSerialAndGranteeKeysRoundTrip() {
        final ObjectNode node = GrantJson.toJson(grant().build());
        node.put("serial", "2");
        node.putArray("granteeKeys").add(PemKeys.encode(SignatureAlgorithm.SM2.generateKeyPair().getPublic()))
                .add(PemKeys.encode(SignatureAlgorithm.ED25519.generateKeyPair().getPublic()));
        final Grant read = GrantJson.fromJson(node);
        assertEquals("2", read.serial());
        assertEquals(2, read.granteePublicKeys().size());
        assertEquals(node, GrantJson.toJson(read));

        node.withArray("granteeKeys").add("bm90IGEga2V5");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GrantJson.fromJson(node)).getMessage()
                .startsWith("The grant's granteeKeys hold a key that cannot be read: Not a supported public key (SM2, ECDSA P-256 or Ed25519)"));
    }

    @Test
    void namesAreReadIgnoringCase() {
        final ObjectNode lower = GrantJson.toJson(grant().build()).put("mode", "whole").put("status", "active");
        lower.remove("domains");
        assertEquals(AuthorizationMode.WHOLE, GrantJson.fromJson(lower).mode());
    }

    @Test
    void theSchemaInTheDocsDescribesTheSameMembers() throws IOException {
        final JsonNode schema = MAPPER.readTree(Files.readString(Path.of("..", "docs", "grant-document.schema.json")));
        final JsonNode grantSchema = schema.at("/$defs/grant");
        final List<String> properties = new ArrayList<>();
        grantSchema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(GrantJson.members(), properties);
        final Set<String> required = new TreeSet<>();
        grantSchema.get("required").forEach(name -> required.add(name.asText()));
        final Set<String> expected = new TreeSet<>(GrantJson.members());
        expected.removeAll(Set.of("domains", "scenarios", "requiredProtection", "serial", "granteeKeys"));
        assertEquals(expected, required);
        assertEquals(GrantDocument.FORMAT, schema.at("/properties/format/const").asText());
    }

    @Test
    void theExampleGrantsInTheDocsAreValid() throws IOException {
        try (var examples = Files.list(Path.of("..", "docs", "examples"))) {
            final List<Path> grants = examples.filter(path -> path.getFileName().toString().startsWith("grant-")).sorted().toList();
            assertEquals(3, grants.size());
            for (final Path example : grants) {
                final Grant grant = GrantJson.fromJson(GrantJson.parse(Files.readAllBytes(example)));
                new GrantScope(grant, io.publicdata.nifi.classify.GradeLadder.defaultLadder());
            }
        }
    }

    private static ObjectNode without(final ObjectNode node, final String member) {
        final ObjectNode copy = node.deepCopy();
        copy.remove(member);
        return copy;
    }

    private static String invalid(final JsonNode node) {
        return assertThrows(IllegalArgumentException.class, () -> GrantJson.fromJson(node)).getMessage();
    }
}
