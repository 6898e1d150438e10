package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestAssessDisclosureRisk {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        runner = TestRunners.newTestRunner(AssessDisclosureRisk.class);
        RecordTestSupport.useJson(runner);
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district, /birthYear, /gender");
    }

    @Test
    void acceptableWhenEveryClassReachesK() {
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_ACCEPTABLE).getFirst();
        out.assertContentEquals(resource(getClass(), "residents.json"));
        out.assertAttributeEquals(PublicDataAttributes.RISK_K, "1");
        out.assertAttributeEquals("publicdata.risk.classes", "3");
        out.assertAttributeEquals("publicdata.risk.records.at.risk", "0");
        assertEquals(ProvenanceEventType.ROUTE, runner.getProvenanceEvents().getFirst().getEventType());
    }

    @Test
    void riskyWhenAClassIsTooSmall() {
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "3");
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_RISKY).getFirst();
        out.assertContentEquals(resource(getClass(), "residents.json"));
        out.assertAttributeEquals(PublicDataAttributes.RISK_K, "1");
        out.assertAttributeEquals("publicdata.risk.records.at.risk", "1");
        assertEquals("k-anonymity 1 (minimum 3) over 7 records in 3 classes; 1 class holding 1 record below threshold",
                runner.getProvenanceEvents().getFirst().getDetails());
    }

    @Test
    void lDiversityCountsSensitiveValues() {
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        runner.setProperty(AssessDisclosureRisk.SENSITIVE_FIELD, "/diagnosis");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_L, "2");
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();
        final MockFlowFile out = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_RISKY).getFirst();
        out.assertAttributeEquals("publicdata.risk.l", "1");
        // 海淀区 (all 哮喘) and 西城区 (one record) lack diversity
        out.assertAttributeEquals("publicdata.risk.records.at.risk", "4");
        assertEquals("k-anonymity 1 (minimum 1), l-diversity 1 (minimum 2) over 7 records in 3 classes; 2 classes holding 4 records below threshold",
                runner.getProvenanceEvents().getFirst().getDetails());
    }

    @Test
    void suppressSplitsOffSmallClasses() throws Exception {
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "3");
        runner.setProperty(AssessDisclosureRisk.RISK_ACTION, AssessDisclosureRisk.RiskAction.SUPPRESS);
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();

        final MockFlowFile kept = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_ACCEPTABLE).getFirst();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), ids(kept));
        kept.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "6");
        kept.assertAttributeEquals(PublicDataAttributes.RISK_K, "1");
        final MockFlowFile suppressed = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_RISKY).getFirst();
        assertEquals(List.of(7), ids(suppressed));
        final ProvenanceEventRecord fork = runner.getProvenanceEvents().stream()
                .filter(event -> event.getEventType() == ProvenanceEventType.FORK && event.getDetails() != null).findFirst().orElseThrow();
        assertEquals("k-anonymity 1 (minimum 3) over 7 records in 3 classes; 1 class holding 1 record below threshold; those records suppressed to 'risky'",
                fork.getDetails());
        assertEquals(2, fork.getChildUuids().size());
    }

    @Test
    void suppressPassesAnAcceptableFlowFileUnchanged() {
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        runner.setProperty(AssessDisclosureRisk.RISK_ACTION, AssessDisclosureRisk.RiskAction.SUPPRESS);
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_ACCEPTABLE, 1);
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_ACCEPTABLE).getFirst().assertContentEquals(resource(getClass(), "residents.json"));
    }

    @Test
    void csv() throws Exception {
        runner = TestRunners.newTestRunner(AssessDisclosureRisk.class);
        RecordTestSupport.useCsv(runner);
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district, /gender");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "2");
        runner.setProperty(AssessDisclosureRisk.RISK_ACTION, AssessDisclosureRisk.RiskAction.SUPPRESS);
        runner.enqueue("id,district,gender\n1,朝阳区,男\n2,朝阳区,男\n3,海淀区,女\n");
        runner.run();
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_ACCEPTABLE).getFirst().assertContentEquals("id,district,gender\n1,朝阳区,男\n2,朝阳区,男\n");
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_RISKY).getFirst().assertContentEquals("id,district,gender\n3,海淀区,女\n");
    }

    @Test
    void tooManyClassesGoesToFailureUnchanged() {
        runner.setProperty(AssessDisclosureRisk.MAXIMUM_CLASSES, "2");
        runner.enqueue(resource(getClass(), "residents.json"));
        runner.run();
        final MockFlowFile failed = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_FAILURE).getFirst();
        failed.assertContentEquals(resource(getClass(), "residents.json"));
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).startsWith("More than 2 equivalence classes"));
    }

    @Test
    void nonScalarQuasiIdentifierGoesToFailure() {
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/address");
        runner.enqueue("[{\"address\": {\"city\": \"北京\"}}]");
        runner.run();
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_FAILURE).getFirst().assertAttributeEquals(
                PublicDataAttributes.RECORD_ERROR_MESSAGE, "Field /address is not a single value; quasi-identifiers must be scalars");
    }

    @Test
    void malformedInputGoesToFailure() {
        runner.setProperty(AssessDisclosureRisk.RISK_ACTION, AssessDisclosureRisk.RiskAction.SUPPRESS);
        runner.enqueue("[{\"district\": \"朝阳区\"}, {");
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_FAILURE, 1);
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_FAILURE).getFirst().assertContentEquals("[{\"district\": \"朝阳区\"}, {");
    }

    @Test
    void quasiIdentifiersMustBePlainPaths() {
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district, /**/gender");
        runner.assertNotValid();
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "district");
        runner.assertNotValid();
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/applicant/city, /gender");
        runner.assertValid();
    }

    private static List<Integer> ids(final MockFlowFile flowFile) throws Exception {
        final List<Integer> ids = new ArrayList<>();
        for (final JsonNode record : MAPPER.readTree(flowFile.getContent())) {
            ids.add(record.get("id").asInt());
        }
        return ids;
    }
}
