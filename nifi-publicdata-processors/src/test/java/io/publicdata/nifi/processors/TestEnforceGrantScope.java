package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestEnforceGrantScope {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GRANTEE = "91110105MA01ABCD1X";
    /** A use inside the default test grant. */
    private static final Map<String, String> USE = Map.of(
            PublicDataAttributes.USE_GRANTEE, GRANTEE,
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核",
            PublicDataAttributes.DATASET, "GOV-CIVIL-001");

    /** The instant of every use in these tests, inside the default grant's term. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T01:30:00Z"), ZoneOffset.UTC);

    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        runner = TestRunners.newTestRunner(new EnforceGrantScope(CLOCK));
        RecordTestSupport.useJson(runner);
        RecordTestSupport.grantInProperties(runner, GRANTEE, "/**");
        runner.setProperty(GrantProperties.DOMAINS, "民政, 社会保障");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
    }

    private static Map<String, String> use(final String attribute, final String value) {
        final Map<String, String> attributes = new HashMap<>(USE);
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
        return attributes;
    }

    private MockFlowFile only(final org.apache.nifi.processor.Relationship relationship) {
        final List<MockFlowFile> flowFiles = runner.getFlowFilesForRelationship(relationship);
        assertEquals(1, flowFiles.size(), relationship.getName());
        return flowFiles.getFirst();
    }

    private static JsonNode json(final MockFlowFile flowFile) throws Exception {
        return MAPPER.readTree(flowFile.getContent());
    }

    private static List<Long> ids(final JsonNode records) {
        return java.util.stream.StreamSupport.stream(records.spliterator(), false).map(r -> r.get("id").asLong()).toList();
    }

    private ProvenanceEventRecord event(final ProvenanceEventType type) {
        return runner.getProvenanceEvents().stream().filter(e -> e.getEventType() == type && e.getDetails() != null).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type + " event with details in " + runner.getProvenanceEvents()));
    }

    @Test
    void splitsRecordsByGradeIntoAuthorizedAndUnauthorized() throws Exception {
        runner.enqueue(resource(getClass(), "applicants.json"), USE);
        runner.run();

        runner.assertTransferCount(EnforceGrantScope.REL_FAILURE, 0);
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        final MockFlowFile unauthorized = only(EnforceGrantScope.REL_UNAUTHORIZED);
        assertEquals(List.of(1001L, 1002L), ids(json(authorized)));
        assertEquals(List.of(1003L, 1004L), ids(json(unauthorized)));
        // authorized records pass unchanged when every field is permitted
        assertEquals("11010519491231002X", json(authorized).get(0).get("idCard").asText());
        assertEquals("13912345678", json(authorized).get(0).at("/contacts/0/phone").asText());
        assertTrue(json(authorized).get(0).get("id").isIntegralNumber());

        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        authorized.assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
        authorized.assertAttributeNotExists(PublicDataAttributes.DENY_REASON);
        authorized.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        authorized.assertAttributeEquals("mime.type", "application/json");
        authorized.assertAttributeEquals(PublicDataAttributes.USE_GRANTEE, GRANTEE);
        authorized.assertAttributeEquals(PublicDataAttributes.GRADE, "L3");
        authorized.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=1,L3=1");
        unauthorized.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        unauthorized.assertAttributeEquals(PublicDataAttributes.DECISION, "DENY");
        unauthorized.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRADE_EXCEEDS_GRANT: 2 records above the grant's maximum grade L3 (L4=1, ungraded=1)");
        unauthorized.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        // the unauthorized records are kept whole for review
        assertEquals("11010119900307051X", json(unauthorized).get(0).get("idCard").asText());

        final ProvenanceEventRecord fork = event(ProvenanceEventType.FORK);
        assertEquals("PERMIT 2 records to authorized, DENY 2 records to unauthorized (GRADE_EXCEEDS_GRANT=2) (grant GR-2025-0001)", fork.getDetails());
        assertEquals(2, fork.getChildUuids().size());
        assertFalse(fork.getDetails().contains("11010"), "provenance never holds values");
    }

    /** The worked example of the processor's documentation. */
    @Test
    void theDocumentedExample() throws Exception {
        runner.setProperty(GrantProperties.DOMAINS, "民政");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /name, /district, /allowance");
        runner.enqueue(resource(getClass(), "example.json"), USE);
        runner.run();

        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertContentEquals("[{\"id\":1,\"name\":\"张三\",\"district\":\"朝阳区\",\"allowance\":1280.5,\"_grade\":\"L3\"},"
                + "{\"id\":3,\"name\":null,\"district\":\"海淀区\",\"allowance\":1100.0,\"_grade\":\"L2\"}]");
        final MockFlowFile unauthorized = only(EnforceGrantScope.REL_UNAUTHORIZED);
        assertEquals(List.of(2L), ids(json(unauthorized)));
        unauthorized.assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 1 record above the grant's maximum grade L3 (L4=1)");
        assertEquals("PERMIT 2 records to authorized, DENY 1 record to unauthorized (GRADE_EXCEEDS_GRANT=1); removed fields outside the grant "
                + "(/idCard) from 1 record (grant GR-2025-0001)", event(ProvenanceEventType.FORK).getDetails());

        // With ClassifyRecord's field grades, what remains of record 2 once healthNote and idCard are removed is L3
        runner.clearTransferState();
        runner.clearProvenanceEvents();
        runner.enqueue(resource(getClass(), "example.json"), use(PublicDataAttributes.FIELDS, "{\"/id\":{\"grade\":\"L2\"},"
                + "\"/name\":{\"grade\":\"L3\",\"labels\":[\"PERSON_NAME\"]},\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\"]},"
                + "\"/district\":{\"grade\":\"L2\"},\"/allowance\":{\"grade\":\"L2\"},\"/healthNote\":{\"grade\":\"L4\",\"labels\":[\"HEALTH\"]}}"));
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_AUTHORIZED, 1);
        final MockFlowFile all = only(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals("{\"id\":2,\"name\":\"李四\",\"district\":\"西城区\",\"allowance\":960.0,\"_grade\":\"L3\"}", json(all).get(1).toString());
        all.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=1,L3=2");
    }

    @Test
    void splitsCsvRecordsToo() throws Exception {
        RecordTestSupport.useCsv(runner);
        runner.enqueue(resource(getClass(), "applicants.csv"), USE);
        runner.run();

        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        final MockFlowFile unauthorized = only(EnforceGrantScope.REL_UNAUTHORIZED);
        assertEquals("id,name,idCard,district,amount,_grade\n1001,张三,11010519491231002X,朝阳区,1280.5,L3\n1002,,,西城区,15.0,L2\n",
                authorized.getContent());
        assertEquals("id,name,idCard,district,amount,_grade\n1003,李四,11010119900307051X,海淀区,99.9,L4\n1004,王五,,东城区,7.0,\n",
                unauthorized.getContent());
        authorized.assertAttributeEquals("mime.type", "text/csv");
        unauthorized.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRADE_EXCEEDS_GRANT: 2 records above the grant's maximum grade L3 (L4=1, ungraded=1)");
    }

    @Test
    void aFlowFileWhoseRecordsAreAllDeniedGoesToUnauthorizedUnchanged() {
        final String content = "[{\"id\": 1, \"_grade\": \"L4\"}, {\"id\": 2}]";
        runner.enqueue(content, USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_UNAUTHORIZED, 1);
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(content);
        denied.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 2 records above the grant's maximum grade L3 (L4=1, ungraded=1)");
        assertEquals("DENY 2 records to unauthorized (GRADE_EXCEEDS_GRANT=2) (grant GR-2025-0001)",
                event(ProvenanceEventType.ROUTE).getDetails());
    }

    @Test
    void removesFieldsOutsideTheGrant() throws Exception {
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /district, /applicant/name, /contacts/relation");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L4");
        runner.enqueue(resource(getClass(), "applicants.json"), USE);
        runner.run();

        final JsonNode records = json(only(EnforceGrantScope.REL_AUTHORIZED));
        // 1003 is L4: a grant up to L4 that requires no protection does not release it in clear (the protection floor)
        assertEquals(List.of(1001L, 1002L), ids(records));
        assertEquals("{\"id\":1001,\"district\":\"朝阳区\",\"applicant\":{\"name\":\"张三\"},\"contacts\":[{\"relation\":\"配偶\"},{\"relation\":\"子女\"}],\"_grade\":\"L3\"}",
                records.get(0).toString());
        assertEquals("{\"id\":1002,\"district\":\"西城区\",\"applicant\":null,\"contacts\":[],\"_grade\":\"L2\"}", records.get(1).toString());
        final String event = event(ProvenanceEventType.FORK).getDetails();
        assertEquals("PERMIT 2 records to authorized, DENY 2 records to unauthorized (GRADE_EXCEEDS_GRANT=1, PROTECTION_REQUIRED=1); removed fields "
                + "outside the grant (/amount, /applicant/phone, /contacts/phone, /idCard, /name) from 2 records (grant GR-2025-0001)", event);
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 1 record above the grant's "
                + "maximum grade L4 (ungraded=1); PROTECTION_REQUIRED: 1 record (grade L4 must be protected (PSEUDONYMIZE|ENCRYPT|FPE|DROP (protection "
                + "floor)), but there are no field grades (publicdata.fields) to show which fields hold it)");
    }

    @Test
    void removesFieldsOutsideTheGrantFromCsv() throws Exception {
        RecordTestSupport.useCsv(runner);
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /district");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L4");
        runner.enqueue(resource(getClass(), "applicants.csv"), USE);
        runner.run();

        // 1003 (L4) is held back by the protection floor
        assertEquals("id,district,_grade\n1001,朝阳区,L3\n1002,西城区,L2\n", only(EnforceGrantScope.REL_AUTHORIZED).getContent());
    }

    @Test
    void deniesRecordsWithValuesOutsideTheGrantWhenSoConfigured() throws Exception {
        runner.setProperty(EnforceGrantScope.FIELDS_OUTSIDE_GRANT, FieldsOutsideGrant.DENY);
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /district, /amount, /applicant/name, /contacts/*");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L4");
        runner.enqueue(resource(getClass(), "applicants.json"), USE);
        runner.run();

        final JsonNode authorized = json(only(EnforceGrantScope.REL_AUTHORIZED));
        assertEquals(List.of(1002L), ids(authorized), "only record 1002 holds nothing outside the grant (its other fields are null)");
        assertEquals("{\"id\":1002,\"district\":\"西城区\",\"amount\":15.0,\"applicant\":null,\"contacts\":[],\"_grade\":\"L2\"}", authorized.get(0).toString());
        final MockFlowFile unauthorized = only(EnforceGrantScope.REL_UNAUTHORIZED);
        assertEquals(List.of(1001L, 1003L, 1004L), ids(json(unauthorized)));
        unauthorized.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "FIELD_NOT_PERMITTED: 3 records hold values in fields the grant does not permit (/applicant/phone, /idCard, /name)");
    }

    @Test
    void removedFieldsLowerTheGradeWhenFieldGradesShowIt() throws Exception {
        // As ClassifyRecord grades the fixture: the identity fields make records L3/L4, the rest is L2
        final String fields = "{\"/id\":{\"grade\":\"L2\"},\"/district\":{\"grade\":\"L2\"},\"/amount\":{\"grade\":\"L2\"},"
                + "\"/name\":{\"grade\":\"L3\",\"labels\":[\"PERSON_NAME\"]},\"/idCard\":{\"grade\":\"L4\",\"labels\":[\"PERSONAL_ID\"]},"
                + "\"/applicant/name\":{\"grade\":\"L3\"},\"/applicant/phone\":{\"grade\":\"L3\"},"
                + "\"/contacts/relation\":{\"grade\":\"L2\"},\"/contacts/phone\":{\"grade\":\"L3\"}}";
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /district, /amount, /contacts/relation");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L2");
        runner.enqueue(resource(getClass(), "applicants.json"), use(PublicDataAttributes.FIELDS, fields));
        runner.run();

        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        final JsonNode records = json(authorized);
        assertEquals(List.of(1001L, 1002L, 1003L), ids(records), "what remains of the L3 and L4 records is L2; the ungraded record stays denied");
        assertEquals(List.of("L2", "L2", "L2"), List.of(records.get(0).get("_grade").asText(), records.get(1).get("_grade").asText(),
                records.get(2).get("_grade").asText()), "the grade describes what remains");
        authorized.assertAttributeEquals(PublicDataAttributes.GRADE, "L2");
        authorized.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=3");
        authorized.assertAttributeEquals(PublicDataAttributes.FIELDS, "{\"/amount\":{\"grade\":\"L2\",\"labels\":[]},"
                + "\"/contacts/relation\":{\"grade\":\"L2\",\"labels\":[]},\"/district\":{\"grade\":\"L2\",\"labels\":[]},"
                + "\"/id\":{\"grade\":\"L2\",\"labels\":[]}}");
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRADE_EXCEEDS_GRANT: 1 record above the grant's maximum grade L2 (ungraded=1)");

        // a remaining field classification never saw keeps the record's own grade
        runner.clearTransferState();
        runner.enqueue(resource(getClass(), "applicants.json"), use(PublicDataAttributes.FIELDS, fields.replace("\"/amount\":{\"grade\":\"L2\"},", "")));
        runner.run();
        assertEquals(List.of(1002L), ids(json(only(EnforceGrantScope.REL_AUTHORIZED))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no grantee        | publicdata.use.grantee | -                  | CONTEXT_MISSING: the use context names no grantee, which grant GR-2025-0001 restricts
            another grantee   | publicdata.use.grantee | 91440300MA5XXXXX0X | GRANTEE_MISMATCH: grant GR-2025-0001 is granted to 91110105MA01ABCD1X, not to 91440300MA5XXXXX0X
            no domain         | publicdata.use.domain  | -                  | CONTEXT_MISSING: the use context names no domain, which grant GR-2025-0001 restricts
            another domain    | publicdata.use.domain  | 医疗卫生             | DOMAIN_NOT_GRANTED: domain '医疗卫生' is not granted; the grant covers [民政, 社会保障]
            another purpose   | publicdata.use.purpose | 商业营销             | PURPOSE_NOT_GRANTED: purpose '商业营销' is not granted; the grant covers [救助审核]
            no purpose        | publicdata.use.purpose | -                  | CONTEXT_MISSING: the use context names no purpose, which grant GR-2025-0001 restricts
            another dataset   | publicdata.dataset     | GOV-HEALTH-002     | DATASET_NOT_GRANTED: dataset 'GOV-HEALTH-002' is not granted; the grant covers [GOV-CIVIL-001]
            """)
    void aUseOutsideTheGrantDeniesTheWholeFlowFileUnchanged(final String name, final String attribute, final String value, final String reason) {
        final String content = resource(getClass(), "applicants.json");
        runner.enqueue(content, use(attribute, "-".equals(value) ? null : value));
        runner.run();

        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_UNAUTHORIZED, 1);
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(content);
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON, reason);
        denied.assertAttributeEquals(PublicDataAttributes.DECISION, "DENY");
        denied.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        denied.assertAttributeNotExists(PublicDataAttributes.RECORD_COUNT);
        final ProvenanceEventRecord route = event(ProvenanceEventType.ROUTE);
        assertEquals("DENY " + reason + " (grant GR-2025-0001)", route.getDetails());
        assertEquals("unauthorized", route.getRelationship());
    }

    @Test
    void scenarioGrantsCheckTheScenario() {
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "SCENARIO");
        runner.setProperty(GrantProperties.SCENARIOS, "低保资格核查");
        runner.removeProperty(GrantProperties.DOMAINS);
        runner.enqueue(resource(getClass(), "applicants.json"), use(PublicDataAttributes.USE_SCENARIO, "低保资格核查"));
        runner.enqueue(resource(getClass(), "applicants.json"), use(PublicDataAttributes.USE_SCENARIO, "精准营销"));
        runner.run(2);

        assertEquals(1, runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED).size());
        final MockFlowFile denied = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).stream()
                .filter(f -> f.getAttribute(PublicDataAttributes.RECORD_COUNT) == null).findFirst().orElseThrow();
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON, "SCENARIO_NOT_GRANTED: scenario '精准营销' is not granted; the grant covers [低保资格核查]");
    }

    @Test
    void wholeGrantsIgnoreDomainAndScenario() {
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "WHOLE");
        runner.removeProperty(GrantProperties.DOMAINS);
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L3");
        runner.setProperty(EnforceGrantScope.GRADE_FIELD, "");
        runner.enqueue("[{\"id\": 1}]", use(PublicDataAttributes.USE_DOMAIN, null));
        runner.enqueue("[{\"id\": 2}]", use(PublicDataAttributes.GRADE, "L3"));
        runner.enqueue("[{\"id\": 3}]", use(PublicDataAttributes.GRADE, "L4"));
        runner.run(3);

        final List<MockFlowFile> authorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals(1, authorized.size());
        authorized.getFirst().assertContentEquals("[{\"id\":2}]");
        final List<MockFlowFile> unauthorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED);
        assertEquals(List.of("GRADE_EXCEEDS_GRANT: 1 record above the grant's maximum grade L3 (ungraded=1)",
                "GRADE_EXCEEDS_GRANT: 1 record above the grant's maximum grade L3 (L4=1)"),
                unauthorized.stream().map(f -> f.getAttribute(PublicDataAttributes.DENY_REASON)).toList(),
                "without a grade field every record takes the FlowFile's grade; without that, the top grade");
    }

    @Test
    void contextAttributesAreConfigurable() {
        runner.setProperty(UseContextProperties.GRANTEE_ATTRIBUTE, "operator.code");
        runner.setProperty(UseContextProperties.DATASET_ATTRIBUTE, "catalog.id");
        final Map<String, String> attributes = new HashMap<>(USE);
        attributes.remove(PublicDataAttributes.USE_GRANTEE);
        attributes.remove(PublicDataAttributes.DATASET);
        attributes.put("operator.code", GRANTEE);
        attributes.put("catalog.id", "GOV-CIVIL-001");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", attributes);
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED).assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
    }

    /**
     * A field that is a record in one record and text or an array in another (a choice when the schema is inferred), where
     * the grant permits only a field below it: the other shapes go, the records stay. It used to fail the FlowFile (the
     * writer could not put the emptied array into the narrowed record type).
     */
    @Test
    void aFieldOfSeveralShapesKeepsOnlyWhatTheGrantPermits() throws Exception {
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /contact/phone");
        runner.enqueue("""
                [{"id": 1, "contact": {"phone": "010-1234", "mobile": "13800138000"}, "_grade": "L3"},
                 {"id": 2, "contact": ["13900139000"], "_grade": "L3"},
                 {"id": 3, "contact": "13700137000", "_grade": "L3"},
                 {"id": 4, "contact": [{"phone": "010-5678", "note": "13600136000"}], "_grade": "L3"}]""", USE);
        runner.run();
        runner.assertTransferCount(EnforceGrantScope.REL_FAILURE, 0);
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        final String content = authorized.getContent();
        assertEquals(List.of(1L, 2L, 3L, 4L), ids(json(authorized)));
        assertEquals("010-1234", json(authorized).get(0).at("/contact/phone").asText());
        // The array of texts keeps nothing (an array of records is one of the field's shapes); the text goes
        assertEquals(0, json(authorized).get(1).get("contact").size(), content);
        assertTrue(json(authorized).get(2).get("contact").isNull(), content);
        assertEquals("010-5678", json(authorized).get(3).at("/contact/0/phone").asText());
        for (final String outside : List.of("13800138000", "13900139000", "13700137000", "13600136000", "mobile", "note")) {
            assertFalse(content.contains(outside), () -> outside + " reached authorized: " + content);
        }
    }

    /** The same with no array of records among the shapes: the array of texts has no type in the narrowed schema at all. */
    @Test
    void aFieldThatIsARecordOrAnArrayOfTextsKeepsOnlyTheRecordsPermittedFields() throws Exception {
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /contact/phone");
        runner.enqueue("""
                [{"id": 1, "contact": {"phone": "010-1234", "mobile": "13800138000"}, "_grade": "L3"},
                 {"id": 2, "contact": ["13900139000"], "_grade": "L3"}]""", USE);
        runner.run();
        runner.assertTransferCount(EnforceGrantScope.REL_FAILURE, 0);
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        final String content = authorized.getContent();
        assertEquals("010-1234", json(authorized).get(0).at("/contact/phone").asText());
        assertTrue(json(authorized).get(1).get("contact").isNull(), content);
        assertFalse(content.contains("13800138000") || content.contains("13900139000"), content);
    }

    @Test
    void expiredAndNotYetValidGrantsDeny() {
        runner.setProperty(GrantProperties.VALID_UNTIL, "2025-06-01T00:00:00+08:00");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRANT_EXPIRED: valid until 2025-06-01T00:00:00+08:00 (exclusive), used at 2025-06-01T09:30:00+08:00");

        runner.clearTransferState();
        runner.setProperty(GrantProperties.VALID_FROM, "2025-07-01T00:00:00Z");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00Z");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRANT_NOT_YET_VALID: valid from 2025-07-01T00:00:00Z, used at 2025-06-01T01:30:00Z");

        // the term is half-open: a use at exactly its start is in it, a use at exactly its end is not
        runner.clearTransferState();
        runner.setProperty(GrantProperties.VALID_FROM, "2025-06-01T09:30:00+08:00");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_AUTHORIZED, 1);
        runner.clearTransferState();
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2025-06-01T01:30:00Z");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_UNAUTHORIZED, 1);
    }

    @Test
    void revokedAndSuspendedGrantsDeny() {
        runner.setProperty(GrantProperties.STATUS, "REVOKED");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRANT_REVOKED: grant GR-2025-0001 was revoked (撤销)");

        runner.clearTransferState();
        runner.setProperty(GrantProperties.STATUS, "SUSPENDED");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}]", USE);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRANT_SUSPENDED: grant GR-2025-0001 is suspended (暂停)");
    }

    @Test
    void requiredProtectionIsCheckedAgainstProtectedFields() {
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L5");
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK|PSEUDONYMIZE|ENCRYPT, L5=ENCRYPT");
        final String records = "[{\"id\": 1, \"name\": \"张三\", \"secret\": null, \"_grade\": \"L3\"}, {\"id\": 2, \"name\": null, \"secret\": null, \"_grade\": \"L2\"},"
                + " {\"id\": 3, \"name\": \"x\", \"secret\": \"pd2:SM4GCM:k1:AAAA\", \"_grade\": \"L5\"}]";
        final String fields = "{\"/id\":{\"grade\":\"L2\"},\"/name\":{\"grade\":\"L3\"},\"/secret\":{\"grade\":\"L5\"}}";

        runner.enqueue(records, use(PublicDataAttributes.FIELDS, fields));
        final Map<String, String> masked = use(PublicDataAttributes.FIELDS, fields);
        masked.put(PublicDataAttributes.PROTECTED, "{\"/name\":\"MASK\",\"/secret\":\"ENCRYPT\"}");
        runner.enqueue(records, masked);
        runner.run(2);

        final List<MockFlowFile> authorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals(2, authorized.size());
        authorized.get(0).assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "1");
        authorized.get(1).assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "2");
        // The L5 record never leaves, not even encrypted: the protection floor, whatever the grant (L5=ENCRYPT) says
        assertEquals(List.of("GRADE_NEVER_RELEASED: 1 record (/secret (L5) is of a grade that never leaves, protected or not (protection floor, 不予开放)); "
                        + "PROTECTION_REQUIRED: 1 record (/name (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected)",
                "GRADE_NEVER_RELEASED: 1 record (/secret (L5) is of a grade that never leaves, protected or not (protection floor, 不予开放))"),
                runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).stream()
                        .map(f -> f.getAttribute(PublicDataAttributes.DENY_REASON)).toList());
    }

    @Test
    void withoutFieldGradesProtectionCannotBeShown() {
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L3\"}, {\"id\": 2, \"_grade\": \"L2\"}]", USE);
        runner.run();
        only(EnforceGrantScope.REL_AUTHORIZED).assertContentEquals("[{\"id\":2,\"_grade\":\"L2\"}]");
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "PROTECTION_REQUIRED: 1 record (grade L3 must be protected (MASK), but there are no field grades (publicdata.fields) to show which fields hold it)");
    }

    @Test
    void allRecordsInScopeGiveOneAuthorizedFlowFile() throws Exception {
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L1\"}, {\"id\": 2, \"_grade\": \"L3\"}]", USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_AUTHORIZED, 1);
        assertEquals(List.of(1L, 2L), ids(json(only(EnforceGrantScope.REL_AUTHORIZED))));
        assertEquals("PERMIT 2 records to authorized (grant GR-2025-0001)", event(ProvenanceEventType.FORK).getDetails());
    }

    @Test
    void anEmptyRecordSetPassesAsSuch() throws Exception {
        RecordTestSupport.useCsv(runner);
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id");
        runner.enqueue("id,idCard\n", USE);
        runner.run();
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "0");
        assertFalse(authorized.getContent().contains("idCard"), "not even the name of a field outside the grant passes");
    }

    @Test
    void malformedInputGoesToFailureUnchanged() {
        final String content = "[{\"id\": 1, \"_grade\": \"L1\"}, {\"id\": ";
        runner.enqueue(content, USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_FAILURE, 1);
        final MockFlowFile failed = only(EnforceGrantScope.REL_FAILURE);
        failed.assertContentEquals(content);
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE) != null);
        failed.assertAttributeNotExists(PublicDataAttributes.DECISION);
        assertEquals(1, runner.getQueueSize().getObjectCount() + runner.getFlowFilesForRelationship(EnforceGrantScope.REL_FAILURE).size());
    }

    @Test
    void aFailureAfterSomeRecordsRemovesBothChildren() throws Exception {
        // An explicit schema: records stream, so the first ones are written before the malformed one is reached
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService("explicit", reader);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, """
            {"type": "record", "name": "r", "fields": [{"name": "id", "type": "long"}, {"name": "_grade", "type": ["null", "string"]}]}""");
        runner.enableControllerService(reader);
        runner.setProperty(EnforceGrantScope.RECORD_READER, "explicit");
        final String content = "[{\"id\": 1, \"_grade\": \"L1\"}, {\"id\": 2, \"_grade\": \"L5\"}, {\"id\": 3, \"_grade\": }]";
        runner.enqueue(content, USE);
        runner.run();

        runner.assertAllFlowFilesTransferred(EnforceGrantScope.REL_FAILURE, 1);
        only(EnforceGrantScope.REL_FAILURE).assertContentEquals(content);
        // Both children were created (the framework's FORK events) before the malformed record, and then removed
        assertEquals(2, runner.getProvenanceEvents().stream().filter(e -> e.getEventType() == ProvenanceEventType.FORK && e.getDetails() == null).count());
        assertTrue(runner.getProvenanceEvents().stream().noneMatch(e -> e.getEventType() == ProvenanceEventType.FORK && e.getDetails() != null));
    }

    @Test
    void anAuthorizedFlowFileKeepsNoStaleDenyReasonAndNoFieldGradesItCannotNarrow() {
        final Map<String, String> attributes = use(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 1 record from an earlier check");
        attributes.put(PublicDataAttributes.FIELDS, "not field grades");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L2\"}]", attributes);
        runner.enqueue("[{\"id\": 2, \"_grade\": \"L2\"}]", use(PublicDataAttributes.DENY_REASON, "GRADE_EXCEEDS_GRANT: 1 record from an earlier check"));
        runner.run(2);

        runner.assertTransferCount(EnforceGrantScope.REL_AUTHORIZED, 2);
        final List<MockFlowFile> authorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED);
        authorized.forEach(flowFile -> {
            flowFile.assertAttributeNotExists(PublicDataAttributes.DENY_REASON);
            flowFile.assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
        });
        // Field grades that cannot be read are dropped rather than passed on unnarrowed; none stays none
        authorized.getFirst().assertAttributeNotExists(PublicDataAttributes.FIELDS);
        authorized.get(1).assertAttributeNotExists(PublicDataAttributes.FIELDS);
    }

    @Test
    void malformedFieldGradesGoToFailure() {
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK");
        runner.enqueue("[{\"id\": 1, \"_grade\": \"L3\"}]", use(PublicDataAttributes.FIELDS, "{\"/id\": {\"grade\": \"TOP\"}}"));
        runner.run();
        only(EnforceGrantScope.REL_FAILURE).assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE,
                "Unknown grade 'TOP'; this ladder has [L1, L2, L3, L4, L5]");
    }

    @Test
    void worksOnWhatClassifyRecordWrites() throws Exception {
        final TestRunner classify = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(classify);
        classify.enqueue(resource(TestClassifyRecord.class, "applicants.json"), USE);
        classify.run();
        final MockFlowFile classified = classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();

        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L2");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id, /amount, /district, /employer/city");
        runner.enqueue(classified.getContent(), classified.getAttributes());
        runner.run();

        final JsonNode authorized = json(only(EnforceGrantScope.REL_AUTHORIZED));
        assertEquals(3, authorized.size(), "every record is L2 once its personal information is removed");
        for (final JsonNode record : authorized) {
            record.fieldNames().forEachRemaining(name -> assertTrue(List.of("id", "amount", "district", "employer", "_grade").contains(name), name));
        }
        runner.assertTransferCount(EnforceGrantScope.REL_UNAUTHORIZED, 0);
    }

    @Test
    void enforcesASignedGrantDocument(@TempDir final Path dir) throws Exception {
        final KeyPair issuer = SignatureAlgorithm.SM2.generateKeyPair();
        final Path document = dir.resolve("grant.json");
        Files.write(document, GrantDocument.sign(signedGrant(), issuer.getPrivate(), issuer.getPublic()));
        final Path key = dir.resolve("issuer.pub");
        Files.writeString(key, PemKeys.writePublicKey(issuer.getPublic()));
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, document.toString());
        runner.setProperty(GrantProperties.VERIFICATION_KEY, key.toString());
        runner.assertValid();

        // The document prices the grant 有条件无偿使用: the use declares a purpose category that fits it
        final Map<String, String> publicUse = use(PublicDataAttributes.USE_SCENARIO, "低保资格核查");
        publicUse.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, "公共治理");
        runner.enqueue(resource(getClass(), "applicants.json"), publicUse);
        runner.run();
        final MockFlowFile authorized = only(EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0042");
        assertEquals("[{\"id\":1001,\"district\":\"朝阳区\",\"_grade\":\"L3\"},{\"id\":1002,\"district\":\"西城区\",\"_grade\":\"L2\"}]",
                authorized.getContent());

        // the operator stops using the grant here: the stricter status applies
        runner.clearTransferState();
        runner.setProperty(GrantProperties.STATUS, "SUSPENDED");
        runner.enqueue(resource(getClass(), "applicants.json"), publicUse);
        runner.run();
        only(EnforceGrantScope.REL_UNAUTHORIZED).assertAttributeEquals(PublicDataAttributes.DENY_REASON, "GRANT_SUSPENDED: grant GR-2025-0042 is suspended (暂停)");
    }

    @Test
    void aTamperedGrantDocumentDeniesEverything() throws Exception {
        final KeyPair issuer = SignatureAlgorithm.ECDSA_P256.generateKeyPair();
        final ObjectNode signed = (ObjectNode) MAPPER.readTree(GrantDocument.sign(signedGrant(), issuer.getPrivate(), issuer.getPublic()));
        signed.with("grant").putArray("permittedFields").add("/**");
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, signed.toString());
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(issuer.getPublic()));
        runner.assertValid();

        final String content = resource(getClass(), "applicants.json");
        runner.enqueue(content, use(PublicDataAttributes.USE_SCENARIO, "低保资格核查"));
        runner.run();
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(content);
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "SIGNATURE_INVALID: the signature does not match the document: it was changed after signing, or signed with another key");
        denied.assertAttributeNotExists(PublicDataAttributes.GRANT_ID);
        assertTrue(runner.getLogger().getErrorMessages().getFirst().getMsg().contains("every FlowFile will be routed to unauthorized"));
    }

    @Test
    void aVerifiedGrantOutsideTheLadderIsInvalid() throws Exception {
        final KeyPair issuer = SignatureAlgorithm.ED25519.generateKeyPair();
        final ObjectNode grant = signedGrant().put("maximumGrade", "CONFIDENTIAL");
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, new String(GrantDocument.sign(grant, issuer.getPrivate(), issuer.getPublic()), StandardCharsets.UTF_8));
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(issuer.getPublic()));
        runner.enqueue("[]", USE);
        runner.run();
        final MockFlowFile denied = only(EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "GRANT_INVALID: The grant's maximum grade 'CONFIDENTIAL' is not on the grade ladder [L1, L2, L3, L4, L5]");
        denied.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0042");
    }

    private static ObjectNode signedGrant() throws Exception {
        return (ObjectNode) MAPPER.readTree("""
                {"id": "GR-2025-0042", "issuer": "某市数据局", "grantee": "91110105MA01ABCD1X", "mode": "SCENARIO",
                 "scenarios": ["低保资格核查"], "purposes": ["救助审核"], "datasets": ["GOV-CIVIL-001"],
                 "permittedFields": ["/id", "/district"], "maximumGrade": "L3",
                 "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2026-01-01T00:00:00+08:00",
                 "status": "ACTIVE", "pricing": "PUBLIC_WELFARE"}""");
    }

    @Test
    void invalidGrantsAreInvalidConfigurations() {
        runner.assertValid();
        runner.removeProperty(GrantProperties.DOMAINS);
        runner.assertNotValid();
        runner.setProperty(GrantProperties.DOMAINS, "民政");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.VALID_UNTIL, "2024-01-01T00:00:00+08:00");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        // A grant may name the top grade: the protection floor, not the grant, keeps L5 from leaving
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L5");
        runner.assertValid();
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L5=ENCRYPT");
        runner.assertValid();
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L5=SHRED");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L5");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L5=ENCRYPT");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "name");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/name");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "SECRET");
        runner.assertNotValid();

        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, "{}");
        runner.setProperty(GrantProperties.VERIFICATION_KEY, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        runner.assertNotValid();
        runner.setProperty(GrantProperties.VERIFICATION_KEY, PemKeys.writePublicKey(SignatureAlgorithm.SM2.generateKeyPair().getPublic()));
        runner.assertValid();
    }
}
