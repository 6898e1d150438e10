package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.FieldGrade;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds one lineage event: an OpenLineage RunEvent (spec 2-0-2) describing one use of public data, with this
 * project's facets for the grant, the classification and the content digest, and the standard {@code columnLineage}
 * facet for protections. The event holds names, field paths, grades, labels, methods, counts and hashes, never a
 * value of the data. See docs/lineage.md for the format; {@link LineageChain} adds the chain facet and hash.
 */
public final class LineageEvent {

    public static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    /** Where this project's facets are defined (docs/lineage-facets.schema.json). */
    public static final String FACETS_SCHEMA = "https://publicdata.io/schemas/publicdata-lineage-facets-1.json";
    static final String COLUMN_LINEAGE_SCHEMA = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet";
    static final String OUTPUT_STATISTICS_SCHEMA =
            "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";

    public static final String CHAIN_FACET = "publicdata_chain";
    public static final String GRANT_FACET = "publicdata_grant";
    public static final String FLOWFILE_FACET = "publicdata_flowfile";
    public static final String CLASSIFICATION_FACET = "publicdata_classification";
    public static final String CONTENT_FACET = "publicdata_content";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** How a use of the data was decided (the attributes EnforceGrantScope writes and the use context); any part may be null. */
    public record GrantUse(String grantId, String decision, String denyReason, String grantee, String domain, String scenario, String purpose) {
    }

    private final String producer;
    private Instant eventTime = Instant.now();
    private UUID runId = UUID.randomUUID();
    private String jobNamespace;
    private String jobName;
    private String inputNamespace;
    private String inputName;
    private String outputNamespace;
    private String outputName;
    private String flowFileUuid;
    private GrantUse grant;
    private String highestGrade;
    private Map<String, Long> gradeCounts = Map.of();
    private Map<String, FieldGrade> fieldGrades = Map.of();
    private SortedMap<String, String> protections = new TreeMap<>();
    private Long recordCount;
    private Long contentSize;
    private HashAlgorithm contentAlgorithm;
    private String contentDigest;

    /** @param producer URI naming the software and version that writes the events */
    public LineageEvent(final String producer) {
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    public LineageEvent eventTime(final Instant time) {
        this.eventTime = time;
        return this;
    }

    public LineageEvent runId(final UUID id) {
        this.runId = id;
        return this;
    }

    public UUID runId() {
        return runId;
    }

    public LineageEvent job(final String namespace, final String name) {
        this.jobNamespace = namespace;
        this.jobName = name;
        return this;
    }

    /** The dataset the data came from, e.g. a catalog id (资源目录编号); none when the name is null or blank. */
    public LineageEvent input(final String namespace, final String name) {
        this.inputNamespace = namespace;
        this.inputName = name == null || name.isBlank() ? null : name;
        return this;
    }

    /** The dataset the data goes to. */
    public LineageEvent output(final String namespace, final String name) {
        this.outputNamespace = namespace;
        this.outputName = name;
        return this;
    }

    /** The NiFi FlowFile the event describes, so an auditor can find it in provenance. */
    public LineageEvent flowFile(final String uuid) {
        this.flowFileUuid = uuid;
        return this;
    }

    public LineageEvent grant(final GrantUse use) {
        this.grant = use;
        return this;
    }

    /** The classification: the highest grade, records per grade in ladder order, and each field path's grade and labels. */
    public LineageEvent classification(final String highest, final Map<String, Long> counts, final Map<String, FieldGrade> fields) {
        this.highestGrade = highest;
        this.gradeCounts = counts;
        this.fieldGrades = fields;
        return this;
    }

    /** Field path to the protection method applied (MASK, ENCRYPT, ..., DROP). */
    public LineageEvent protections(final Map<String, String> methodsByPath) {
        this.protections = new TreeMap<>(methodsByPath);
        return this;
    }

    /** The number of records, when known. */
    public LineageEvent records(final Long count) {
        this.recordCount = count;
        return this;
    }

    /** The size and digest of the content. */
    public LineageEvent content(final long size, final HashAlgorithm algorithm, final String digest) {
        this.contentSize = size;
        this.contentAlgorithm = algorithm;
        this.contentDigest = digest;
        return this;
    }

    /** The event, without chain facet. */
    public ObjectNode toJson() {
        final ObjectNode event = NODES.objectNode();
        // One event per use, written once the use is done
        event.put("eventType", "COMPLETE");
        event.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(eventTime));
        event.put("producer", producer);
        event.put("schemaURL", SCHEMA_URL);

        final ObjectNode run = event.putObject("run");
        run.put("runId", runId.toString());
        final ObjectNode runFacets = run.putObject("facets");
        if (flowFileUuid != null) {
            facet(runFacets, FLOWFILE_FACET, "FlowFileRunFacet").put("uuid", flowFileUuid);
        }
        if (grant != null) {
            final ObjectNode facet = facet(runFacets, GRANT_FACET, "GrantRunFacet");
            putIfSet(facet, "grantId", grant.grantId());
            putIfSet(facet, "decision", grant.decision());
            putIfSet(facet, "denyReason", grant.denyReason());
            putIfSet(facet, "grantee", grant.grantee());
            putIfSet(facet, "domain", grant.domain());
            putIfSet(facet, "scenario", grant.scenario());
            putIfSet(facet, "purpose", grant.purpose());
        }

        final ObjectNode job = event.putObject("job");
        job.put("namespace", jobNamespace);
        job.put("name", jobName);

        final ArrayNode inputs = event.putArray("inputs");
        if (inputName != null) {
            inputs.addObject().put("namespace", inputNamespace).put("name", inputName);
        }
        final ObjectNode output = event.putArray("outputs").addObject();
        output.put("namespace", outputNamespace);
        output.put("name", outputName);
        final ObjectNode datasetFacets = output.putObject("facets");
        if (highestGrade != null || !fieldGrades.isEmpty()) {
            classificationFacet(datasetFacets);
        }
        if (!fieldGrades.isEmpty() || !protections.isEmpty()) {
            columnLineageFacet(datasetFacets);
        }
        if (contentDigest != null) {
            facet(datasetFacets, CONTENT_FACET, "ContentDatasetFacet")
                    .put("algorithm", contentAlgorithm.label()).put("digest", contentDigest).put("size", contentSize);
        }
        if (recordCount != null || contentSize != null) {
            final ObjectNode statistics = facet(output.putObject("outputFacets"), "outputStatistics", producer, OUTPUT_STATISTICS_SCHEMA);
            if (recordCount != null) {
                statistics.put("rowCount", recordCount);
            }
            if (contentSize != null) {
                statistics.put("size", contentSize);
            }
        }
        return event;
    }

