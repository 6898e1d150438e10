package io.publicdata.nifi.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds OpenLineage RunEvents (spec 2-0-2) for one FlowFile's passage through a public-data flow, with this
 * project's facets: {@code publicdata_grant} and {@code publicdata_classification} on the run, the standard
 * {@code columnLineage} (per graded or protected field: its masking transformation, or IDENTITY when it passed in
 * clear) and {@code publicdata_protection} on the output dataset, and {@code publicdata_content} (record count,
 * SHA-256 of the content). Events hold field paths, grades, methods, counts and hashes, never a value of the data.
 */
public final class LineageEvents {

    public static final String VERSION = "0.1.0";
    public static final String PRODUCER = "https://github.com/nifi-publicdata/nifi-publicdata/tree/v" + VERSION;
    public static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    /** Where the schemas of this project's facets are published. */
    public static final String FACETS_SCHEMA = PRODUCER + "/docs/lineage-facets.schema.json#/$defs/";
    private static final String COLUMN_LINEAGE_SCHEMA = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A dataset, as OpenLineage names it. */
    public record Dataset(String namespace, String name) {
    }

    /**
     * What is known of one FlowFile's passage.
     *
     * @param recordCount     records in the content, or -1 when unknown
     * @param contentSha256   SHA-256 of the content, hexadecimal
     * @param grant           grant facts: grantId, grantee, mode, domain, scenario, purpose, decision, denyReason (absent ones left out)
     * @param grade           the highest grade of the content, or null
     * @param gradeCounts     records per grade, e.g. {@code L1=3,L3=1}, or null
     * @param fieldGrades     the publicdata.fields JSON, or null
     * @param protectedFields field path → protection method
     */
    public record Facts(Instant eventTime, UUID runId, String jobNamespace, String jobName, Dataset input, Dataset output, long recordCount,
                        String contentSha256, long contentSize, Map<String, String> grant, String grade, String gradeCounts, JsonNode fieldGrades,
                        Map<String, String> protectedFields) {
    }

    /**
     * What is known of a use that was denied (EnforceGrantScope's 'unauthorized'): who asked under which grant, why it
     * was refused and how many records; nothing of the data itself, not even its hash.
     *
     * @param grant   grant facts as for {@link Facts#grant()}, with the decision DENY and the deny reason
     * @param denials records denied per deny code; a count of -1 when it is not known
     * @param records records denied in all, or -1 when unknown
     */
    public record Denial(Instant eventTime, UUID runId, String jobNamespace, String jobName, Dataset input, Map<String, String> grant,
                         Map<String, Long> denials, long records) {
    }

    private LineageEvents() {
    }

