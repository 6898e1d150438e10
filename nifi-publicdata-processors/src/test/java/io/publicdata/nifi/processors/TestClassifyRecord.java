package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.MockProcessContext;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestClassifyRecord {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(ClassifyRecord.class);
    }

    @Test
    void gradesEveryRecordWithZeroConfiguration() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.enqueue(resource(getClass(), "applicants.json"));
        runner.run();

        runner.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final JsonNode records = MAPPER.readTree(out.getContent());
        assertEquals(3, records.size());
        assertEquals("L3", records.get(0).get("_grade").asText());
        assertEquals("L3", records.get(1).get("_grade").asText());
        assertEquals("L2", records.get(2).get("_grade").asText(), "uncovered values get the default grade, not L1");

        // values and types are untouched: numbers stay numbers, nested records and arrays stay as they were
        assertTrue(records.get(0).get("id").isIntegralNumber());
        assertEquals(1280.5, records.get(0).get("amount").asDouble());
        assertTrue(records.get(0).get("amount").isNumber());
        assertEquals("11010519491231002X", records.get(0).get("idCard").asText());
        assertEquals("+86 186 1234 5678", records.get(0).get("contacts").get(0).get("mobile").asText());
        assertEquals("深圳", records.get(0).get("employer").get("city").asText());
        assertTrue(records.get(0).get("note").isNull());

        out.assertAttributeEquals(PublicDataAttributes.GRADE, "L3");
        out.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=1,L3=2");
        out.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "3");
        out.assertAttributeEquals("mime.type", "application/json");
        out.assertAttributeNotExists(PublicDataAttributes.DATASET);

        final JsonNode fields = MAPPER.readTree(out.getAttribute(PublicDataAttributes.FIELDS));
        assertField(fields, "/idCard", "L3", "PERSONAL_ID");
        assertField(fields, "/phone", "L3", "MOBILE");
        assertField(fields, "/name", "L3", "PERSON_NAME");
        assertField(fields, "/remark", "L3", "MOBILE");
        assertField(fields, "/note", "L3", "BANK_CARD");
        assertField(fields, "/contacts/mobile", "L3", "MOBILE");
        assertField(fields, "/contacts/relation", "L2");
        assertField(fields, "/employer/uscc", "L2", "CREDIT_CODE");
        assertField(fields, "/amount", "L2");
        assertField(fields, "/tag", "L2");
        assertFalse(fields.has("/_grade"));
        assertFalse(out.getAttribute(PublicDataAttributes.FIELDS).contains("13800138000"), "attributes never hold values");

        final ProvenanceEventRecord event = runner.getProvenanceEvents().getFirst();
        assertEquals(ProvenanceEventType.CONTENT_MODIFIED, event.getEventType());
        assertEquals("Graded 3 records (L2=1,L3=2), highest L3; labels found: BANK_CARD, CREDIT_CODE, MOBILE, PERSONAL_ID, PERSON_NAME",
                event.getDetails());
    }

    @Test
    void rulesGradeFieldsAndTheHigherGradeWins() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.setProperty(ClassifyRecord.CLASSIFICATION_RULES, resource(getClass(), "rules.json"));
        runner.setProperty(ClassifyRecord.DATASET, "${catalog.id}");
        runner.enqueue(resource(getClass(), "applicants.json"), Map.of("catalog.id", "GOV-HR-001"));
        runner.run();

        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final JsonNode records = MAPPER.readTree(out.getContent());
        assertEquals("L4", records.get(0).get("_grade").asText(), "amount is L4 by rule");
        assertEquals("L1", records.get(2).get("_grade").asText(), "id and district are public by rule");
        out.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L1=1,L4=2");
        out.assertAttributeEquals(PublicDataAttributes.DATASET, "GOV-HR-001");
        final JsonNode fields = MAPPER.readTree(out.getAttribute(PublicDataAttributes.FIELDS));
        assertField(fields, "/amount", "L4", "FINANCIAL");
        assertField(fields, "/employer/uscc", "L2", "CREDIT_CODE");
        assertField(fields, "/employer/city", "L1");
        assertField(fields, "/note", "L4", "BANK_CARD");
        assertField(fields, "/id", "L1");
    }

    @Test
    void rulesFromAFile(@TempDir final Path dir) throws Exception {
        final Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"defaultGrade\": \"L1\", \"rules\": [{\"label\": \"PERSON_NAME\", \"grade\": \"L2\"}]}");
        RecordTestSupport.useJson(runner);
        runner.setProperty(ClassifyRecord.CLASSIFICATION_RULES, rules.toString());
        runner.enqueue("[{\"name\": \"张三\", \"city\": \"北京\"}, {\"city\": \"上海\"}]");
        runner.run();
        runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst()
                .assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L1=1,L2=1");
    }

    @Test
    void gradesCsv() throws Exception {
        RecordTestSupport.useCsv(runner);
        runner.enqueue(resource(getClass(), "applicants.csv"));
        runner.run();

        runner.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final List<String> lines = out.getContent().lines().toList();
        assertEquals("id,name,idCard,phone,district,remark,_grade", lines.get(0));
        assertEquals("2001,王五,11010519491231002X,13800138000,朝阳区,无,L3", lines.get(1));
        assertEquals("2002,赵六,,,海淀区,邮箱 zhao@example.com,L3", lines.get(2));
        assertEquals("2003,,,,西城区,,L2", lines.get(3));
        out.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=1,L3=2");
        out.assertAttributeEquals("mime.type", "text/csv");
        final JsonNode fields = MAPPER.readTree(out.getAttribute(PublicDataAttributes.FIELDS));
        assertField(fields, "/remark", "L3", "EMAIL");
        assertField(fields, "/idCard", "L3", "PERSONAL_ID");
    }

    @Test
    void nullAndEmptyValuesCarryNoGrade() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.enqueue("[{\"a\": null, \"b\": \"\", \"c\": \"  \", \"d\": {\"e\": null}, \"f\": []}]");
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        out.assertAttributeEquals(PublicDataAttributes.GRADE, "L1");
        out.assertAttributeEquals(PublicDataAttributes.FIELDS, "{}");
        assertEquals("L1", MAPPER.readTree(out.getContent()).get(0).get("_grade").asText());
    }

    @Test
    void numbersAreExaminedAsDigits() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.enqueue("[{\"contact\": 13800138000, \"score\": 13800138000.5}]");
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final JsonNode fields = MAPPER.readTree(out.getAttribute(PublicDataAttributes.FIELDS));
        assertField(fields, "/contact", "L3", "MOBILE");
        assertField(fields, "/score", "L2");
        assertEquals(13800138000L, MAPPER.readTree(out.getContent()).get(0).get("contact").asLong());
    }

    @Test
    void emptyGradeFieldLeavesRecordsUnchanged() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.setProperty(ClassifyRecord.GRADE_FIELD, "");
        runner.enqueue("[{\"phone\": \"13800138000\"}]");
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        assertFalse(MAPPER.readTree(out.getContent()).get(0).has("_grade"));
        out.assertAttributeEquals(PublicDataAttributes.GRADE, "L3");
    }

    @Test
    void reclassifyingReplacesTheGrade() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.setProperty(ClassifyRecord.GRADE_FIELD, "级别");
        runner.enqueue("[{\"phone\": \"13800138000\", \"级别\": \"L1\"}]");
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final JsonNode record = MAPPER.readTree(out.getContent()).get(0);
        assertEquals("L3", record.get("级别").asText());
        assertEquals(2, record.size());
        assertFalse(out.getAttribute(PublicDataAttributes.FIELDS).contains("级别"));
    }

    @Test
    void zeroRecordsIsSuccess() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.enqueue("[]");
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        out.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "0");
        out.assertAttributeEquals(PublicDataAttributes.GRADE, "L1");
        out.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "");
    }

    @Test
    void malformedJsonGoesToFailureUnchanged() throws Exception {
        RecordTestSupport.useJson(runner);
        final String broken = "[{\"phone\": \"13800138000\"}, {\"phone\": ";
        runner.enqueue(broken, Map.of("filename", "broken.json"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ClassifyRecord.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ClassifyRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(broken);
        failed.assertAttributeExists(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        failed.assertAttributeNotExists(PublicDataAttributes.GRADE);
        assertTrue(runner.getProvenanceEvents().isEmpty());
    }

    @Test
    void csvWithExtraColumnGoesToFailure() throws Exception {
        RecordTestSupport.useCsv(runner);
        final String csv = "id,phone\n1,13800138000\n2,13900139000,extra\n";
        runner.enqueue(csv);
        runner.run();
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ClassifyRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(csv);
        failed.assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE,
                "Record 2 has a value outside the schema (/unknown_field_index_2), e.g. a CSV line with more columns than its header");
    }

    @Test
    void csvWithMissingColumnGoesToFailureWithAStrictParser() throws Exception {
        RecordTestSupport.useCsv(runner, CSVReader.FAST_CSV.getValue());
        final String csv = "id,phone,city\n1,13800138000,北京\n2,13900139000\n";
        runner.enqueue(csv);
        runner.run();
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ClassifyRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(csv);
        // The reader's own message quotes what it read, so only its type is named
        failed.assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE, "The records could not be read: IllegalArgumentException");
    }

    @Test
    void memberAnExplicitSchemaLacksGoesToFailure() throws Exception {
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService(RecordTestSupport.READER, reader);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, """
            {"type": "record", "name": "applicant", "fields": [
              {"name": "name", "type": "string"},
              {"name": "contact", "type": {"type": "record", "name": "contact", "fields": [{"name": "city", "type": "string"}]}}
            ]}""");
        runner.enableControllerService(reader);
        final JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService(RecordTestSupport.WRITER, writer);
        runner.enableControllerService(writer);
        runner.setProperty(ClassifyRecord.RECORD_READER, RecordTestSupport.READER);
        runner.setProperty(ClassifyRecord.RECORD_WRITER, RecordTestSupport.WRITER);

        final String json = "[{\"name\": \"张三\", \"contact\": {\"city\": \"北京\", \"phone\": \"13800138000\"}}]";
        runner.enqueue(json);
        runner.run();
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ClassifyRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(json);
        failed.assertAttributeEquals(PublicDataAttributes.RECORD_ERROR_MESSAGE, "Record 1 has a value outside the schema (a member of /contact "
                + "that its schema lacks), e.g. a CSV line with more columns than its header");
    }

    @Test
    void invalidRulesMakeTheProcessorInvalid() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.assertValid();
        runner.setProperty(ClassifyRecord.CLASSIFICATION_RULES, "{\"rules\": [{\"path\": \"/a\", \"grade\": \"L9\"}]}");
        assertValidationMessage("rule 1: Unknown grade 'L9'; this ladder has [L1, L2, L3, L4, L5]");
        runner.setProperty(ClassifyRecord.CLASSIFICATION_RULES, "{\"rules\": [");
        assertValidationMessage("Rules are not valid JSON");
    }

    @Test
    void defaultGradeMustBeOnTheLadder() throws Exception {
        RecordTestSupport.useJson(runner);
        runner.setProperty(ClassifyRecord.GRADE_LADDER, "PUBLIC, INTERNAL, SECRET");
        assertValidationMessage("Default Grade 'L2' is not on the Grade Ladder [PUBLIC, INTERNAL, SECRET]");
        runner.setProperty(ClassifyRecord.DEFAULT_GRADE, "INTERNAL");
        runner.assertValid();
        runner.setProperty(ClassifyRecord.GRADE_LADDER, "PUBLIC");
        runner.assertNotValid();
    }

    @Test
    void concurrentTasksGradeAlike() throws Exception {
        RecordTestSupport.useJson(runner);
        final String input = resource(getClass(), "applicants.json");
        for (int i = 0; i < 40; i++) {
            runner.enqueue(input);
        }
        runner.setThreadCount(4);
        runner.run(40);
        final List<MockFlowFile> out = runner.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS);
        assertEquals(40, out.size());
        final String expected = out.getFirst().getAttribute(PublicDataAttributes.FIELDS);
        for (final MockFlowFile flowFile : out) {
            flowFile.assertAttributeEquals(PublicDataAttributes.FIELDS, expected);
            flowFile.assertAttributeEquals(PublicDataAttributes.GRADE_COUNTS, "L2=1,L3=2");
        }
    }

    private void assertValidationMessage(final String expected) {
        runner.assertNotValid();
        final String explanations = ((MockProcessContext) runner.getProcessContext()).validate().toString();
        assertTrue(explanations.contains(expected), explanations);
    }

    private static void assertField(final JsonNode fields, final String path, final String grade, final String... labels) {
        final JsonNode field = fields.get(path);
        assertNotNull(field, "no field " + path + " in " + fields);
        assertEquals(grade, field.get("grade").asText(), path);
        assertEquals(List.of(labels), MAPPER.convertValue(field.get("labels"), List.class), path);
    }
}
