package io.publicdata.nifi.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The documented JSON schema and the parser agree: on the example, and on what each refuses. */
class CatalogSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = schema();

    private static JsonSchema schema() {
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(Path.of("..", "docs", "catalog.schema.json")));
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<ValidationMessage> problems(final String json) throws IOException {
        return SCHEMA.validate(MAPPER.readTree(json));
    }

    @Test
    void theExampleAndWhatServicesHandOutValidate() throws IOException {
        final String example = CatalogJsonTest.example();
        assertEquals(Set.of(), problems(example));
        final Catalog catalog = CatalogJson.parse(example);
        assertEquals(Set.of(), problems(CatalogJson.write(catalog)));
        for (final Dataset dataset : catalog.datasets()) {
            final JsonNode entry = MAPPER.readTree(CatalogJson.write(dataset));
            assertEquals(Set.of(), problems("{\"datasets\": [" + entry + "]}"), dataset.code());
        }
    }

    @Test
    void whatTheParserRefusesTheSchemaRefusesToo() throws IOException {
        final String example = CatalogJsonTest.example();
        for (final String broken : new String[] {
                example.replace("\"openType\": \"NOT_OPEN\"", "\"openType\": \"CLOSED\""),
                example.replace("{\"number\": \"JNGGSJ-2025-000101\", \"status\": \"REGISTERED\", \"date\": \"2025-03-01\"}", "{\"status\": \"REGISTERED\"}"),
                example.replace("\"updateCycle\": \"WEEKLY\"", "\"updateCycle\": \"weekly\""),
                example.replace("\"path\": \"/district\", \"name\": \"所属区县\", \"grade\": \"L1\"", "\"path\": \"/district\", \"name\": \"所属区县\""),
                example.replace("\"title\"", "\"titel\""),
                example.replace("\"code\": \"business-permits\"", "\"code\": \" business-permits\""),
        }) {
            assertFalse(problems(broken).isEmpty(), broken);
            assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(broken));
        }
    }
}
