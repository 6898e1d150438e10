package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The grant's field scope, for every input: records whose fields are named like the permitted ones but are not
 * (another case, a Cyrillic look-alike, a trailing space, an escaped slash, a glob character, the empty name), nest
 * them in records and arrays, give one field a record in one record and a text or an array in another, or hold a field
 * in only some records, go through ClassifyRecord and EnforceGrantScope (Fields Outside Grant: REMOVE) with NiFi's JSON
 * and CSV readers and writers; every field that reaches {@code authorized} is permitted, and no planted value of a field
 * outside the grant is in it. Fixed seeds: a failure reproduces.
 */
class PermittedFieldsProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GRANTEE = "91110105MA01ABCD1X";
    private static final String PERMITTED = "/id, /name, /contact/phone, /items/*/sku";
    /** Permitted paths as segments; {@code *} stands for any one name. */
    private static final List<List<String>> PATTERNS = List.of(List.of("id"), List.of("name"), List.of("contact", "phone"), List.of("items", "*", "sku"));
    /** Names that are permitted somewhere, and names that only look like them. */
    private static final List<String> NAMES = List.of("id", "name", "contact", "phone", "items", "sku",
            "Name", "NAME", "n\u0430me", "name ", " name", "nam", "contact/phone", "contact\\/phone", "*", "**", "", "ph\u200bone",
            "\uff4eame", "Phone", "secret", "_grade ", "id\u0000");
    /** A value of a field the grant does not permit: it must never reach authorized. */
    private static final String OUTSIDE = "13912345678";

    private static TestRunner classifyJson;
    private static TestRunner classifyCsv;

    @BeforeAll
    static void runners() throws InitializationException {
        classifyJson = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(classifyJson);
        classifyCsv = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useCsv(classifyCsv);
    }

    private static TestRunner enforce(final boolean csv) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(new EnforceGrantScope(Clock.fixed(Instant.parse("2025-06-01T01:30:00Z"), ZoneOffset.UTC)));
        if (csv) {
            RecordTestSupport.useCsv(runner);
        } else {
            RecordTestSupport.useJson(runner);
        }
        RecordTestSupport.grantInProperties(runner, GRANTEE, PERMITTED);
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        return runner;
    }

    /** Whether the grant permits the field at this path and everything below it. */
    private static boolean permitted(final List<String> path) {
        return PATTERNS.stream().anyMatch(pattern -> pattern.size() <= path.size() && matches(pattern, path.subList(0, pattern.size())));
    }

    /** Whether the grant permits something below this path (a record kept to hold permitted fields). */
    private static boolean holdsPermitted(final List<String> path) {
        return PATTERNS.stream().anyMatch(pattern -> pattern.size() > path.size() && matches(pattern.subList(0, path.size()), path));
    }

    private static boolean matches(final List<String> pattern, final List<String> path) {
        for (int i = 0; i < pattern.size(); i++) {
            if (!pattern.get(i).equals("*") && !pattern.get(i).equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- generated records -----------------------------------------------------------------------------------------

    /** Three records built from one number: names from NAMES, values texts, numbers, records, arrays or null. */
    static String jsonRecords(final long seed) {
        final Random random = new Random(seed);
        final ArrayNode records = MAPPER.createArrayNode();
        for (int r = 0; r < 3; r++) {
            final ObjectNode record = records.addObject();
            record.put("id", r + 1);
            fill(record, random, List.of(), 0);
        }
        return records.toString();
    }

    private static void fill(final ObjectNode record, final Random random, final List<String> path, final int depth) {
        final int fields = 1 + random.nextInt(depth == 0 ? 5 : 3);
        for (int f = 0; f < fields; f++) {
            final String name = NAMES.get(random.nextInt(NAMES.size()));
            final List<String> at = new ArrayList<>(path);
            at.add(name);
            switch (depth >= 3 ? random.nextInt(3) : random.nextInt(6)) {
                case 0 -> record.put(name, text(at));
                case 1 -> record.put(name, random.nextInt(1000));
                case 2 -> record.putNull(name);
                case 3 -> fill(record.putObject(name), random, at, depth + 1);
                case 4 -> {
                    final ArrayNode array = record.putArray(name);
                    for (int i = 0; i < 1 + random.nextInt(2); i++) {
                        if (random.nextBoolean()) {
                            fill(array.addObject(), random, at, depth + 1);
                        } else {
                            array.add(text(at));
                        }
                    }
                }
                default -> {
                    // A record of records, as a map keyed by names reads when its schema is inferred
                    final String key = NAMES.get(random.nextInt(NAMES.size()));
                    final List<String> entry = new ArrayList<>(path);
                    entry.add("items");
                    entry.add(key);
                    fill(record.putObject("items").putObject(key), random, entry, depth + 2);
                }
            }
        }
    }

    /** A permitted field's value is a plain text; any other field holds the planted outside value. */
    private static String text(final List<String> path) {
        return permitted(path) ? "permitted" : OUTSIDE;
    }

    /** A CSV whose header takes names from NAMES (each once): only id and name are permitted at the top. */
    static String csvRecords(final long seed) {
        final Random random = new Random(seed);
        final List<String> header = new ArrayList<>(List.of("id"));
        for (final String name : NAMES) {
            // CSVReader trims header names, so a name with spaces around would repeat another
            if (random.nextInt(3) == 0 && !name.equals("id") && !name.isEmpty() && !name.contains("\u0000") && name.equals(name.strip())) {
                header.add(name);
            }
        }
        final StringBuilder csv = new StringBuilder(String.join(",", header.stream().map(PermittedFieldsProperties::quote).toList())).append('\n');
        for (int r = 0; r < 3; r++) {
            final List<String> row = new ArrayList<>();
            for (final String name : header) {
                row.add(name.equals("id") ? String.valueOf(r + 1) : quote(text(List.of(name))));
            }
            csv.append(String.join(",", row)).append('\n');
        }
        return csv.toString();
    }

    private static String quote(final String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    // ---- the property ----------------------------------------------------------------------------------------------

    /** Runs the records through ClassifyRecord and EnforceGrantScope; the authorized content, or null when none. */
    private static String authorized(final TestRunner classify, final boolean csv, final String input) throws InitializationException {
        classify.clearTransferState();
        classify.enqueue(input, Map.of(PublicDataAttributes.DATASET, "GOV-CIVIL-001"));
        classify.run();
        if (classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).isEmpty()) {
            // Failed whole (e.g. a field named like a mask, "*", inferred beside records): nothing of it leaves
            return null;
        }
        final MockFlowFile graded = classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
        final TestRunner enforce = enforce(csv);
        final Map<String, String> attributes = new HashMap<>(graded.getAttributes());
        attributes.put(PublicDataAttributes.USE_GRANTEE, GRANTEE);
        attributes.put(PublicDataAttributes.USE_DOMAIN, "民政");
        attributes.put(PublicDataAttributes.USE_PURPOSE, "救助审核");
        enforce.enqueue(graded.getContent(), attributes);
        enforce.run();
        final List<MockFlowFile> authorized = enforce.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED);
        // Whatever does not reach authorized is denied or failed whole: nothing of it leaves
        return authorized.isEmpty() ? null : authorized.getFirst().getContent();
    }

    /** Every field of the authorized records is permitted, or a record or array kept to hold permitted fields. */
    private static void assertOnlyPermitted(final JsonNode node, final List<String> path, final String output) {
        if (node.isArray()) {
            node.forEach(element -> assertOnlyPermitted(element, path, output));
            return;
        }
        if (!node.isObject()) {
            assertTrue(path.isEmpty() || node.isNull() || permitted(path), () -> "/" + String.join("/", path) + " reached authorized: " + output);
            return;
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final List<String> at = new ArrayList<>(path);
            at.add(field.getKey());
            if (path.isEmpty() && field.getKey().equals("_grade")) {
                continue;
            }
            final JsonNode value = field.getValue();
            if (permitted(at)) {
                continue;
            }
            assertTrue(holdsPermitted(at) && (value.isObject() || value.isArray() || value.isNull()),
                    () -> "/" + String.join("/", at) + " reached authorized: " + output);
            assertOnlyPermitted(value, at, output);
        }
    }

    @Test
    void noFieldOutsideTheGrantReachesAuthorizedFromJson() {
        final int[] reached = {0};
        final int[] tries = {0};
        qt().withFixedSeed(20261126L).withExamples(150).forAll(longs().all()).checkAssert(seed -> {
            tries[0]++;
            final String input = jsonRecords(seed);
            final String output = uncheck(() -> authorized(classifyJson, false, input));
            if (output != null) {
                reached[0]++;
                assertFalse(output.contains(OUTSIDE), () -> "a value outside the grant reached authorized: " + input + " -> " + output);
                assertOnlyPermitted(uncheck(() -> MAPPER.readTree(output)), List.of(), output);
            }
        });
        assertTrue(reached[0] >= 75, () -> "only " + reached[0] + " of 150 FlowFiles reached authorized: the property would hold vacuously");
    }

    @Test
    void noFieldOutsideTheGrantReachesAuthorizedFromCsv() {
        qt().withFixedSeed(20261127L).withExamples(100).forAll(longs().all()).checkAssert(seed -> {
            final String input = csvRecords(seed);
            final String output = uncheck(() -> authorized(classifyCsv, true, input));
            assertTrue(output != null, () -> "nothing reached authorized: " + input);
            assertFalse(output.contains(OUTSIDE), () -> "a value outside the grant reached authorized: " + input + " -> " + output);
            final String header = output.substring(0, output.indexOf('\n'));
            for (final String name : header.split(",", -1)) {
                final String unquoted = name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
                assertTrue(unquoted.equals("_grade") || permitted(List.of(unquoted)), () -> "column '" + unquoted + "' reached authorized: " + output);
            }
        });
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T uncheck(final Call<T> call) {
        try {
            return call.call();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
