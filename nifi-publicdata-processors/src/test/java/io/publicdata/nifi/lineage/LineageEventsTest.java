package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LineageEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode event(final String gradeCounts, final String fieldGrades, final Map<String, String> protectedFields) throws IOException {
        return LineageEvents.runEvent(new LineageEvents.Facts(Instant.parse("2025-09-01T02:00:00Z"), new UUID(1, 2), "nifi", "policy-flow",
                new LineageEvents.Dataset("gov", "social-insurance"), new LineageEvents.Dataset("gov", "social-insurance:released"), 4,
                "ab".repeat(32), 100, Map.of(), "L3", gradeCounts, fieldGrades == null ? null : MAPPER.readTree(fieldGrades), protectedFields));
    }

    @Test
    void columnLineageShowsMaskedAndClearFields() throws IOException {
        final JsonNode columns = event("L1=3,L3=1", "{\"/idCard\":{\"grade\":\"L3\"},\"/district\":{\"grade\":\"L1\",\"labels\":[]},"
                + "\"/name\":{\"grade\":\"L3\",\"labels\":[\"PERSON_NAME\"]}}", Map.of("/idCard", "MASK", "/bankCard", "DROP"))
                .at("/outputs/0/facets/columnLineage/fields");
        assertEquals("{\"type\":\"DIRECT\",\"subtype\":\"TRANSFORMATION\",\"description\":\"MASK\",\"masking\":true}",
                columns.at("/~1idCard/inputFields/0/transformations/0").toString());
        // A sensitive field that passed in clear is what an auditor looks for
        assertEquals("{\"type\":\"DIRECT\",\"subtype\":\"IDENTITY\",\"masking\":false}", columns.at("/~1name/inputFields/0/transformations/0").toString());
        assertEquals("IDENTITY", columns.at("/~1district/inputFields/0/transformations/0/subtype").asText());
        assertFalse(columns.has("/bankCard"), "a dropped field has no output column");
        assertEquals(3, columns.size());
    }

    @Test
    void onlyGradesAndLabelsOfFieldGradesEnterTheEvent() throws IOException {
        final JsonNode fields = event(null, "{\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\", 7],\"sample\":\"11010519491231002X\"}}",
                Map.of()).at("/run/facets/publicdata_classification/fields");
        assertEquals("{\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\"]}}", fields.toString());
    }

    @Test
    void unreadableClassificationAttributesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> event("L1=3,L3", null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> event("L1=many", null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> event(null, "[\"/idCard\"]", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> event(null, "{\"/idCard\":{\"labels\":[]}}", Map.of()));
    }
}
