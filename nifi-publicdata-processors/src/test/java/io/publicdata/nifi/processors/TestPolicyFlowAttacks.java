package io.publicdata.nifi.processors;

import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the example policy flow's grading and protection (the classification rules and Field Methods it ships),
 * through ClassifyRecord and ProtectRecord with NiFi's JSON and CSV readers and writers: each plants identifiers where
 * an earlier version let them out in clear, and checks the output (content and attributes), normalised as an attacker
 * reads it, holds none of them.
 */
class TestPolicyFlowAttacks {

    /** The example flow's classification rules and Field Methods. */
    private static final String RULES = "{\"rules\": [{\"path\": \"/disability\", \"grade\": \"L4\", \"labels\": [\"HEALTH\"]},"
            + " {\"path\": \"/district\", \"grade\": \"L1\"}, {\"path\": \"/enterpriseName\", \"grade\": \"L1\"}]}";
    private static final String FLOW_METHODS = "{\"PERSONAL_ID\": \"PSEUDONYMIZE\", \"/mobile\": \"ENCRYPT\","
            + " \"/monthlyContributionBase\": {\"method\": \"GENERALIZE\", \"rangeWidth\": 1000}}";
    private static final Map<String, String> DATASET = Map.of(PublicDataAttributes.DATASET, "social-insurance");

    private static TestRunner classify(final boolean csv) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ClassifyRecord.class);
        use(runner, csv);
        runner.setProperty(ClassifyRecord.CLASSIFICATION_RULES, RULES);
        return runner;
    }

    private static TestRunner protect(final boolean csv, final String fieldMethods) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ProtectRecord.class);
        use(runner, csv);
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "operator-1", "operator-1", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "pseudonym-1", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "pseudonym-1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, fieldMethods);
        runner.setProperty(ProtectRecord.CLASSIFICATION_RULES, RULES);
        return runner;
    }

    private static void use(final TestRunner runner, final boolean csv) throws InitializationException {
        if (csv) {
            RecordTestSupport.useCsv(runner);
        } else {
            RecordTestSupport.useJson(runner);
        }
    }

    /** The FlowFile ClassifyRecord and then ProtectRecord make of the input. */
    private static MockFlowFile released(final boolean csv, final String fieldMethods, final String input) throws InitializationException {
        final TestRunner classify = classify(csv);
        classify.enqueue(input, DATASET);
        classify.run();
        classify.assertAllFlowFilesTransferred(ClassifyRecord.REL_SUCCESS, 1);
        final MockFlowFile graded = classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final TestRunner protect = protect(csv, fieldMethods);
        protect.enqueue(graded.getContent(), graded.getAttributes());
        protect.run();
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        return protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
    }

    /** Content and attributes as an attacker reads them: NFKC, digits of any script, no separators, lower case. */
    private static String seen(final MockFlowFile flowFile) {
        return NothingIdentifiableLeavesProperties.normalised(flowFile.getContent() + "\n" + String.join("\n", flowFile.getAttributes().values()));
    }

    private static void assertNoneLeaves(final MockFlowFile flowFile, final List<String> identifiers) {
        final String seen = seen(flowFile);
        for (final String identifier : identifiers) {
            assertFalse(seen.contains(identifier), () -> identifier + " left in clear: " + flowFile.getContent() + flowFile.getAttributes());
        }
    }

    /**
     * GENERALIZE turns a number into the range it falls in: a resident ID or mobile in a field meant for amounts (a CSV
     * column shifted by one, a form filled in wrongly) came out as {@code [110105199003071000, 110105199003072000)}, 15 of
     * its 18 digits, and an address with a phone before its divisions kept the phone.
     */
    @Test
    void generalizeLeavesNoIdentifierInItsRangeOrRegion() throws Exception {
        final MockFlowFile json = released(false, FLOW_METHODS, """
                [{"name": "张三", "monthlyContributionBase": 8500},
                 {"name": "李四", "monthlyContributionBase": "110105199003071239"},
                 {"name": "王五", "monthlyContributionBase": 13800138000}]""");
        assertTrue(json.getContent().contains("\"[8000, 9000)\""), json.getContent());
        assertNoneLeaves(json, List.of("110105199003071", "1380013"));

        final MockFlowFile csv = released(true, FLOW_METHODS, """
                name,idCard,monthlyContributionBase,remark
                张三,110105199003071239,8500,无
                李四,8600,370112201510093311,无
                """);
        assertTrue(csv.getContent().contains("\"[8000, 9000)\""), csv.getContent());
        assertNoneLeaves(csv, List.of("110105199003071", "370112201510093"));

        final MockFlowFile address = released(false, "{\"/address\": {\"method\": \"GENERALIZE\", \"addressLevels\": 2}}", """
                [{"address": "北京市朝阳区建国路1号"}, {"address": "张三 138 0013 8000 北京市海淀区中关村大街1号"}]""");
        assertTrue(address.getContent().contains("\"北京市朝阳区\""), address.getContent());
        assertNoneLeaves(address, List.of("13800138000"));
    }

    /**
     * A resident ID stored as a number by a spreadsheet (15 significant digits) or by JavaScript (17) loses its last digits
     * and its check character no longer holds: {@code 110105199003071230} still names the region, birth date and most of
     * the sequence, and left in clear as an ordinary number.
     */
    @Test
    void residentIdsThatWentThroughFloatingPointAreStillIds() throws Exception {
        final MockFlowFile json = released(false, FLOW_METHODS, """
                [{"remark": 1.10105199003071239E17}, {"remark": 110105199003071230}, {"remark": "440524188001010000"}, {"remark": 8500}]""");
        assertNoneLeaves(json, List.of("110105199003071", "440524188001010"));
        assertTrue(json.getAttribute(PublicDataAttributes.FIELDS).contains("PERSONAL_ID"), json.getAttribute(PublicDataAttributes.FIELDS));

        final MockFlowFile csv = released(true, FLOW_METHODS, """
                name,remark
                张三,1.10105199003071E+17
                李四,440524188001010000
                """);
        assertNoneLeaves(csv, List.of("110105199003071", "440524188001010"));
    }
}
