package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockComponentLog;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.publicdata.nifi.processors.RecordTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestProtectRecord {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AES_K1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String AES_K2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
    private static final String SM4_K1 = "0123456789abcdeffedcba9876543210";
    private static final String SM4_K2 = "fedcba98765432100123456789abcdef";
    /** The key pseudonyms are derived from: not an encryption key, and not given to DecryptRecord. */
    private static final String PSEUDONYM_KEY = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    /** Every sensitive value of the applicants fixture. */
    private static final List<String> SECRETS = List.of("11010519491231002X", "440524188001010014", "13800138000", "18612345678",
            "139 1234 5678", "186 1234 5678", "6226090000000048", "张三", "李四");
    private static final String KEY_METHODS = "{\"/idCard\": \"FPE\", \"/phone\": \"ENCRYPT\", \"PERSON_NAME\": \"PSEUDONYMIZE\"}";

    private TestRunner runner;

    @BeforeEach
    void setUp() throws InitializationException {
        runner = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useJson(runner);
    }

    private static String applicants() {
        return resource(TestClassifyRecord.class, "applicants.json");
    }

    /** The applicants, classified by ClassifyRecord: content and attributes as they reach ProtectRecord. */
    private static MockFlowFile classified(final String content) throws InitializationException {
        final TestRunner classify = TestRunners.newTestRunner(ClassifyRecord.class);
        RecordTestSupport.useJson(classify);
        classify.setProperty(ClassifyRecord.DATASET, "applicants-2025");
        classify.enqueue(content);
        classify.run();
        return classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS).getFirst();
    }

    private MockFlowFile protect(final MockFlowFile input) {
        runner.enqueue(input.getContent(), input.getAttributes());
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
    }

    @Test
    void defaultsMaskWhatItClassifiesItself() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        runner.enqueue(applicants());
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        final MockFlowFile out = runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
        final JsonNode records = MAPPER.readTree(out.getContent());
        final JsonNode first = records.get(0);
        assertEquals("110105********002X", first.get("idCard").asText());
        assertEquals("138****8000", first.get("phone").asText());
        assertEquals("张*", first.get("name").asText());
        assertEquals("请拨打***********78联系", first.get("remark").asText(),
                "the remark is a MOBILE field: its convention (3 + 4 kept) over the whole text, and the phone inside masked too");
        assertEquals("+86**********5678", first.get("contacts").get(0).get("mobile").asText());
        assertEquals("卡号6226********0048", records.get(1).get("note").asText(), "BANK_CARD convention (6 + 4) over the whole note");
        assertEquals("材料齐全", records.get(1).get("remark").asText(), "L2 text stays in clear");
        assertTrue(first.get("amount").isNumber(), "numbers that need no protection stay numbers");
        assertTrue(first.get("id").isIntegralNumber());
        assertEquals("914403001922038216", first.get("employer").get("uscc").asText(), "an enterprise's credit code is L2 by default");

        final Map<String, Object> methods = MAPPER.convertValue(MAPPER.readTree(out.getAttribute(PublicDataAttributes.PROTECTED)), Map.class);
        assertEquals(Map.of("/idCard", "MASK", "/phone", "MASK", "/name", "MASK", "/remark", Map.of("method", "PARTIAL", "methods", List.of("MASK")),
                "/contacts/mobile", "MASK", "/note", "MASK"), methods, "one remark was masked, the others left in clear: no method holds for all");
        out.assertAttributeEquals(PublicDataAttributes.RECORD_COUNT, "3");
        final ProvenanceEventRecord event = runner.getProvenanceEvents().getFirst();
        assertEquals("Protected 9 values in 6 fields of 3 records: /contacts/mobile MASK, /idCard MASK, /name MASK, /note MASK, /phone MASK, "
                + "/remark MASK (some values in clear)",
                event.getDetails());
    }

    @Test
    void anArrayOfRecordsInferredAsAChoiceStaysAnArray() throws Exception {
        // An empty array, a null member and a key holding an ID: schema inference makes contacts a choice of arrays, and
        // the ID key renames a nested field. Once written as "[Ljava.lang.Object;@…" instead of the contacts.
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1, "p1", PSEUDONYM_KEY);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"PERSONAL_ID\": \"PSEUDONYMIZE\"}");
        final String content = """
            [{"name": "李四光", "contacts": [{"relation": "配偶", "phone": "13800138000", "ids": null},
                                          {"relation": "子女", "phone": null, "ids": {"370112201510093311": "学生"}}]},
             {"name": "周敏", "contacts": []},
             {"name": "吴海涛", "contacts": [{"relation": "母亲", "phone": "186 1234 5678"}]}]
            """;
        for (final String json : List.of(content, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(content)))) {
            runner.clearTransferState();
            final MockFlowFile out = protect(classified(json));
            final JsonNode records = MAPPER.readTree(out.getContent());
            assertTrue(records.get(0).get("contacts").isArray(), out.getContent());
            assertEquals("138****8000", records.get(0).get("contacts").get(0).get("phone").asText());
            final JsonNode ids = records.get(0).get("contacts").get(1).get("ids");
            assertEquals(1, ids.size(), out.getContent());
            assertTrue(ids.fieldNames().next().matches("[0-9a-f]{64}"), "the ID key is pseudonymised: " + ids);
            assertEquals(0, records.get(1).get("contacts").size());
            assertEquals("186******5678", records.get(2).get("contacts").get(0).get("phone").asText());
            assertFalse(out.getContent().contains("370112201510093311") || out.getContent().contains("Ljava.lang"), out.getContent());
        }
    }

    @Test
    void encryptAndFpeRoundTripThroughDecryptRecord() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1, "p1", PSEUDONYM_KEY);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, KEY_METHODS);
        final MockFlowFile out = protect(classified(applicants()));
        final JsonNode records = MAPPER.readTree(out.getContent());
        final String fpe = records.get(0).get("idCard").asText();
        assertTrue(fpe.matches("\\d{17}X") && !fpe.equals("11010519491231002X"), fpe);
        assertTrue(records.get(0).get("phone").asText().startsWith("pd2:A256GCM:k1:"));
        assertTrue(records.get(0).get("name").asText().matches("[0-9a-f]{64}"));
        assertEquals("Protected 10 values in 6 fields of 3 records: /contacts/mobile MASK, /idCard FPE, /name PSEUDONYMIZE, /note MASK, /phone ENCRYPT, "
                + "/remark MASK; key 'k1', A256GCM; pseudonym key 'p1', HMAC-SM3",
                runner.getProvenanceEvents().getFirst().getDetails());
        final JsonNode methods = MAPPER.readTree(out.getAttribute(PublicDataAttributes.PROTECTED));
        assertEquals("FPE", methods.get("/idCard").get("method").asText());
        assertEquals("k1", methods.get("/idCard").get("keyId").asText());
        assertEquals(2, methods.get("/idCard").get("version").asInt());
        assertEquals("ENCRYPT", methods.get("/phone").asText());
        assertEquals("PSEUDONYMIZE", methods.get("/name").asText());

        final MockFlowFile decrypted = decrypt(out, "AES_256_GCM", "k1", "k1", AES_K1);
        final JsonNode restored = MAPPER.readTree(decrypted.getContent());
        assertEquals("11010519491231002X", restored.get(0).get("idCard").asText());
        assertEquals("440524188001010014", restored.get(1).get("idCard").asText());
        assertEquals("13800138000", restored.get(0).get("phone").asText());
        assertEquals("18612345678", restored.get(1).get("phone").asText());
        assertEquals(records.get(0).get("name"), restored.get(0).get("name"), "pseudonyms cannot be reversed");
        assertFalse(MAPPER.readTree(decrypted.getAttribute(PublicDataAttributes.PROTECTED)).has("/phone"));
    }

    @Test
    void sm4CiphertextsDecryptAfterKeyRotation() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", SM4_K1, "p1", PSEUDONYM_KEY);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.ENCRYPTION_ALGORITHM, "SM4_GCM");
        runner.setProperty(ProtectRecord.FIELD_METHODS, KEY_METHODS);
        final MockFlowFile out = protect(classified(applicants()));
        assertTrue(MAPPER.readTree(out.getContent()).get(0).get("phone").asText().startsWith("pd2:SM4GCM:k1:"));

        // k2 is now active; k1 stays for what it protected
        final JsonNode restored = MAPPER.readTree(decrypt(out, "SM4_GCM", "k2", "k1", SM4_K1, "k2", SM4_K2).getContent());
        assertEquals("11010519491231002X", restored.get(0).get("idCard").asText());
        assertEquals("13800138000", restored.get(0).get("phone").asText());
    }

    @Test
    void tamperedMovedOrWronglyKeyedCiphertextsFailWholeWithTheFieldNamed() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\", \"/idCard\": \"ENCRYPT\"}");
        final MockFlowFile out = protect(classified(applicants()));
        final ObjectNode second = (ObjectNode) MAPPER.readTree(out.getContent()).get(1);
        final String phone = second.get("phone").asText();

        final char last = phone.charAt(phone.length() - 3);
        final String flipped = out.getContent().replace(phone, phone.substring(0, phone.length() - 3) + (last == 'A' ? 'B' : 'A') + phone.substring(phone.length() - 2));
        assertDecryptFails(flipped, out, "Field /phone (record 2): ciphertext does not authenticate", AES_K1);

        final String idCard = second.get("idCard").asText();
        final String moved = out.getContent().replace(idCard, "#").replace(phone, idCard).replace("#", phone);
        assertDecryptFails(moved, out, "Field /idCard (record 2): ciphertext does not authenticate", AES_K1);

        assertDecryptFails(out.getContent(), out, "key id 'k1' is not in the key provider", null);
        assertDecryptFails(out.getContent(), out, "Field /idCard (record 1): ciphertext does not authenticate", AES_K2);
    }

    private void assertDecryptFails(final String content, final MockFlowFile protectedFlowFile, final String reason, final String k1) throws Exception {
        final TestRunner decrypt = decryptRunner("AES_256_GCM", k1 == null ? "k9" : "k1", k1 == null ? new String[] {"k9", AES_K2} : new String[] {"k1", k1});
        decrypt.enqueue(content, protectedFlowFile.getAttributes());
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_FAILURE, 1);
        final MockFlowFile failed = decrypt.getFlowFilesForRelationship(DecryptRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(content);
        final String message = failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(message.contains(reason), message);
        assertTrue(SECRETS.stream().noneMatch(message::contains), message);
    }

    @Test
    void dropAndRedactByGradeWithFieldGrades() throws Exception {
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L3=REDACT");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/idCard\": \"DROP\", \"/amount\": {\"method\": \"GENERALIZE\", \"rangeWidth\": 1000}}");
        final JsonNode records = MAPPER.readTree(protect(classified(applicants())).getContent());
        assertFalse(records.get(0).has("idCard"), "DROP removes the field");
        assertTrue(records.get(0).get("phone").isNull());
        assertTrue(records.get(0).get("remark").isNull());
        assertEquals("[1000, 2000)", records.get(0).get("amount").asText());
        assertEquals("[0, 1000)", records.get(1).get("amount").asText());
        assertEquals("L3", records.get(0).get("_grade").asText(), "the grade field is not data");
        assertEquals("朝阳区", records.get(0).get("district").asText());
    }

    @Test
    void csvRecordsAreProtected() throws Exception {
        runner = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useCsv(runner);
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\"}");
        runner.enqueue(resource(TestClassifyRecord.class, "applicants.csv"), Map.of(PublicDataAttributes.DATASET, "applicants-2025"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        final String csv = runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst().getContent();
        assertTrue(csv.contains("2001,王*,110105********002X,pd2:A256GCM:k1:"), csv);
        assertTrue(csv.contains("2002,赵*,,,海淀区,邮******@example.com"), "an EMAIL field keeps its domain only: " + csv);
        assertTrue(SECRETS.stream().noneMatch(csv::contains), csv);

        final TestRunner decrypt = decryptRunner("AES_256_GCM", "k1", "k1", AES_K1);
        decrypt.removeControllerService(decrypt.getControllerService(RecordTestSupport.READER));
        decrypt.removeControllerService(decrypt.getControllerService(RecordTestSupport.WRITER));
        RecordTestSupport.useCsv(decrypt);
        decrypt.enqueue(csv, runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst().getAttributes());
        decrypt.run();
        final String restored = decrypt.getFlowFilesForRelationship(DecryptRecord.REL_SUCCESS).getFirst().getContent();
        assertTrue(restored.contains("2001,王*,110105********002X,13800138000,朝阳区,无"), restored);
    }

    @Test
    void noProtectedValueOrKeyInAttributesProvenanceOrLogs() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1, "p1", PSEUDONYM_KEY);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, KEY_METHODS);
        final MockFlowFile out = protect(classified(applicants()));
        final TestRunner decrypt = decryptRunner("AES_256_GCM", "k1", "k1", AES_K1);
        decrypt.enqueue(out.getContent().replace("pd2:A256GCM:k1:", "pd2:A256GCM:k1:A"), out.getAttributes());
        decrypt.run();
        final List<String> seen = new ArrayList<>();
        for (final TestRunner r : List.of(runner, decrypt)) {
            Stream.of(r.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS), r.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE))
                    .flatMap(List::stream).forEach(f -> seen.addAll(f.getAttributes().values()));
            r.getProvenanceEvents().forEach(e -> {
                seen.add(String.valueOf(e.getDetails()));
                seen.addAll(e.getAttributes().values());
            });
            Stream.of(r.getLogger(), r.getControllerServiceLogger("keys")).flatMap(TestProtectRecord::messages)
                    .forEach(m -> seen.add(m.getMsg() + " " + java.util.Arrays.toString(m.getArgs()) + " " + m.getThrowable()));
        }
        assertFalse(decrypt.getFlowFilesForRelationship(DecryptRecord.REL_FAILURE).isEmpty());
        assertTrue(seen.size() > 10);
        for (final String text : seen) {
            for (final String secret : Stream.concat(SECRETS.stream(), Stream.of(AES_K1, AES_K1.toUpperCase(), PSEUDONYM_KEY)).toList()) {
                assertFalse(text.contains(secret), "'" + secret + "' leaked into: " + text);
            }
        }
    }

    private static Stream<LogMessage> messages(final MockComponentLog log) {
        return Stream.of(log.getTraceMessages(), log.getDebugMessages(), log.getInfoMessages(), log.getWarnMessages(), log.getErrorMessages())
                .flatMap(List::stream);
    }

    @Test
    void concurrentTasksGiveTheSameOutputAsOne() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1, "p1", PSEUDONYM_KEY);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/idCard\": \"FPE\", \"PERSON_NAME\": \"PSEUDONYMIZE\"}");
        final MockFlowFile input = classified(applicants());
        final int flowFiles = 40;
        for (int i = 0; i < flowFiles; i++) {
            runner.enqueue(input.getContent(), input.getAttributes());
        }
        runner.setThreadCount(4);
        runner.run(flowFiles);
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, flowFiles);
        final String expected = runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst().getContent();
        runner.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).forEach(f -> f.assertContentEquals(expected));
        assertNotEquals(input.getContent(), expected);
    }

    @Test
    void fieldGradesOnlyRequiresThem() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        runner.setProperty(ProtectRecord.FIELD_GRADES_SOURCE, ProtectRecord.FieldGradesSource.ATTRIBUTE);
        runner.enqueue(applicants());
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(applicants());
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("no publicdata.fields attribute"));
    }

    @Test
    void invalidUtf8ThatCannotBeEncryptedAsItIsFailsTheFlowFileUnchanged() throws Exception {
        // JsonTreeReader reads F4 90 80 80 (beyond U+10FFFF) as an unpaired surrogate; encrypted as it is, the value would
        // come back from DecryptRecord as another one ('?' in its place)
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\"}");
        final java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        content.writeBytes("[{\"id\": 1, \"phone\": \"1380013".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        content.writeBytes(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        content.writeBytes("8000\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        runner.enqueue(content.toByteArray(), Map.of(PublicDataAttributes.DATASET, "applicants-2025"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(content.toByteArray());
        final String reason = failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(reason.contains("/phone") && reason.contains("not well-formed Unicode"), reason);
        assertFalse(reason.contains("1380013"), reason);
    }

    @Test
    void malformedRecordsGoToFailureUnchanged() throws Exception {
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, "k1", "k1", AES_K1);
        final String malformed = "[{\"idCard\": \"11010519491231002X\", \"phone\": ";
        runner.enqueue(malformed);
        runner.run();
        runner.assertAllFlowFilesTransferred(ProtectRecord.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(ProtectRecord.REL_FAILURE).getFirst();
        failed.assertContentEquals(malformed);
        assertTrue(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).length() > 10);
        assertFalse(failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("11010519491231002X"));

        final TestRunner decrypt = decryptRunner("AES_256_GCM", "k1", "k1", AES_K1);
        decrypt.enqueue(malformed, Map.of(PublicDataAttributes.PROTECTED, "{\"/idCard\": \"FPE\"}"));
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_FAILURE, 1);
        assertTrue(decrypt.getFlowFilesForRelationship(DecryptRecord.REL_FAILURE).getFirst().getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE)
                .contains("without its keyId"), "an FPE entry must name its key");
    }

    @Test
    void invalidConfigurationIsRefused() {
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/idCard\": \"SCRAMBLE\"}");
        runner.assertNotValid();
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/idCard\": {\"method\": \"MASK\", \"keepFirst\": -1}}");
        runner.assertNotValid();
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/idCard\": \"MASK\"}");
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L9=MASK");
        runner.assertNotValid();
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L3=MASK");
        runner.assertValid();
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L3=MASK, L4=ENCRYPT");
        runner.assertNotValid();
    }

    private MockFlowFile decrypt(final MockFlowFile protectedFlowFile, final String algorithm, final String active, final String... idsAndKeys)
            throws InitializationException {
        final TestRunner decrypt = decryptRunner(algorithm, active, idsAndKeys);
        decrypt.enqueue(protectedFlowFile.getContent(), protectedFlowFile.getAttributes());
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_SUCCESS, 1);
        return decrypt.getFlowFilesForRelationship(DecryptRecord.REL_SUCCESS).getFirst();
    }

    private static TestRunner decryptRunner(final String algorithm, final String active, final String... idsAndKeys) throws InitializationException {
        final TestRunner decrypt = TestRunners.newTestRunner(DecryptRecord.class);
        RecordTestSupport.useJson(decrypt);
        RecordTestSupport.useKeys(decrypt, ProtectRecord.KEY_PROVIDER, active, idsAndKeys);
        decrypt.setProperty(DecryptRecord.FPE_ALGORITHM, algorithm);
        return decrypt;
    }
}