    /**
     * An ABORT RunEvent for a denied use, not yet linked into a chain: the grant facet, a {@code publicdata_denial} facet
     * with the deny codes and record counts, the dataset that was asked for, and no output, since nothing left.
     */
    public static ObjectNode denialEvent(final Denial denial) {
        final ObjectNode event = MAPPER.createObjectNode();
        event.put("eventType", "ABORT");
        event.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(denial.eventTime()));
        event.put("producer", PRODUCER);
        event.put("schemaURL", SCHEMA_URL);
        final ObjectNode run = event.putObject("run");
        run.put("runId", denial.runId().toString());
        final ObjectNode runFacets = run.putObject("facets");
        if (!denial.grant().isEmpty()) {
            final ObjectNode grant = facet(runFacets, "publicdata_grant", "GrantRunFacet");
            denial.grant().forEach(grant::put);
        }
        final ObjectNode facet = facet(runFacets, "publicdata_denial", "DenialRunFacet");
        if (denial.records() >= 0) {
            facet.put("records", denial.records());
        }
        final ObjectNode codes = facet.putObject("codes");
        new TreeMap<>(denial.denials()).forEach((code, count) -> {
            if (count >= 0) {
                codes.put(code, count);
            } else {
                codes.putNull(code);
            }
        });
        final ObjectNode job = event.putObject("job");
        job.put("namespace", denial.jobNamespace());
        job.put("name", denial.jobName());
        event.putArray("inputs").addObject().put("namespace", denial.input().namespace()).put("name", denial.input().name());
        event.putArray("outputs");
        return event;
    }

    /**
     * Adds the resource catalog's facts of the input dataset (资源目录: catalog code, open type, registration …) as its
     * {@code publicdata_catalog} facet.
     *
     * @param catalog catalogCode, name, department, domain, openType, registrationStatus, registrationNumber,
     *                registrationDate, updateCycle; absent ones left out
     */
    public static void addCatalog(final ObjectNode event, final Map<String, String> catalog) {
        if (catalog.isEmpty()) {
            return;
        }
        final ObjectNode input = (ObjectNode) event.withArray("inputs").get(0);
        final ObjectNode facet = facet(object(input, "facets"), "publicdata_catalog", "CatalogDatasetFacet");
        final ObjectNode registration = MAPPER.createObjectNode();
        new TreeMap<>(catalog).forEach((member, value) -> {
            switch (member) {
                case "registrationStatus" -> registration.put("status", value);
                case "registrationNumber" -> registration.put("number", value);
                case "registrationDate" -> registration.put("date", value);
                default -> facet.put(member, value);
            }
        });
        if (!registration.isEmpty()) {
            facet.set("registration", registration);
        }
    }

    /** A COMPLETE RunEvent for these facts, not yet linked into a chain. */
    public static ObjectNode runEvent(final Facts facts) {
        final ObjectNode event = MAPPER.createObjectNode();
        event.put("eventType", "COMPLETE");
        event.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(facts.eventTime()));
        event.put("producer", PRODUCER);
        event.put("schemaURL", SCHEMA_URL);
        final ObjectNode run = event.putObject("run");
        run.put("runId", facts.runId().toString());
        final ObjectNode runFacets = run.putObject("facets");
        if (!facts.grant().isEmpty()) {
            final ObjectNode grant = facet(runFacets, "publicdata_grant", "GrantRunFacet");
            facts.grant().forEach(grant::put);
        }
        if (facts.grade() != null || facts.fieldGrades() != null) {
            final ObjectNode classification = facet(runFacets, "publicdata_classification", "ClassificationRunFacet");
            if (facts.grade() != null) {
                classification.put("grade", facts.grade());
            }
            if (facts.gradeCounts() != null) {
                final ObjectNode counts = classification.putObject("gradeCounts");
                for (final String pair : facts.gradeCounts().split(",")) {
                    final String[] parts = pair.split("=", 2);
                    if (parts.length != 2 || parts[0].isBlank() || !parts[1].strip().matches("\\d{1,18}")) {
                        // An event that silently counts fewer records than the flow graded would mislead an auditor
                        throw new IllegalArgumentException("Grade counts (publicdata.grade.counts) '" + facts.gradeCounts()
                                + "' are not GRADE=count pairs such as L1=3,L3=1");
                    }
                    counts.put(parts[0].strip(), Long.parseLong(parts[1].strip()));
                }
            }
            if (facts.fieldGrades() != null) {
                classification.set("fields", gradesAndLabels(facts.fieldGrades()));
            }
        }
        final ObjectNode job = event.putObject("job");
        job.put("namespace", facts.jobNamespace());
        job.put("name", facts.jobName());
        event.putArray("inputs").addObject().put("namespace", facts.input().namespace()).put("name", facts.input().name());
        final ObjectNode output = event.putArray("outputs").addObject();
        output.put("namespace", facts.output().namespace()).put("name", facts.output().name());
        final ObjectNode datasetFacets = output.putObject("facets");
        final ObjectNode content = facet(datasetFacets, "publicdata_content", "ContentDatasetFacet");
        if (facts.recordCount() >= 0) {
            content.put("recordCount", facts.recordCount());
        }
        content.put("size", facts.contentSize());
        content.put("sha256", facts.contentSha256());
        if (!facts.protectedFields().isEmpty()) {
            final ObjectNode protection = facet(datasetFacets, "publicdata_protection", "ProtectionDatasetFacet").putObject("fields");
            facts.protectedFields().forEach(protection::put);
        }
        // Every graded or protected field that reaches the output: masked by its method, or passed in clear (IDENTITY),
        // which is what an auditor looks for in a sensitive field. A dropped field has no output column.
        final TreeMap<String, String> columns = new TreeMap<>();
        if (facts.fieldGrades() != null) {
            facts.fieldGrades().fieldNames().forEachRemaining(path -> columns.put(path, null));
        }
        columns.putAll(facts.protectedFields());
        columns.values().removeIf("DROP"::equals);
        if (!columns.isEmpty()) {
            final ObjectNode columnLineage = datasetFacets.putObject("columnLineage");
            columnLineage.put("_producer", PRODUCER).put("_schemaURL", COLUMN_LINEAGE_SCHEMA);
            final ObjectNode fields = columnLineage.putObject("fields");
            columns.forEach((path, method) -> {
                final ObjectNode transformation = fields.putObject(path).putArray("inputFields").addObject()
                        .put("namespace", facts.input().namespace()).put("name", facts.input().name()).put("field", path)
                        .putArray("transformations").addObject().put("type", "DIRECT");
                if (method == null) {
                    transformation.put("subtype", "IDENTITY").put("masking", false);
                } else {
                    transformation.put("subtype", "TRANSFORMATION").put("description", method).put("masking", true);
                }
            });
        }
        return event;
    }

    /**
     * Each field path's grade and labels from the {@code publicdata.fields} JSON, and nothing else it may hold: what
     * enters an event is chosen member by member, so no value can ride along.
     */
    private static ObjectNode gradesAndLabels(final JsonNode fieldGrades) {
        if (!fieldGrades.isObject()) {
            throw new IllegalArgumentException("Field grades (publicdata.fields) must be a JSON object of field path to {grade, labels}");
        }
        final ObjectNode fields = MAPPER.createObjectNode();
        fieldGrades.fields().forEachRemaining(entry -> {
            final JsonNode grade = entry.getValue().path("grade");
            if (!grade.isTextual()) {
                throw new IllegalArgumentException("Field '" + entry.getKey() + "' in publicdata.fields has no grade");
            }
            final ObjectNode field = fields.putObject(entry.getKey()).put("grade", grade.asText());
            final ArrayNode labels = field.putArray("labels");
            entry.getValue().path("labels").forEach(label -> {
                if (label.isTextual()) {
                    labels.add(label.asText());
                }
            });
        });
        return fields;
    }

    /** Adds a facet of this project, with the members OpenLineage requires of every facet. */
    static ObjectNode facet(final ObjectNode facets, final String name, final String schemaName) {
        final ObjectNode facet = object(facets, name);
        facet.put("_producer", PRODUCER);
        facet.put("_schemaURL", FACETS_SCHEMA + schemaName);
        return facet;
    }

    /** The object member of a node, added when absent. */
    static ObjectNode object(final ObjectNode owner, final String name) {
        return owner.get(name) instanceof ObjectNode existing ? existing : owner.putObject(name);
    }
}
