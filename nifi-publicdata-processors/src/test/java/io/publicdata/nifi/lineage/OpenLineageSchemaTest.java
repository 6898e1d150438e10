package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Lineage events validate against the OpenLineage 2-0-2 schema and the column lineage facet's schema (copies in test resources). */
public class OpenLineageSchemaTest {

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://openlineage.io/spec/", "classpath:openlineage/spec/")
                    .mapPrefix(LineageEvents.PRODUCER + "/docs/", Path.of("../docs").toUri().toString())));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    /** Schema problems of a lineage event: against RunEvent, and its column lineage against its facet schema. */
    public static Set<ValidationMessage> problems(final JsonNode event) {
        final JsonSchema runEvent = FACTORY.getSchema(SchemaLocation.of(LineageEvents.SCHEMA_URL), CONFIG);
        final Set<ValidationMessage> problems = new java.util.HashSet<>(runEvent.validate(event));
        final JsonNode columnLineage = event.path("outputs").path(0).path("facets").path("columnLineage");
        if (!columnLineage.isMissingNode()) {
            final JsonSchema facet = FACTORY.getSchema(SchemaLocation.of("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"), CONFIG);
            problems.addAll(facet.validate(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("columnLineage", columnLineage)));
        }
        return problems;
    }

    @Test
    void chainedEventsValidate() {
        for (final String line : LineageChainTest.chain("node-1", 3, HashAlgorithm.SM3)) {
            assertEquals(Set.of(), problems(readTree(line)), line);
        }
    }

    @Test
    void everyFacetValidatesAgainstTheSchemaItNames() {
        final JsonNode event = readTree(LineageChainTest.chain("node-1", 1, HashAlgorithm.SM3).getFirst());
        final List<JsonNode> facets = new ArrayList<>();
        event.at("/run/facets").forEach(facets::add);
        event.at("/outputs/0/facets").forEach(facets::add);
        assertEquals(6, facets.size(), event.toString());
        for (final JsonNode facet : facets) {
            final String url = facet.path("_schemaURL").asText();
            assertEquals(Set.of(), FACTORY.getSchema(SchemaLocation.of(url), CONFIG).validate(facet), url);
        }
        // The facet schemas are strict where it matters: a field's entry holds a grade and labels, nothing that could carry a value
        final JsonNode classification = event.at("/run/facets/publicdata_classification");
        ((com.fasterxml.jackson.databind.node.ObjectNode) classification.at("/fields/~1idCard")).put("sample", "11010519491231002X");
        assertFalse(FACTORY.getSchema(SchemaLocation.of(classification.path("_schemaURL").asText()), CONFIG).validate(classification).isEmpty());
    }

    @Test
    void theValidatorRejectsWhatIsNotARunEvent() {
        final JsonNode event = readTree(LineageChainTest.chain("node-1", 1, HashAlgorithm.SHA_256).getFirst());
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("run")).put("runId", "not-a-uuid");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("outputs").path(0).path("facets").path("columnLineage").path("fields")
                .path("/idCard").path("inputFields").path(0)).remove("field");
        assertFalse(problems(event).isEmpty());
        assertEquals(2, problems(event).size(), problems(event).toString());
    }

    static JsonNode readTree(final String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
