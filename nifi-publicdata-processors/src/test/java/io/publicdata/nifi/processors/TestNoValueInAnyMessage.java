package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockComponentLog;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives every failure path of every processor with values planted in the input, through NiFi's real JSON and CSV
 * readers and writers, and scans everything that leaves the processor: the attributes it wrote, its provenance
 * details and attributes, and its log lines at every level with their arguments and exceptions (what NiFi turns into
 * bulletins). No planted value may appear anywhere. The planted values are of two kinds: identifiers the detectors
 * know (a resident ID, a mobile), and opaque text no detector would recognise, so that the test proves the
 * sanitiser's first line (only our own messages pass) and not only its detector safety net.
 */
class TestNoValueInAnyMessage {

    private static final String ID = "11010519491231002X";
    private static final String MOBILE = "13800138000";
    private static final String NAME = "欧阳娜娜";
    /** Opaque: no detector recognises it. */
    private static final String TOKEN = "Qx7PLANTEDsecret";
    private static final String TOKEN_DIGITS = "Qx7-2048";
    private static final List<String> PLANTED = List.of(ID, MOBILE, NAME, TOKEN, TOKEN_DIGITS, "Qx7");
    private static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String PSEUDONYM_KEY = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    private static final String RECORD = "{\"id\": 1, \"idCard\": \"" + ID + "\", \"mobile\": \"" + MOBILE + "\", \"name\": \"" + NAME
            + "\", \"note\": \"" + TOKEN + "\"}";
    private static final Map<String, String> USE = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核",
            PublicDataAttributes.DATASET, "GOV-CIVIL-001");
    private static final String READER_SCHEMA = """
            {"type": "record", "name": "person", "fields": [
              {"name": "id", "type": ["null", "long"]}, {"name": "idCard", "type": ["null", "long"]},
              {"name": "mobile", "type": ["null", "string"]}, {"name": "name", "type": ["null", "string"]},
              {"name": "note", "type": ["null", "string"]}]}""";
    private static final String NARROW_READER_SCHEMA = """
            {"type": "record", "name": "person", "fields": [{"name": "id", "type": ["null", "long"]}]}""";
    /** A writer that cannot hold names or mobiles: writing one fails, and NiFi's message quotes the record. */
    private static final String NARROW_WRITER_SCHEMA = """
            {"type": "record", "name": "out", "fields": [
              {"name": "id", "type": ["null", "long"]}, {"name": "idCard", "type": ["null", "long"]},
              {"name": "mobile", "type": ["null", "long"]}, {"name": "name", "type": ["null", "long"]},
              {"name": "note", "type": ["null", "long"]}, {"name": "_grade", "type": ["null", "string"]}]}""";

    /** One failure path: a processor, its configuration, the input, and the relationship the input must end in. */
    record Case(String name, Supplier<TestRunner> runner, String content, Map<String, String> attributes, Relationship expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How a case reads and writes its records. */
    private enum Io { JSON, JSON_READER_SCHEMA, JSON_NARROW_READER, JSON_NARROW_WRITER, CSV_READER_SCHEMA }

    static Stream<Case> cases() {
        final List<Case> cases = new ArrayList<>();
        final Map<String, Relationship> failures = Map.of(
                "ClassifyRecord", ClassifyRecord.REL_FAILURE, "EnforceGrantScope", EnforceGrantScope.REL_FAILURE,
                "ProtectRecord", ProtectRecord.REL_FAILURE, "DecryptRecord", DecryptRecord.REL_FAILURE,
                "AssessDisclosureRisk", AssessDisclosureRisk.REL_FAILURE);
        for (final String processor : List.of("ClassifyRecord", "EnforceGrantScope", "ProtectRecord", "DecryptRecord", "AssessDisclosureRisk")) {
            final Relationship failure = failures.get(processor);
            cases.add(new Case(processor + ": an unquoted token in the JSON", () -> runner(processor, Io.JSON),
                    "[" + RECORD + ", {\"id\": 2, \"note\": " + TOKEN + "}]", USE, failure));
            cases.add(new Case(processor + ": JSON cut off after planted values", () -> runner(processor, Io.JSON),
                    "[" + RECORD.substring(0, RECORD.length() - 1) + ", \"x\": ", USE, failure));
            cases.add(new Case(processor + ": a value the reader's schema cannot convert", () -> runner(processor, Io.JSON_READER_SCHEMA),
                    "[{\"id\": 1, \"idCard\": \"" + ID + "\"}]", USE, failure));
            cases.add(new Case(processor + ": a CSV value the reader's schema cannot convert", () -> runner(processor, Io.CSV_READER_SCHEMA),
                    "id,idCard,mobile,name,note\n1," + TOKEN_DIGITS + "," + MOBILE + "," + NAME + "," + TOKEN + "\n", USE, failure));
            // EnforceGrantScope and AssessDisclosureRisk read with the reader's own rules (the member is left out)
            cases.add(new Case(processor + ": a member named by an identifier, outside the schema", () -> runner(processor, Io.JSON_NARROW_READER),
                    "[{\"id\": 1, \"" + ID + "\": \"" + TOKEN + "\"}]", USE, switch (processor) {
                        case "EnforceGrantScope" -> EnforceGrantScope.REL_UNAUTHORIZED;
                        case "AssessDisclosureRisk" -> AssessDisclosureRisk.REL_ACCEPTABLE;
                        default -> failure;
                    }));
        }
        for (final String processor : List.of("ClassifyRecord", "ProtectRecord", "DecryptRecord")) {
            cases.add(new Case(processor + ": a record the writer cannot write", () -> runner(processor, Io.JSON_NARROW_WRITER),
                    "[" + RECORD + "]", USE, failures.get(processor)));
        }
        cases.add(new Case("ProtectRecord: FPE of a value with too few digits", () -> {
            final TestRunner runner = runner("ProtectRecord", Io.JSON);
            runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/note\": \"FPE\"}");
            return runner;
        }, "[{\"note\": \"" + TOKEN_DIGITS + "\"}]", USE, ProtectRecord.REL_FAILURE));
        cases.add(new Case("ProtectRecord: ENCRYPT without a context", () -> {
            final TestRunner runner = runner("ProtectRecord", Io.JSON);
            runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/note\": \"ENCRYPT\"}");
            return runner;
        }, "[" + RECORD + "]", Map.of(), ProtectRecord.REL_FAILURE));
        cases.add(new Case("DecryptRecord: a tampered ciphertext next to planted values", () -> runner("DecryptRecord", Io.JSON),
                "[{\"name\": \"" + NAME + "\", \"note\": \"" + tamperedCiphertext() + "\"}]", USE, DecryptRecord.REL_FAILURE));
        cases.add(new Case("DecryptRecord: a decrypted value the writer cannot write", () -> runner("DecryptRecord", Io.JSON_NARROW_WRITER),
                "[{\"id\": 1, \"mobile\": \"" + encrypted("/mobile", "138-0013-8000") + "\"}]", USE, DecryptRecord.REL_FAILURE));
        cases.add(new Case("DecryptRecord: publicdata.protected that is no JSON", () -> runner("DecryptRecord", Io.JSON),
                "[" + RECORD + "]", with(USE, PublicDataAttributes.PROTECTED, "{\"/note\": " + TOKEN + "}"), DecryptRecord.REL_FAILURE));
        cases.add(new Case("EnforceGrantScope: a field outside the grant named by an identifier", () -> {
            final TestRunner runner = runner("EnforceGrantScope", Io.JSON);
            runner.setProperty(GrantProperties.PERMITTED_FIELDS, "/id");
            runner.setProperty(EnforceGrantScope.FIELDS_OUTSIDE_GRANT, FieldsOutsideGrant.DENY);
            return runner;
        }, "[{\"id\": 1, \"" + ID + "\": \"" + TOKEN + "\", \"" + MOBILE + "\": 1}]", USE, EnforceGrantScope.REL_UNAUTHORIZED));
        cases.add(new Case("EnforceGrantScope: records above the grant's grade", () -> {
            final TestRunner runner = runner("EnforceGrantScope", Io.JSON);
            runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L1");
            return runner;
        }, "[" + RECORD + "]", USE, EnforceGrantScope.REL_UNAUTHORIZED));
        cases.add(new Case("AssessDisclosureRisk: a quasi-identifier that is no single value", () -> {
            final TestRunner runner = runner("AssessDisclosureRisk", Io.JSON);
            runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/person");
            return runner;
        }, "[{\"person\": {\"idCard\": \"" + ID + "\", \"note\": \"" + TOKEN + "\"}}]", USE, AssessDisclosureRisk.REL_FAILURE));
        cases.add(new Case("AssessDisclosureRisk: a risky set whose classes are planted values", () -> {
            final TestRunner runner = runner("AssessDisclosureRisk", Io.JSON);
            runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/idCard, /note");
            runner.setProperty(AssessDisclosureRisk.MINIMUM_K, "2");
            return runner;
        }, "[" + RECORD + "]", USE, AssessDisclosureRisk.REL_RISKY));
        cases.add(new Case("EmitLineage: field grades that are no JSON", TestNoValueInAnyMessage::emitLineage,
                "[" + RECORD + "]", with(USE, PublicDataAttributes.FIELDS, "{\"/note\": " + TOKEN + "}"), EmitLineage.REL_FAILURE));
        cases.add(new Case("EmitLineage: a protected list that is no JSON", TestNoValueInAnyMessage::emitLineage,
                "[" + RECORD + "]", with(USE, PublicDataAttributes.PROTECTED, "[\"" + ID + "\", " + TOKEN + "]"), EmitLineage.REL_FAILURE));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noPlantedValueLeavesTheProcessor(final Case failurePath) {
        final TestRunner runner = failurePath.runner().get();
        runner.enqueue(failurePath.content(), failurePath.attributes());
        runner.run();
        final List<MockFlowFile> out = runner.getFlowFilesForRelationship(failurePath.expected());
        assertEquals(1, out.size(), "the input ends in " + failurePath.expected().getName() + ": " + everythingThatLeft(runner, failurePath));
        final String reason = out.getFirst().getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE) != null
                ? out.getFirst().getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE)
                : String.valueOf(out.getFirst().getAttribute(PublicDataAttributes.DENY_REASON)) + String.valueOf(out.getFirst().getAttribute(PublicDataAttributes.RISK_K));
        assertFalse(reason.isBlank(), "it says why");

        final List<String> left = everythingThatLeft(runner, failurePath);
        assertFalse(left.isEmpty());
        for (final String text : left) {
            for (final String planted : PLANTED) {
                if (text.contains(planted)) {
                    fail("'" + planted + "' left " + failurePath + " in: " + text);
                }
            }
        }
    }

    /** The attributes the processor wrote, its provenance, and every log line with its arguments and exception. */
    private static List<String> everythingThatLeft(final TestRunner runner, final Case failurePath) {
        final List<String> texts = new ArrayList<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                // What the input brought is not the processor's doing; everything it added or changed is
                flowFile.getAttributes().forEach((name, value) -> {
                    if (!value.equals(failurePath.attributes().get(name))) {
                        texts.add(name + "=" + value);
                    }
                });
            }
        }
        for (final ProvenanceEventRecord event : runner.getProvenanceEvents()) {
            texts.add("provenance " + event.getEventType() + ": " + event.getDetails());
            event.getUpdatedAttributes().forEach((name, value) -> {
                if (!value.equals(failurePath.attributes().get(name))) {
                    texts.add("provenance attribute " + name + "=" + value);
                }
            });
        }
        final MockComponentLog log = runner.getLogger();
        Stream.of(log.getTraceMessages(), log.getDebugMessages(), log.getInfoMessages(), log.getWarnMessages(), log.getErrorMessages())
                .flatMap(List::stream).forEach(message -> texts.add("log " + text(message)));
        return texts;
    }

    private static String text(final LogMessage message) {
        final StringBuilder text = new StringBuilder(String.valueOf(message.getMsg()));
        if (message.getArgs() != null) {
            for (final Object arg : message.getArgs()) {
                text.append(" | ").append(arg instanceof Throwable t ? stackTrace(t) : String.valueOf(arg));
            }
        }
        if (message.getThrowable() != null) {
            text.append(" | ").append(stackTrace(message.getThrowable()));
        }
        return text.toString();
    }

    private static String stackTrace(final Throwable throwable) {
        final StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static Map<String, String> with(final Map<String, String> attributes, final String name, final String value) {
        final Map<String, String> copy = new HashMap<>(attributes);
        copy.put(name, value);
        return copy;
    }

    private static TestRunner runner(final String processor, final Io io) {
        try {
            final TestRunner runner = switch (processor) {
                case "ClassifyRecord" -> TestRunners.newTestRunner(ClassifyRecord.class);
                case "EnforceGrantScope" -> grantRunner();
                case "ProtectRecord" -> keyed(TestRunners.newTestRunner(ProtectRecord.class), ProtectRecord.KEY_PROVIDER);
                case "DecryptRecord" -> keyed(TestRunners.newTestRunner(DecryptRecord.class), DecryptRecord.KEY_PROVIDER);
                case "AssessDisclosureRisk" -> {
                    final TestRunner risk = TestRunners.newTestRunner(AssessDisclosureRisk.class);
                    risk.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/id");
                    risk.setProperty(AssessDisclosureRisk.MINIMUM_K, "1");
                    yield risk;
                }
                default -> throw new IllegalArgumentException(processor);
            };
            readersAndWriters(runner, io);
            if (processor.equals("ProtectRecord")) {
                runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/mobile\": \"ENCRYPT\", \"/name\": \"PSEUDONYMIZE\"}");
                runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
            }
            return runner;
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestRunner grantRunner() {
        final TestRunner runner = TestRunners.newTestRunner(EnforceGrantScope.class);
        RecordTestSupport.grantInProperties(runner, USE.get(PublicDataAttributes.USE_GRANTEE), "/**");
        return runner;
    }

    private static TestRunner emitLineage() {
        final TestRunner runner = TestRunners.newTestRunner(EmitLineage.class);
        runner.setProperty(EmitLineage.CHAIN_ID, "node-1");
        runner.setProperty(EmitLineage.JOB_NAME, "policy-flow");
        return runner;
    }

    private static TestRunner keyed(final TestRunner runner, final org.apache.nifi.components.PropertyDescriptor property) throws InitializationException {
        RecordTestSupport.useKeys(runner, property, "k1", "k1", KEY, "p1", PSEUDONYM_KEY);
        return runner;
    }

    private static void readersAndWriters(final TestRunner runner, final Io io) throws InitializationException {
        final org.apache.nifi.controller.ControllerService reader = io == Io.CSV_READER_SCHEMA ? new CSVReader() : new JsonTreeReader();
        runner.addControllerService(RecordTestSupport.READER, reader);
        switch (io) {
            case JSON_READER_SCHEMA, CSV_READER_SCHEMA -> {
                runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
                runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, READER_SCHEMA);
            }
            case JSON_NARROW_READER -> {
                runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
                runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, NARROW_READER_SCHEMA);
            }
            default -> {
            }
        }
        runner.enableControllerService(reader);
        final org.apache.nifi.controller.ControllerService writer = io == Io.CSV_READER_SCHEMA ? new CSVRecordSetWriter() : new JsonRecordSetWriter();
        runner.addControllerService(RecordTestSupport.WRITER, writer);
        if (io == Io.JSON_NARROW_WRITER) {
            runner.setProperty(writer, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
            runner.setProperty(writer, SchemaAccessUtils.SCHEMA_TEXT, NARROW_WRITER_SCHEMA);
        }
        runner.enableControllerService(writer);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_READER, RecordTestSupport.READER);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_WRITER, RecordTestSupport.WRITER);
    }

    /** A ciphertext of /note, for this test's key and dataset, with one byte changed. */
    private static String tamperedCiphertext() {
        final String ciphertext = encrypted("/note", TOKEN);
        final char last = ciphertext.charAt(ciphertext.length() - 5);
        return ciphertext.substring(0, ciphertext.length() - 5) + (last == 'A' ? 'B' : 'A') + ciphertext.substring(ciphertext.length() - 4);
    }

    /** The value as ProtectRecord encrypts it in a field at this path of dataset GOV-CIVIL-001. */
    private static String encrypted(final String path, final String value) {
        final TestRunner protect = runner("ProtectRecord", Io.JSON);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"" + path + "\": \"ENCRYPT\"}");
        final String field = path.substring(1);
        protect.enqueue("[{\"" + field + "\": \"" + value + "\"}]", USE);
        protect.run();
        try {
            final String content = protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst().getContent();
            final String ciphertext = new ObjectMapper().readTree(content).get(0).get(field).asText();
            assertTrue(ciphertext.startsWith("pd2:"), ciphertext);
            return ciphertext;
        } catch (final java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
