package io.publicdata.nifi.processors;

import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A quasi-identifier or sensitive field that names no field of the records must never make a set look safe: the
 * attack of the issue (three records, all different, so k=1; a misspelt path made them one class, reported
 * "acceptable k=3") and every single-character misspelling of the paths are refused, with JSON and CSV readers.
 */
class TestAssessDisclosureRiskFailsClosed {

    private static final String THREE_PEOPLE = "[{\"district\": \"朝阳区\", \"birthYear\": 1980, \"applicant\": {\"gender\": \"F\"}, \"diagnosis\": \"A\"},"
            + " {\"district\": \"海淀区\", \"birthYear\": 1981, \"applicant\": {\"gender\": \"M\"}, \"diagnosis\": \"B\"},"
            + " {\"district\": \"西城区\", \"birthYear\": 1982, \"applicant\": {\"gender\": \"F\"}, \"diagnosis\": \"C\"}]";

    private static TestRunner runner(final String quasiIdentifiers) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(AssessDisclosureRisk.class);
        RecordTestSupport.useJson(runner);
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, quasiIdentifiers);
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "3");
        return runner;
    }

    private static MockFlowFile failed(final TestRunner runner, final String content) {
        runner.enqueue(content);
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_FAILURE).getFirst();
        failed.assertContentEquals(content);
        failed.assertAttributeNotExists(PublicDataAttributes.RISK_K);
        return failed;
    }

    @Test
    void theMisspeltPathOfTheIssueIsAFailureNotAcceptableK3() throws Exception {
        final MockFlowFile failed = failed(runner("/distrct"), THREE_PEOPLE);
        assertEquals("Quasi-identifier /distrct names no field of record 1; a path that names nothing would put every record in one class, "
                + "so nothing is assessed (paths match field names exactly)", failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));
        // Spelt right, the same set is what it is: k=1, risky
        final TestRunner right = runner("/district");
        right.enqueue(THREE_PEOPLE);
        right.run();
        right.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_RISKY, 1);
        right.getFlowFilesForRelationship(AssessDisclosureRisk.REL_RISKY).getFirst().assertAttributeEquals(PublicDataAttributes.RISK_K, "1");
    }

    /** Every deletion, doubling, swap of neighbours and case change of one character of each path, nested ones too. */
    static Stream<String> misspellings() {
        final Set<String> paths = new LinkedHashSet<>();
        for (final String name : new String[] {"district", "birthYear"}) {
            for (int i = 0; i < name.length(); i++) {
                paths.add("/" + name.substring(0, i) + name.substring(i + 1));
                paths.add("/" + name.substring(0, i + 1) + name.charAt(i) + name.substring(i + 1));
                paths.add("/" + name.substring(0, i) + (Character.isUpperCase(name.charAt(i)) ? Character.toLowerCase(name.charAt(i))
                        : Character.toUpperCase(name.charAt(i))) + name.substring(i + 1));
                if (i + 1 < name.length() && name.charAt(i) != name.charAt(i + 1)) {
                    paths.add("/" + name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2));
                }
            }
        }
        paths.addAll(Set.of("/applicant/gendre", "/applicant/Gender", "/applicnt/gender", "/applicant", "/gender", "/district/name"));
        return paths.stream().map(path -> "/district, " + path);
    }

    @ParameterizedTest
    @MethodSource("misspellings")
    void everyMisspeltPathIsRefused(final String quasiIdentifiers) throws Exception {
        final TestRunner runner = runner(quasiIdentifiers);
        runner.enqueue(THREE_PEOPLE);
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_FAILURE, 1);
        final String reason = runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_FAILURE).getFirst()
                .getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        final String path = quasiIdentifiers.substring("/district, ".length());
        // /applicant names a field, but a record: not a single value either
        assertTrue(reason.startsWith("Quasi-identifier " + path + " names no field") || path.equals("/applicant") && reason.contains("not a single value"),
                reason);
    }

    @Test
    void nestedPathsThatExistAreAssessed() throws Exception {
        final TestRunner runner = runner("/district, /applicant/gender");
        runner.enqueue(THREE_PEOPLE);
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_RISKY, 1);
    }

    @Test
    void aMisspeltSensitiveFieldIsRefused() throws Exception {
        final TestRunner runner = runner("/district");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        runner.setProperty(AssessDisclosureRisk.SENSITIVE_FIELD, "/diagnosys");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_L, "1");
        final MockFlowFile failed = failed(runner, THREE_PEOPLE);
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).startsWith("Sensitive Field /diagnosys names no field of record 1"));
    }

    @Test
    void aMisspeltCsvColumnIsRefused() throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(AssessDisclosureRisk.class);
        RecordTestSupport.useCsv(runner);
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/District");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "3");
        failed(runner, "district,birthYear\n朝阳区,1980\n海淀区,1981\n西城区,1982\n");
    }

    @Test
    void aFieldPresentInSomeRecordsOnlyIsNoMisspelling() throws Exception {
        // The inferred schema has the field; the record without it is a class of its own (null), as it should be
        final TestRunner runner = runner("/district");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        runner.enqueue("[{\"district\": \"朝阳区\"}, {\"other\": 1}]");
        runner.run();
        runner.assertAllFlowFilesTransferred(AssessDisclosureRisk.REL_ACCEPTABLE, 1);
        runner.getFlowFilesForRelationship(AssessDisclosureRisk.REL_ACCEPTABLE).getFirst().assertAttributeEquals("publicdata.risk.classes", "2");
    }
}