    private void classificationFacet(final ObjectNode datasetFacets) {
        final ObjectNode facet = facet(datasetFacets, CLASSIFICATION_FACET, "ClassificationDatasetFacet");
        putIfSet(facet, "highestGrade", highestGrade);
        final ObjectNode counts = facet.putObject("gradeCounts");
        gradeCounts.forEach(counts::put);
        final ObjectNode fields = facet.putObject("fields");
        new TreeMap<>(fieldGrades).forEach((path, field) -> {
            final ObjectNode node = fields.putObject(path);
            node.put("grade", field.grade().code());
            final ArrayNode labels = node.putArray("labels");
            field.labels().forEach(labels::add);
        });
    }

    /**
     * Column lineage from the input dataset (or the output itself when the input is unknown): each classified or
     * protected field of the output, with a DIRECT transformation that is an IDENTITY when the field passed in clear
     * and a masking TRANSFORMATION naming the method when it was protected.
     */
    private void columnLineageFacet(final ObjectNode datasetFacets) {
        final ObjectNode fields = facet(datasetFacets, "columnLineage", producer, COLUMN_LINEAGE_SCHEMA).putObject("fields");
        final TreeMap<String, String> paths = new TreeMap<>();
        fieldGrades.keySet().forEach(path -> paths.put(path, null));
        paths.putAll(protections);
        paths.forEach((path, method) -> {
            final ObjectNode input = fields.putObject(path).putArray("inputFields").addObject();
            input.put("namespace", inputName == null ? outputNamespace : inputNamespace);
            input.put("name", inputName == null ? outputName : inputName);
            input.put("field", path);
            final ObjectNode transformation = input.putArray("transformations").addObject();
            transformation.put("type", "DIRECT");
            if (method == null) {
                transformation.put("subtype", "IDENTITY").put("masking", false);
            } else {
                transformation.put("subtype", "TRANSFORMATION").put("description", method).put("masking", true);
            }
        });
    }

    private ObjectNode facet(final ObjectNode facets, final String name, final String definition) {
        return facet(facets, name, producer, FACETS_SCHEMA + "#/$defs/" + definition);
    }

    /** A facet with the {@code _producer} and {@code _schemaURL} members OpenLineage requires of every facet. */
    static ObjectNode facet(final ObjectNode facets, final String name, final String producer, final String schemaUrl) {
        final ObjectNode facet = facets.putObject(name);
        facet.put("_producer", producer);
        facet.put("_schemaURL", schemaUrl);
        return facet;
    }

    private static void putIfSet(final ObjectNode node, final String name, final String value) {
        if (value != null && !value.isBlank()) {
            node.put(name, value);
        }
    }
}
