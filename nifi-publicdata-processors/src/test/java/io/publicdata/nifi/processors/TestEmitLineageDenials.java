package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageEvents;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.publicdata.nifi.lineage.OpenLineageSchemaTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EmitLineage on EnforceGrantScope's unauthorized branch: a denial event in the same chain, with the grant, codes and counts, never data. */
class TestEmitLineageDenials {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACETS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(LineageEvents.PRODUCER + "/docs/", Path.of("../docs").toUri().toString())));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    /** What was denied: resident IDs and names that must not reach any event. */
    private static final String DENIED = "[{\"name\":\"钱多多\",\"idCard\":\"370102201006153001\"},{\"name\":\"褚卫东\",\"idCard\":\"370103195503213018\"}]";
    private static final String RELEASED = "[{\"enterpriseName\":\"济南泉城餐饮管理有限公司\",\"_grade\":\"L1\"}]";

    private TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(EmitLineage.class);
        runner.setProperty(EmitLineage.CHAIN_ID, "node-1");
        runner.setProperty(EmitLineage.JOB_NAME, "policy-flow");
    }

    private static Map<String, String> grant(final String decision) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put(PublicDataAttributes.GRANT_ID, "JN-DATA-2025-017");
        attributes.put(PublicDataAttributes.GRANT_ISSUER, "济南市大数据局");
        attributes.put(PublicDataAttributes.GRANT_MODE, "SCENARIO");
        attributes.put(PublicDataAttributes.GRANT_VALID_FROM, "2025-01-01T00:00:00+08:00");
        attributes.put(PublicDataAttributes.GRANT_VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        attributes.put(PublicDataAttributes.GRANT_SERIAL, "3");
        attributes.put(PublicDataAttributes.GRANT_PRICING, "COMMERCIAL");
        attributes.put(PublicDataAttributes.USE_GRANTEE, "91370100MA3QLPH82D");
        attributes.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, "产业发展");
        attributes.put(PublicDataAttributes.DECISION, decision);
        return attributes;
    }

    private static Map<String, String> deniedHousehold() {
        final Map<String, String> attributes = grant("DENY");
        attributes.put("filename", "household-registry.json");
        attributes.put(PublicDataAttributes.DATASET, "household-registry");
        attributes.put(PublicDataAttributes.DENY_REASON, "DATASET_NOT_OPEN: dataset household-registry is not to be opened (不予开放) according to the resource catalog; no grant authorizes its use");
        attributes.put(PublicDataAttributes.DENY_COUNTS, "DATASET_NOT_OPEN=2");
        attributes.put(PublicDataAttributes.RECORD_COUNT, "2");
        attributes.put(PublicDataAttributes.CATALOG_NAME, "户籍人口信息");
        attributes.put(PublicDataAttributes.CATALOG_DEPARTMENT, "济南市公安局");
        attributes.put(PublicDataAttributes.CATALOG_DOMAIN, "公共安全");
        attributes.put(PublicDataAttributes.CATALOG_OPEN_TYPE, "NOT_OPEN");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION, "REGISTERED");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_NUMBER, "JNGGSJ-2025-000007");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_DATE, "2025-01-20");
        attributes.put(PublicDataAttributes.CATALOG_UPDATE_CYCLE, "REAL_TIME");
        // Classification and protection facts travel with a denied FlowFile too; the denial event leaves them out
        attributes.put(PublicDataAttributes.GRADE_COUNTS, "L3=2");
        attributes.put(PublicDataAttributes.FIELDS, "{\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\"]}}");
        return attributes;
    }

    private static Map<String, String> releasedEnterprises() {
        final Map<String, String> attributes = grant("PERMIT");
        attributes.put(PublicDataAttributes.DATASET, "enterprise-registry");
        attributes.put(PublicDataAttributes.RECORD_COUNT, "1");
        attributes.put(PublicDataAttributes.CATALOG_OPEN_TYPE, "CONDITIONAL");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION, "REGISTERED");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_NUMBER, "JNGGSJ-2025-000101");
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_DATE, "2025-03-01");
        return attributes;
    }

    /** Every facet of an event validated against the schema its _schemaURL names (ours in docs/, mapped to the files). */
    private static Set<ValidationMessage> facetProblems(final JsonNode event) {
        final List<JsonNode> facets = new ArrayList<>();
        event.at("/run/facets").forEach(facets::add);
        event.at("/inputs/0/facets").forEach(facets::add);
        event.at("/outputs/0/facets").forEach(facets::add);
        final Set<ValidationMessage> found = new HashSet<>();
        for (final JsonNode facet : facets) {
            final String url = facet.path("_schemaURL").asText();
            if (url.startsWith(LineageEvents.PRODUCER)) {
                found.addAll(FACETS.getSchema(SchemaLocation.of(url), CONFIG).validate(facet));
            }
        }
        return found;
    }

    private List<JsonNode> events() throws Exception {
        final List<JsonNode> events = new ArrayList<>();
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE)) {
            events.add(MAPPER.readTree(flowFile.getContent()));
        }
        return events;
    }

    @Test
    void aDenialIsAnAbortEventWithTheGrantCodesAndCountsAndNoData() throws Exception {
        runner.enqueue(DENIED, deniedHousehold());
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 0);
        runner.assertTransferCount(EmitLineage.REL_UNAUTHORIZED, 1);
        runner.getFlowFilesForRelationship(EmitLineage.REL_UNAUTHORIZED).getFirst().assertContentEquals(DENIED);
        final JsonNode event = events().getFirst();
        assertEquals(Set.of(), problems(event), event.toString());
        assertEquals(Set.of(), facetProblems(event), event.toString());

        assertEquals("ABORT", event.get("eventType").asText());
        final JsonNode grant = event.at("/run/facets/publicdata_grant");
        assertEquals("JN-DATA-2025-017", grant.get("grantId").asText());
        assertEquals("济南市大数据局", grant.get("issuer").asText());
        assertEquals("SCENARIO", grant.get("mode").asText());
        assertEquals("2025-01-01T00:00:00+08:00", grant.get("validFrom").asText());
        assertEquals("2026-01-01T00:00:00+08:00", grant.get("validUntil").asText());
        assertEquals("3", grant.get("serial").asText());
        assertEquals("COMMERCIAL", grant.get("pricing").asText());
        assertEquals("DENY", grant.get("decision").asText());
        final JsonNode denial = event.at("/run/facets/publicdata_denial");
        assertEquals(2, denial.get("records").asInt());
        assertEquals(2, denial.at("/codes/DATASET_NOT_OPEN").asInt());
        assertEquals("household-registry", event.at("/inputs/0/name").asText());
        final JsonNode catalog = event.at("/inputs/0/facets/publicdata_catalog");
        assertEquals("household-registry", catalog.get("catalogCode").asText());
        assertEquals("NOT_OPEN", catalog.get("openType").asText());
        assertEquals("REGISTERED", catalog.at("/registration/status").asText());
        assertEquals("JNGGSJ-2025-000007", catalog.at("/registration/number").asText());
        assertEquals(0, event.get("outputs").size(), "nothing left");

        // No data and no fingerprint of it: no values, no content hash, no classification or column lineage
        final String text = event.toString();
        for (final String secret : List.of("370102201006153001", "370103195503213018", "钱多多", "褚卫东")) {
            assertFalse(text.contains(secret), secret);
        }
        assertFalse(text.contains("sha256"), text);
        assertFalse(text.contains("publicdata_classification") || text.contains("columnLineage"), text);
        final String details = runner.getProvenanceEvents().stream().filter(e -> e.getEventType() == ProvenanceEventType.FORK && e.getDetails() != null)
                .findFirst().orElseThrow().getDetails();
        assertTrue(details.startsWith("Denial event ") && details.endsWith("; denied {\"DATASET_NOT_OPEN\":2}"), details);
    }

    @Test
    void denialsAndReleasesShareOneChainThatVerifies() throws Exception {
        runner.enqueue(RELEASED, releasedEnterprises());
        runner.enqueue(DENIED, deniedHousehold());
        final Map<String, String> split = releasedEnterprises();
        split.put(PublicDataAttributes.DECISION, "DENY");
        split.put(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 2 records above the grant's maximum grade L3 (L4=2); FIELD_NOT_PERMITTED: 1 record holds values in fields the grant does not permit (/bankCard)");
        split.put(PublicDataAttributes.DENY_COUNTS, "FIELD_NOT_PERMITTED=1,GRADE_EXCEEDS_GRANT=2");
        runner.enqueue(DENIED, split);
        runner.enqueue(RELEASED, releasedEnterprises());
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 2);
        runner.assertTransferCount(EmitLineage.REL_UNAUTHORIZED, 2);
        final List<JsonNode> events = events();
        assertEquals(List.of("COMPLETE", "ABORT", "ABORT", "COMPLETE"), events.stream().map(e -> e.get("eventType").asText()).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(e -> e.at("/run/facets/publicdata_chain/sequence").asLong()).toList());
        final JsonNode third = events.get(2).at("/run/facets/publicdata_denial");
        assertEquals(3, third.get("records").asInt());
        assertEquals("{\"FIELD_NOT_PERMITTED\":1,\"GRADE_EXCEEDS_GRANT\":2}", third.get("codes").toString());
        for (final JsonNode event : events) {
            assertEquals(Set.of(), problems(event), event.toString());
            assertEquals(Set.of(), facetProblems(event), event.toString());
        }
        // The released events carry the dataset's catalog facts too
        assertEquals("CONDITIONAL", events.getFirst().at("/inputs/0/facets/publicdata_catalog/openType").asText());
        final String lines = events.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        final ChainVerifier.Result result = new ChainVerifier(Map.of()).verify(new BufferedReader(new StringReader(lines)));
        assertTrue(result.verified(), result.reason());
        assertEquals(4, result.events());
    }

    /** Attack: a FlowFile marked DENY must not reach 'success', whatever else it carries. */
    @Test
    void aDeniedFlowFileNeverGoesToSuccess() {
        final Map<String, String> attributes = releasedEnterprises();
        attributes.put(PublicDataAttributes.DECISION, "DENY");
        attributes.put(PublicDataAttributes.DENY_REASON, "GRANT_EXPIRED: valid until 2026-01-01T00:00:00+08:00 (exclusive), used at 2026-01-02T09:30:00+08:00");
        runner.enqueue(RELEASED, attributes);
        runner.run();
        runner.assertTransferCount(EmitLineage.REL_SUCCESS, 0);
        runner.assertTransferCount(EmitLineage.REL_UNAUTHORIZED, 1);
        final MockFlowFile event = runner.getFlowFilesForRelationship(EmitLineage.REL_LINEAGE).getFirst();
        assertTrue(event.getContent().contains("\"codes\":{\"GRANT_EXPIRED\":null}"), event.getContent());
        assertTrue(event.getContent().contains("\"records\":1"), "the record count from record.count: " + event.getContent());
    }

    @Test
    void unreadableDenyCountsSendTheFlowFileToFailure() {
        final Map<String, String> attributes = deniedHousehold();
        attributes.put(PublicDataAttributes.DENY_COUNTS, "DATASET_NOT_OPEN=two");
        runner.enqueue(DENIED, attributes);
        final Map<String, String> noCode = deniedHousehold();
        noCode.remove(PublicDataAttributes.DENY_COUNTS);
        noCode.put(PublicDataAttributes.DENY_REASON, "denied");
        runner.enqueue(DENIED, noCode);
        runner.run(2);
        runner.assertAllFlowFilesTransferred(EmitLineage.REL_FAILURE, 2);
        final List<MockFlowFile> failed = runner.getFlowFilesForRelationship(EmitLineage.REL_FAILURE);
        assertTrue(failed.get(0).getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("are not CODE=count pairs"));
        assertTrue(failed.get(1).getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("that starts with its code"));
    }
}
