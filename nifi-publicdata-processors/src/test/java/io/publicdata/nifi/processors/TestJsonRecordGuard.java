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

    @Test
    void agreesWithJacksonOnEveryGeneratedDocument() throws IOException {
        // The guard follows JSON's structure byte by byte; on well-formed JSON it must see exactly what Jackson's parser
        // sees: a value that is no object where a record should be, or none. Strings full of brackets, quotes, escapes
        // and Chinese characters, nested records and arrays, top-level arrays in arrays, several root values
        final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20261126L);
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            final StringBuilder document = new StringBuilder();
            final int roots = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1;
            for (int r = 0; r < roots; r++) {
                document.append(random.nextInt(3) == 0 && roots == 1 ? object(random, 0) : recordLevelArray(random, 0)).append(random.nextBoolean() ? "\n" : " ");
            }
            final String content = document.toString();
            boolean expected = false;
            try (com.fasterxml.jackson.core.JsonParser parser = mapper.getFactory().createParser(content)) {
                while (parser.nextToken() != null) {
                    expected |= holdsNoRecord(mapper.readTree(parser));
                }
            }
            final int chunk = new int[] {0, 1, 7, 8192}[random.nextInt(4)];
            boolean found = false;
            try {
                assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), readAll(content, chunk));
            } catch (final JsonRecordGuard.NotARecord e) {
                found = true;
            }
            assertEquals(expected, found, content);
            refused += found ? 1 : 0;
        }
        assertTrue(refused > 500 && refused < 4_500, "refused " + refused);
    }

    /** Whether a root value holds, where a record should be, a value that is no object (top-level arrays are looked through). */
    private static boolean holdsNoRecord(final com.fasterxml.jackson.databind.JsonNode value) {
        if (value.isArray()) {
            for (final com.fasterxml.jackson.databind.JsonNode element : value) {
                if (holdsNoRecord(element)) {
                    return true;
                }
            }
            return false;
        }
        return !value.isObject();
    }

    private static String recordLevelArray(final java.util.SplittableRandom random, final int depth) {
        final StringBuilder array = new StringBuilder("[");
        final int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            array.append(i == 0 ? "" : random.nextBoolean() ? "," : " ,\n ");
            final int kind = random.nextInt(15);
            array.append(kind == 0 ? scalar(random) : kind == 1 && depth < 2 ? recordLevelArray(random, depth + 1) : object(random, 0));
        }
        return array.append(']').toString();
    }

    private static String object(final java.util.SplittableRandom random, final int depth) {
        final StringBuilder object = new StringBuilder("{");
        final int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            object.append(i == 0 ? "" : ",").append(string(random)).append(random.nextBoolean() ? ":" : " : ").append(value(random, depth + 1));
        }
        return object.append('}').toString();
    }

    private static String value(final java.util.SplittableRandom random, final int depth) {
        final int kind = random.nextInt(depth > 3 ? 1 : 4);
        if (kind == 1) {
            return object(random, depth);
        }
        if (kind == 2) {
            final StringBuilder array = new StringBuilder("[");
            for (int i = random.nextInt(3); i > 0; i--) {
                array.append(value(random, depth + 1)).append(i > 1 ? "," : "");
            }
            return array.append(']').toString();
        }
        return scalar(random);
    }

    private static String scalar(final java.util.SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "false";
            case 3 -> "-" + random.nextInt(1000) + ".5e3";
            case 4 -> Integer.toString(random.nextInt(100_000));
            default -> string(random);
        };
    }

    private static String string(final java.util.SplittableRandom random) {
        final String[] pieces = {"a", "{", "}", "[", "]", "\\\"", "\\\\", "\\n", "\\u007b", ",", ":", "张三", "138 0013 8000", "null", " "};
        final StringBuilder text = new StringBuilder("\"");
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.append('"').toString();
    }
}
