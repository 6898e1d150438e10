package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lineage events against the published schemas ({@link OpenLineageSchemas}): the whole event against the OpenLineage
 * RunEvent 2-0-2 schema, and every facet against the schema its {@code _schemaURL} names.
 */
class LineageEventSchemaTest {

    static ObjectNode fullEvent(final HashAlgorithm algorithm) {
        final GradeLadder ladder = GradeLadder.parse(GradeLadder.DEFAULT_SPEC);
        final Map<String, FieldGrade> fields = new LinkedHashMap<>();
        fields.put("/applicant/idCard", new FieldGrade(ladder.grade("L3"), new TreeSet<>(Set.of("PERSONAL_ID"))));
        fields.put("/applicant/name", new FieldGrade(ladder.grade("L3"), new TreeSet<>(Set.of("PERSON_NAME"))));
        fields.put("/district", new FieldGrade(ladder.grade("L1"), new TreeSet<>()));
        final Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("L1", 120L);
        counts.put("L3", 8L);
        final ObjectNode event = new LineageEvent("https://publicdata.io/nifi-publicdata/0.1.0")
                .eventTime(Instant.parse("2025-03-01T08:00:00.125Z"))
                .runId(UUID.fromString("0195512e-3a40-7c3e-9a4e-2b7d9c1f0a11"))
                .job("nifi", "open-data-release")
                .input("publicdata", "GOV-HR-001")
                .output("nifi", "portal/applicants")
                .flowFile(UUID.randomUUID().toString())
                .grant(new LineageEvent.GrantUse("GR-2025-0001", "PERMIT", null, "acme-analytics", "employment", "job-matching", "public-welfare"))
                .classification("L3", counts, fields)
                .protections(Map.of("/applicant/idCard", "MASK", "/applicant/name", "PSEUDONYMIZE", "/applicant/mobile", "DROP"))
                .records(128L)
                .content(4096, algorithm, algorithm.hex(new byte[]{1, 2, 3}))
                .toJson();
        LineageChain.seal(event, LineageChain.start("nifi-1.example", algorithm));
        return event;
    }

    private static List<ValidationMessage> validate(final String schemaUrl, final JsonNode node) {
        return OpenLineageSchemas.validate(schemaUrl, node);
    }

    @Test
    void eventsValidateAsOpenLineageRunEvents() {
        for (final HashAlgorithm algorithm : HashAlgorithm.values()) {
            final ObjectNode event = fullEvent(algorithm);
            assertEquals(List.of(), validate(LineageEvent.SCHEMA_URL, event));
            assertEquals(LineageEvent.SCHEMA_URL, event.get("schemaURL").asText());
        }
    }

    @Test
    void everyFacetValidatesAgainstTheSchemaItNames() {
        final ObjectNode event = fullEvent(HashAlgorithm.SM3);
        final List<JsonNode> facets = new ArrayList<>();
        event.at("/run/facets").forEach(facets::add);
        event.at("/outputs/0/facets").forEach(facets::add);
        event.at("/outputs/0/outputFacets").forEach(facets::add);
        assertEquals(7, facets.size());
        for (final JsonNode facet : facets) {
            assertEquals(List.of(), validate(facet.get("_schemaURL").asText(), facet), facet.get("_schemaURL").asText());
        }
        assertEquals(List.of(), OpenLineageSchemas.validateEvent(event));
    }

    @Test
    void theSchemasAreStrictEnoughToCatchMistakes() {
        final ObjectNode event = fullEvent(HashAlgorithm.SHA_256);
        event.remove("producer");
        ((ObjectNode) event.get("run")).put("runId", "not-a-uuid");
        assertFalse(validate(LineageEvent.SCHEMA_URL, event).isEmpty());

        final ObjectNode chain = (ObjectNode) fullEvent(HashAlgorithm.SHA_256).at("/run/facets/publicdata_chain");
        chain.put("hash", "ABC");
        assertFalse(validate(chain.get("_schemaURL").asText(), chain).isEmpty());

        // A field of the classification facet holds a grade and labels, nothing that could carry a value
        final ObjectNode classification = (ObjectNode) fullEvent(HashAlgorithm.SHA_256).at("/outputs/0/facets/publicdata_classification");
        ((ObjectNode) classification.at("/fields/~1district")).put("sample", "东城区");
        assertFalse(validate(classification.get("_schemaURL").asText(), classification).isEmpty());
    }

    @Test
    void columnLineageMarksProtectedFieldsAsMasking() {
        final JsonNode fields = fullEvent(HashAlgorithm.SHA_256).at("/outputs/0/facets/columnLineage/fields");
        assertEquals("{\"type\":\"DIRECT\",\"subtype\":\"TRANSFORMATION\",\"description\":\"MASK\",\"masking\":true}",
                fields.at("/~1applicant~1idCard/inputFields/0/transformations/0").toString());
        assertEquals("{\"type\":\"DIRECT\",\"subtype\":\"IDENTITY\",\"masking\":false}",
                fields.at("/~1district/inputFields/0/transformations/0").toString());
        assertEquals("DROP", fields.at("/~1applicant~1mobile/inputFields/0/transformations/0/description").asText());
        assertEquals("GOV-HR-001", fields.at("/~1district/inputFields/0/name").asText());
        assertTrue(fields.has("/applicant/name"));
    }
}
