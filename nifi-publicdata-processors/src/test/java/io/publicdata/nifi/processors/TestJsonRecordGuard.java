package io.publicdata.nifi.processors;

import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by BadInputLosesNothingProperties: NiFi's JSON readers skip a value where a record should be that is no object
 * and, with it, the record after it, then report the end of the records. {@code [{"id": 1, ...}, null, {"id": 3, ...}]}
 * went to success holding record 1 only: record 3 was silently lost. Each processor that reads records now fails such a
 * FlowFile, unchanged, saying where.
 */
class TestJsonRecordGuard {

    private static final String NULL_BETWEEN = "[{\"id\": 1, \"district\": \"朝阳区\", \"mobile\": \"13800138000\", \"_grade\": \"L2\"}, null,"
            + " {\"id\": 3, \"district\": \"朝阳区\", \"mobile\": \"13700137000\", \"_grade\": \"L2\"}]";
    private static final String TEXT_FIRST = "[\"13900139000\", {\"id\": 2, \"district\": \"朝阳区\", \"mobile\": \"13800138000\", \"_grade\": \"L2\"},"
            + " {\"id\": 3, \"district\": \"朝阳区\", \"_grade\": \"L2\"}]";

    private static TestRunner classify() throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(runner);
        return runner;
    }

    private static TestRunner enforce() throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(EnforceGrantScope.class);
        RecordTestSupport.useJson(runner);
        runner.setProperty(GrantProperties.GRANT_ID, "GR-2025-0001");
        runner.setProperty(GrantProperties.GRANTEE, "91110105MA01ABCD1X");
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "WHOLE");
        runner.setProperty(GrantProperties.PURPOSES, "救助审核");
        runner.setProperty(GrantProperties.DATASETS, "GOV-CIVIL-001");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/**");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L3");
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2099-01-01T00:00:00+08:00");
        return runner;
    }

    private static TestRunner assess() throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(AssessDisclosureRisk.class);
        RecordTestSupport.useJson(runner);
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district");
        runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
        return runner;
    }

    private static void failsUnchanged(final TestRunner runner, final Relationship failure, final String content, final String position) {
        runner.enqueue(content, Map.of(PublicDataAttributes.DATASET, "GOV-CIVIL-001", PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
                PublicDataAttributes.USE_PURPOSE, "救助审核"));
        runner.run();
        runner.assertAllFlowFilesTransferred(failure, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(failure).getFirst();
        failed.assertContentEquals(content);
        final String reason = failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(reason.contains("Value " + position + " of the JSON content is not an object"), reason);
        assertFalse(reason.contains("1390013") || reason.contains("1380013"), reason);
    }

    @Test
    void classifyRecordDoesNotPassOnRecordOneAlone() throws Exception {
        failsUnchanged(classify(), ClassifyRecord.REL_FAILURE, NULL_BETWEEN, "2");
        failsUnchanged(classify(), ClassifyRecord.REL_FAILURE, TEXT_FIRST, "1");
    }

    @Test
    void enforceGrantScopeDoesNotAuthorizeWhatIsLeft() throws Exception {
        failsUnchanged(enforce(), EnforceGrantScope.REL_FAILURE, NULL_BETWEEN, "2");
        failsUnchanged(enforce(), EnforceGrantScope.REL_FAILURE, TEXT_FIRST, "1");
    }

    @Test
    void assessDisclosureRiskDoesNotCountWhatIsLeft() throws Exception {
        failsUnchanged(assess(), AssessDisclosureRisk.REL_FAILURE, NULL_BETWEEN, "2");
        failsUnchanged(assess(), AssessDisclosureRisk.REL_FAILURE, TEXT_FIRST, "1");
    }

    /** All of it read through the guard, in chunks of the given size, or one byte at a time (0). */
    private static byte[] readAll(final String content, final int chunk) throws IOException {
        try (InputStream in = new JsonRecordGuard(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
            if (chunk == 0) {
                final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    out.write(b);
                }
                return out.toByteArray();
            }
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            final byte[] buffer = new byte[chunk];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 8192})
    void passesRecordsAndWhatIsNoJsonByteForByte(final int chunk) throws IOException {
        for (final String content : new String[] {
            "[{\"a\": \"[1, 2]\", \"b\": {\"c\": [null, 1, \"}\"]}}, {\"d\": []}]",
            "\ufeff {\"a\": 1}\n{\"b\": 2}\n",
            "[[{\"a\": 1}], [], [{\"b\": 2}]]",
            "[]",
            "id,name\n1,张三\n",
            "[x],y\n1,2\n",
            "[{\"a\": 1}, ",
            "42",
            ""}) {
            assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), readAll(content, chunk), content);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 8192})
    void stopsAtAValueThatIsNoRecord(final int chunk) {
        for (final String content : new String[] {"[{\"a\": 1}, null]", "[1, {\"a\": 1}]", "{\"a\": 1} \"x\"", "[[{\"a\": 1}, true]]",
            "[{\"a\": 1}, \"" + "x".repeat(20_000) + "\"]"}) {
            final IOException e = assertThrows(IOException.class, () -> readAll(content, chunk), content);
            assertEquals(JsonRecordGuard.NotARecord.class, e.getClass(), content);
        }
    }
}
