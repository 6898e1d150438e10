package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one path model and the one record walker seen from the processors: maps, keys, escaped names, and DecryptRecord
 * reversing exactly what ProtectRecord did.
 */
class TestRecordPaths {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    /** ENCRYPT binds each value to its dataset (the default Ciphertext Context). */
    private static final Map<String, String> DATASET = Map.of(PublicDataAttributes.DATASET, "record-paths");
    private static final String ID = "11010519491231002X";

    /** An explicit schema with maps: an inferred schema reads every JSON object as a record. */
    private static final String MAPS_SCHEMA = """
        {"type": "record", "name": "r", "fields": [
          {"name": "id", "type": ["null", "long"], "default": null},
          {"name": "phones", "type": ["null", {"type": "map", "values": ["null", "string"]}], "default": null},
          {"name": "byPerson", "type": ["null", {"type": "map", "values": {"type": "record", "name": "s", "fields": [
            {"name": "score", "type": ["null", "long"], "default": null}]}}], "default": null},
          {"name": "tags", "type": ["null", {"type": "array", "items": "string"}], "default": null},
          {"name": "_grade", "type": ["null", "string"], "default": null}
        ]}""";

    private static TestRunner runner(final Class<? extends AbstractRecordTransformProcessor> processor) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        RecordTestSupport.useJson(runner);
        return runner;
    }

    /** The processor with a JSON reader of {@link #MAPS_SCHEMA}, and a JSON writer. */
    private static TestRunner mapsRunner(final Class<? extends AbstractRecordTransformProcessor> processor) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService(RecordTestSupport.READER, reader);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, MAPS_SCHEMA);
        runner.enableControllerService(reader);
        final JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService(RecordTestSupport.WRITER, writer);
        runner.enableControllerService(writer);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_READER, RecordTestSupport.READER);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_WRITER, RecordTestSupport.WRITER);
        return runner;
    }

    private static void useKeys(final TestRunner runner) throws InitializationException {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", KEY);
    }

    private static MockFlowFile run(final TestRunner runner, final String content, final Map<String, String> attributes) {
        runner.enqueue(content, attributes);
        runner.run();
        runner.assertAllFlowFilesTransferred(AbstractRecordTransformProcessor.REL_SUCCESS, 1);
        final MockFlowFile out = runner.getFlowFilesForRelationship(AbstractRecordTransformProcessor.REL_SUCCESS).getFirst();
        runner.clearTransferState();
        return out;
    }

    private static MockFlowFile protect(final String fieldMethods, final String content) throws InitializationException {
        return protect(runner(ProtectRecord.class), fieldMethods, content);
    }

    private static MockFlowFile protect(final TestRunner protect, final String fieldMethods, final String content) throws InitializationException {
        useKeys(protect);
        if (fieldMethods != null) {
            protect.setProperty(ProtectRecord.FIELD_METHODS, fieldMethods);
        }
        return run(protect, content, DATASET);
    }

    private static TestRunner decryptRunner() throws InitializationException {
        return decryptRunner(runner(DecryptRecord.class));
    }

    private static TestRunner decryptRunner(final TestRunner decrypt) throws InitializationException {
        useKeys(decrypt);
        return decrypt;
    }

    private static JsonNode json(final MockFlowFile flowFile) throws Exception {
        return MAPPER.readTree(flowFile.getContent());
    }

    @Test
    void mapKeysAreClassifiedAndNamedAsTheMapsEntries() throws Exception {
        final TestRunner classify = mapsRunner(ClassifyRecord.class);
        final MockFlowFile graded = run(classify, "[{\"byPerson\": {\"" + ID + "\": {\"score\": 90}, \"other\": {\"score\": 70}}}]", Map.of());
        final JsonNode fields = MAPPER.readTree(graded.getAttribute(PublicDataAttributes.FIELDS));
        assertEquals("L3", fields.path("/byPerson/*").path("grade").asText(), fields.toString());
        assertEquals("PERSONAL_ID", fields.path("/byPerson/*").path("labels").path(0).asText());
        assertTrue(fields.has("/byPerson/*/score"));
        graded.getAttributes().values().forEach(value -> assertFalse(value.contains(ID), value));
        assertEquals("L3", graded.getAttribute(PublicDataAttributes.GRADE));

        // ProtectRecord with its defaults then protects the key where it stands
        final TestRunner protect = mapsRunner(ProtectRecord.class);
        useKeys(protect);
        final MockFlowFile out = run(protect, graded.getContent(), graded.getAttributes());
        assertFalse(out.getContent().contains(ID), out.getContent());
        assertFalse(out.getContent().contains("1949"), out.getContent());
        assertTrue(out.getContent().contains("\"other\""), "a key that holds nothing stays: " + out.getContent());
        assertEquals("{\"method\":\"PARTIAL\",\"methods\":[\"MASK\"]}", MAPPER.readTree(out.getAttribute(PublicDataAttributes.PROTECTED))
                .path("/byPerson/*").toString(), "one key masked, the other left in clear");
    }

    @Test
    void fieldNamesThatHoldIdentifiersAreKeysToo() throws Exception {
        // An inferred schema reads every JSON object as a record: the IDs below arrive as field names
        final String input = "[{\"byPerson\": {\"" + ID + "\": {\"score\": 90}, \"13800138000\": {\"score\": 80}, \"other\": {\"score\": 70}}}]";
        final MockFlowFile graded = run(runner(ClassifyRecord.class), input, Map.of());
        final JsonNode fields = MAPPER.readTree(graded.getAttribute(PublicDataAttributes.FIELDS));
        assertEquals(java.util.Set.of("/byPerson/*", "/byPerson/*/score", "/byPerson/other/score"), toSet(fields.fieldNames()), fields.toString());
        assertEquals("L3", fields.path("/byPerson/*").path("grade").asText());
        assertEquals("[\"MOBILE\",\"PERSONAL_ID\"]", fields.path("/byPerson/*").path("labels").toString());
        graded.getAttributes().values().forEach(value -> assertFalse(value.contains(ID) || value.contains("13800138000"), value));

        final TestRunner protect = runner(ProtectRecord.class);
        useKeys(protect);
        final MockFlowFile out = run(protect, graded.getContent(), graded.getAttributes());
        assertFalse(out.getContent().contains(ID), out.getContent());
        assertFalse(out.getContent().contains("13800138000"), out.getContent());
        final JsonNode byPerson = json(out).get(0).get("byPerson");
        assertEquals(java.util.Set.of("110105********002X", "138****8000", "other"), toSet(byPerson.fieldNames()), byPerson.toString());
        assertEquals(90, byPerson.get("110105********002X").get("score").asInt(), "the entry keeps its value");
        out.getAttributes().values().forEach(value -> assertFalse(value.contains(ID) || value.contains("13800138000"), value));

        // Encrypted names decrypt back
        final MockFlowFile encrypted = protect("{\"/byPerson/*\": \"ENCRYPT\"}", input);
        final JsonNode names = json(encrypted).get(0).get("byPerson");
        names.fieldNames().forEachRemaining(name -> assertTrue(name.startsWith("pd2:") || name.equals("other"), name));
        final MockFlowFile restored = run(decryptRunner(), encrypted.getContent(), encrypted.getAttributes());
        final JsonNode back = json(restored).get(0).get("byPerson");
        assertEquals(java.util.Set.of(ID, "13800138000", "other"), toSet(back.fieldNames()));
        assertEquals("{\"score\":90}", back.get(ID).asText(), "each entry's record was encrypted as one value");
    }

    private static java.util.Set<String> toSet(final java.util.Iterator<String> names) {
        final java.util.Set<String> set = new java.util.HashSet<>();
        names.forEachRemaining(set::add);
        return set;
    }

    @Test
    void decryptRecordDecryptsMapKeysAndValues() throws Exception {
        final String input = "[{\"id\":1,\"phones\":{\"home\":\"13800138000\",\"work\":\"13900139000\"},\"tags\":[\"a\",\"b\"],\"byPerson\":null}]";
        final MockFlowFile encrypted = protect(mapsRunner(ProtectRecord.class), "{\"/phones/*\": \"ENCRYPT\"}", input);
        final JsonNode phones = json(encrypted).get(0).get("phones");
        phones.fieldNames().forEachRemaining(key -> assertTrue(key.startsWith("pd2:"), "keys of the named entries are encrypted too: " + key));
        phones.forEach(value -> assertTrue(value.asText().startsWith("pd2:"), value.asText()));
        assertFalse(encrypted.getContent().contains("13800138000"));
        assertFalse(encrypted.getContent().contains("home"));

        final MockFlowFile restored = run(decryptRunner(mapsRunner(DecryptRecord.class)), encrypted.getContent(), encrypted.getAttributes());
        final JsonNode back = json(restored).get(0);
        assertEquals(MAPPER.readTree(input).get(0).get("phones"), back.get("phones"));
        assertEquals(MAPPER.readTree(input).get(0).get("tags"), back.get("tags"));
        assertEquals("{}", restored.getAttribute(PublicDataAttributes.PROTECTED), "nothing remains protected");
    }

    @Test
    void aFieldNamedWithASlashIsNotTheNestedField() throws Exception {
        final String input = "[{\"applicant/name\": \"张三丰\", \"applicant\": {\"name\": \"李四\"}}]";
        final MockFlowFile encrypted = protect("{\"/applicant/name\": \"ENCRYPT\", \"/applicant\\\\/name\": \"MASK\"}", input);
        final JsonNode record = json(encrypted).get(0);
        assertEquals("张*丰", record.get("applicant/name").asText(), "the flat field has its own method");
        assertTrue(record.get("applicant").get("name").asText().startsWith("pd2:"));
        final JsonNode protectedFields = MAPPER.readTree(encrypted.getAttribute(PublicDataAttributes.PROTECTED));
        assertEquals("ENCRYPT", protectedFields.path("/applicant/name").asText());
        assertEquals("MASK", protectedFields.path("/applicant\\/name").asText());

        // A ciphertext of the nested field moved into the flat one does not decrypt: the paths differ
        final ObjectNode moved = (ObjectNode) record.deepCopy();
        moved.put("applicant/name", record.get("applicant").get("name").asText());
        final TestRunner decrypt = decryptRunner();
        decrypt.enqueue("[" + moved + "]", encrypted.getAttributes());
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_FAILURE, 1);
        final String reason = decrypt.getFlowFilesForRelationship(DecryptRecord.REL_FAILURE).getFirst().getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(reason.startsWith("Field /applicant\\/name (record 1): ciphertext does not authenticate"), reason);
    }

    @Test
    void fpeIsReversedOnlyWhereItWasApplied() throws Exception {
        // Classified value by value: only the phone calls for FPE; it is encrypted instead, so DecryptRecord can tell it apart
        final TestRunner protect = runner(ProtectRecord.class);
        useKeys(protect);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"MOBILE\": \"FPE\", \"/idCard\": \"FPE\"}");
        protect.setProperty(ProtectRecord.FIELD_GRADES_SOURCE, ProtectRecord.FieldGradesSource.CLASSIFY);
        final String input = "[{\"contact\": \"13800138000\", \"idCard\": \"" + ID + "\"}, {\"contact\": \"123456789\", \"idCard\": null}]";
        final MockFlowFile out = run(protect, input, DATASET);
        final JsonNode records = json(out);
        assertTrue(records.get(0).get("contact").asText().startsWith("pd2:"), records.toString());
        assertEquals("123456789", records.get(1).get("contact").asText(), "a value that is no phone stays in clear");
        final String idFpe = records.get(0).get("idCard").asText();
        assertEquals(18, idFpe.length(), "FPE keeps the form where the whole field is FPE'd");
        assertNotEquals(ID, idFpe);
        final JsonNode protectedFields = MAPPER.readTree(out.getAttribute(PublicDataAttributes.PROTECTED));
        assertEquals("{\"method\":\"PARTIAL\",\"methods\":[\"ENCRYPT\"]}", protectedFields.path("/contact").toString(), protectedFields.toString());
        assertEquals("FPE", protectedFields.path("/idCard").path("method").asText());

        final MockFlowFile restored = run(decryptRunner(), out.getContent(), out.getAttributes());
        assertEquals(MAPPER.readTree(input), json(restored), "the clear 123456789 was not 'decrypted' into something else");
    }

    @Test
    void aClearValueThatMerelyStartsLikeACiphertextIsLeftAsItIs() throws Exception {
        final String input = "[{\"note\": \"pd1:hello\", \"other\": \"pd1:A256GCM:k1:not-base64!\", \"short\": \"pd1:A256GCM:k1:AAAA\", "
                + "\"unknown\": \"pd1:ROT13:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", \"note2\": \"pd2:hello\", "
                + "\"short2\": \"pd2:SM4GCM:k1:AAAA\"}]";
        final MockFlowFile out = run(decryptRunner(), input, new HashMap<>());
        assertEquals(MAPPER.readTree(input), json(out));

        // A value in the form of a ciphertext that does not authenticate still fails the whole FlowFile
        final MockFlowFile encrypted = protect("{\"/note\": \"ENCRYPT\"}", "[{\"note\": \"秘密\"}]");
        final String ciphertext = json(encrypted).get(0).get("note").asText();
        final String tampered = ciphertext.substring(0, ciphertext.length() - 2) + (ciphertext.endsWith("AA") ? "BB" : "AA");
        final TestRunner decrypt = decryptRunner();
        decrypt.enqueue("[{\"note\": \"" + tampered + "\"}]", DATASET);
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_FAILURE, 1);
    }

    @Test
    void aMethodNamedForARecordArrayOrMapAppliesToAllOfIt() throws Exception {
        final String input = "[{\"id\": 1, \"contact\": {\"phone\": \"13800138000\", \"employer\": \"某某科技有限公司\", \"since\": 2019},"
                + " \"tags\": [\"低保\", \"残疾\"], \"names\": [{\"name\": \"张三丰\"}]}]";
        // ENCRYPT a record: its JSON as one value, which DecryptRecord gives back as that JSON text
        final TestRunner pseudonymising = runner(ProtectRecord.class);
        RecordTestSupport.useKeys(pseudonymising, ProtectRecord.KEY_PROVIDER, "k1", "k1", KEY, "p1", "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");
        pseudonymising.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        pseudonymising.setProperty(ProtectRecord.FIELD_METHODS, "{\"/contact\": \"ENCRYPT\", \"/tags\": \"PSEUDONYMIZE\"}");
        final MockFlowFile encrypted = run(pseudonymising, input, DATASET);
        final JsonNode record = json(encrypted).get(0);
        assertTrue(record.get("contact").asText().startsWith("pd2:"), record.toString());
        assertTrue(record.get("tags").asText().matches("[0-9a-f]{64}"), "the array is one pseudonym: " + record);
        assertFalse(encrypted.getContent().contains("某某科技"));
        assertFalse(encrypted.getContent().contains("2019"));
        final JsonNode protectedFields = MAPPER.readTree(encrypted.getAttribute(PublicDataAttributes.PROTECTED));
        assertEquals("ENCRYPT", protectedFields.path("/contact").asText(), protectedFields.toString());
        final MockFlowFile decrypted = run(decryptRunner(), encrypted.getContent(), encrypted.getAttributes());
        assertEquals("{\"employer\":\"某某科技有限公司\",\"phone\":\"13800138000\",\"since\":2019}", json(decrypted).get(0).get("contact").asText());

        // MASK a record: every value inside it, each with its own convention; DROP: the whole subtree
        final MockFlowFile masked = protect("{\"/contact\": \"MASK\", \"/names\": \"DROP\"}", input);
        final JsonNode contact = json(masked).get(0).get("contact");
        assertEquals("138****8000", contact.get("phone").asText());
        assertEquals("[{\"id\":1,\"contact\":{\"phone\":\"138****8000\",\"employer\":\"某******司\",\"since\":\"2**9\"},\"tags\":[\"低保\",\"残疾\"]}]",
                masked.getContent(), "every value of the record masked with its convention (the number too); names dropped whole");
        assertFalse(contact.get("employer").asText().contains("科技"), contact.toString());
        assertFalse(contact.get("since").asText().contains("2019"), contact.toString());
        assertFalse(json(masked).get(0).has("names"), "DROP removes the subtree");
        final JsonNode maskedFields = MAPPER.readTree(masked.getAttribute(PublicDataAttributes.PROTECTED));
        assertEquals("MASK", maskedFields.path("/contact/employer").asText(), maskedFields.toString());
        assertEquals("DROP", maskedFields.path("/names").asText());
    }

    @Test
    void aMethodThatCannotProtectARecordFailsNamingThePath() throws Exception {
        final TestRunner protect = runner(ProtectRecord.class);
        useKeys(protect);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/contact\": \"FPE\"}");
        final String input = "[{\"contact\": {\"phone\": \"13800138000\"}}]";
        protect.enqueue(input);
        protect.run();
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_FAILURE, 1);
        final MockFlowFile failed = protect.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(input);
        assertEquals("Field Methods: FPE cannot protect /contact, which holds a record; use ENCRYPT, PSEUDONYMIZE, MASK, REDACT or DROP for it",
                failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));

        // A path written without its slash is not taken for a label that protects nothing
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"contact\": \"ENCRYPT\"}");
        protect.assertNotValid();
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/contact*\": \"ENCRYPT\"}");
        protect.assertNotValid();
    }
}
