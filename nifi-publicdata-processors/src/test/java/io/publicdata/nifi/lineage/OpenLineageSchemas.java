package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates lineage events against the published schemas, read locally: OpenLineage's (test resources under
 * openlineage/, as published under https://openlineage.io/spec/) and this project's facets (docs/lineage-facets.schema.json),
 * with format assertions (uri, uuid, date-time) on.
 */
public final class OpenLineageSchemas {

    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
            .schemaMappers(mappers -> mappers
                    .mapPrefix("https://openlineage.io/spec/", "classpath:openlineage/")
                    .mapPrefix(LineageEvent.FACETS_SCHEMA, Path.of("../docs/lineage-facets.schema.json").toUri().toString())));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private OpenLineageSchemas() {
    }

    /** What is wrong with the node against the schema at this URL; empty when it is valid. */
    public static List<ValidationMessage> validate(final String schemaUrl, final JsonNode node) {
        return new ArrayList<>(SCHEMAS.getSchema(SchemaLocation.of(schemaUrl), CONFIG).validate(node));
    }

    /** What is wrong with the event as a RunEvent, and with each of its facets against the schema the facet names. */
    public static List<String> validateEvent(final JsonNode event) {
        final List<String> problems = new ArrayList<>();
        validate(LineageEvent.SCHEMA_URL, event).forEach(message -> problems.add(message.toString()));
        final List<JsonNode> facets = new ArrayList<>();
        event.at("/run/facets").forEach(facets::add);
        event.at("/job/facets").forEach(facets::add);
        for (final String datasets : List.of("inputs", "outputs")) {
            for (final JsonNode dataset : event.path(datasets)) {
                dataset.path("facets").forEach(facets::add);
                dataset.path("inputFacets").forEach(facets::add);
                dataset.path("outputFacets").forEach(facets::add);
            }
        }
        for (final JsonNode facet : facets) {
            validate(facet.path("_schemaURL").asText(), facet).forEach(message -> problems.add(facet.path("_schemaURL").asText() + ": " + message));
        }
        return problems;
    }
}
