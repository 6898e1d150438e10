package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.protect.Pseudonymizer;
import io.publicdata.nifi.services.StandardPublicDataKeyProvider;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks on keys and ciphertexts of issue "keys, ciphertexts and messages", each performed on the real
 * processors with NiFi's JSON reader and writer, and refused: one key for every purpose, a ciphertext moved to
 * another dataset or FlowFile, a value bound to nothing; and 0.1.0's pd1 values, which must still decrypt.
 */
class TestKeysAndCiphertexts {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String K1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String K2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
    private static final String P1 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    private static final String PEOPLE = "[{\"id\": 1, \"name\": \"张三\", \"phone\": \"13800138000\"},"
            + " {\"id\": 2, \"name\": \"李四\", \"phone\": \"18612345678\"}]";
    private static final String OTHER_PEOPLE = "[{\"id\": 7, \"name\": \"王五\", \"phone\": \"13911112222\"}]";
    private static final List<String> SECRETS = List.of("13800138000", "18612345678", "13911112222", "张三", "李四", "王五");
    private static final String METHODS = "{\"/phone\": \"ENCRYPT\", \"/name\": \"PSEUDONYMIZE\"}";

    private static TestRunner protectRunner(final String active, final String... idsAndKeys) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useJson(runner);
        RecordTestSupport.useKeys(runner, ProtectRecord.KEY_PROVIDER, active, idsAndKeys);
        runner.setProperty(ProtectRecord.FIELD_METHODS, METHODS);
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        return runner;
    }

    private static TestRunner decryptRunner(final String... idsAndKeys) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(DecryptRecord.class);
        RecordTestSupport.useJson(runner);
        RecordTestSupport.useKeys(runner, DecryptRecord.KEY_PROVIDER, idsAndKeys[0], idsAndKeys);
        return runner;
    }

    private static MockFlowFile run(final TestRunner runner, final String content, final Map<String, String> attributes,
                                    final org.apache.nifi.processor.Relationship expected) {
        runner.clearTransferState();
        runner.enqueue(content, attributes);
        runner.run();
        runner.assertAllFlowFilesTransferred(expected, 1);
        return runner.getFlowFilesForRelationship(expected).getFirst();
    }

    private static Map<String, String> dataset(final String id) {
        return Map.of(PublicDataAttributes.DATASET, id);
    }

    /** Fails the FlowFile, unchanged, with the field and record named and no value anywhere. */
    private static void assertRefused(final TestRunner decrypt, final String content, final Map<String, String> attributes, final String reason) {
        final MockFlowFile failed = run(decrypt, content, attributes, DecryptRecord.REL_FAILURE);
        failed.assertContentEquals(content);
        final String message = failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(message.contains(reason), message);
        SECRETS.forEach(secret -> assertFalse(message.contains(secret), message));
        decrypt.getLogger().getErrorMessages().forEach(log -> SECRETS.forEach(secret -> assertFalse(log.toString().contains(secret), log.toString())));
    }

    @Test
    void aCiphertextMovedIntoAnotherDatasetDoesNotDecrypt() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        final MockFlowFile mine = run(protect, PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final MockFlowFile theirs = run(protect, OTHER_PEOPLE, dataset("enterprise-registry"), ProtectRecord.REL_SUCCESS);
        final String stolen = MAPPER.readTree(mine.getContent()).get(0).get("phone").asText();
        final String target = MAPPER.readTree(theirs.getContent()).get(0).get("phone").asText();

        // The attacker holds DecryptRecord for enterprise-registry only, and pastes a social-insurance ciphertext in
        final TestRunner decrypt = decryptRunner("k1", K1);
        final String forged = theirs.getContent().replace(target, stolen);
        assertRefused(decrypt, forged, theirs.getAttributes(), "Field /phone (record 1): ciphertext does not authenticate");
        // The untouched FlowFiles decrypt, each in its own dataset
        assertEquals("13911112222", MAPPER.readTree(run(decrypt, theirs.getContent(), theirs.getAttributes(), DecryptRecord.REL_SUCCESS)
                .getContent()).get(0).get("phone").asText());
        assertEquals("13800138000", MAPPER.readTree(run(decrypt, mine.getContent(), mine.getAttributes(), DecryptRecord.REL_SUCCESS)
                .getContent()).get(0).get("phone").asText());
        // Relabelling the FlowFile as the other dataset does not help either: its own values then fail
        final Map<String, String> relabelled = new HashMap<>(theirs.getAttributes());
        relabelled.put(PublicDataAttributes.DATASET, "social-insurance");
        assertRefused(decrypt, theirs.getContent(), relabelled, "Field /phone (record 1): ciphertext does not authenticate");
    }

    @Test
    void aContextNamingTheBatchStopsMovesBetweenFlowFilesOfOneDataset() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        protect.setProperty(ProtectRecord.CIPHERTEXT_CONTEXT, "${publicdata.dataset}/${batch.id}");
        final MockFlowFile first = run(protect, PEOPLE, Map.of(PublicDataAttributes.DATASET, "social-insurance", "batch.id", "2025-06"),
                ProtectRecord.REL_SUCCESS);
        final MockFlowFile second = run(protect, OTHER_PEOPLE, Map.of(PublicDataAttributes.DATASET, "social-insurance", "batch.id", "2025-07"),
                ProtectRecord.REL_SUCCESS);
        final TestRunner decrypt = decryptRunner("k1", K1);
        decrypt.setProperty(DecryptRecord.CIPHERTEXT_CONTEXT, "${publicdata.dataset}/${batch.id}");
        final String stolen = MAPPER.readTree(first.getContent()).get(1).get("phone").asText();
        final String target = MAPPER.readTree(second.getContent()).get(0).get("phone").asText();
        assertRefused(decrypt, second.getContent().replace(target, stolen), second.getAttributes(),
                "Field /phone (record 1): ciphertext does not authenticate");
        run(decrypt, second.getContent(), second.getAttributes(), DecryptRecord.REL_SUCCESS);
    }

    @Test
    void aValueThatCouldBeBoundToNothingIsNotEncrypted() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        final MockFlowFile failed = run(protect, PEOPLE, Map.of(), ProtectRecord.REL_FAILURE);
        failed.assertContentEquals(PEOPLE);
        final String message = failed.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE);
        assertTrue(message.contains("Field /phone (record 1): the ciphertext context is empty"), message);
        // Methods that bind nothing need no context
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"MASK\", \"/name\": \"PSEUDONYMIZE\"}");
        run(protect, PEOPLE, Map.of(), ProtectRecord.REL_SUCCESS);
    }

    @Test
    void pseudonymsSurviveEncryptionKeyRotationAndCannotBeRecomputedWithTheDecryptionKey() throws Exception {
        final MockFlowFile before = run(protectRunner("k1", "k1", K1, "p1", P1), PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final MockFlowFile after = run(protectRunner("k2", "k1", K1, "k2", K2, "p1", P1), PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final JsonNode old = MAPPER.readTree(before.getContent()).get(0);
        final JsonNode rotated = MAPPER.readTree(after.getContent()).get(0);
        assertTrue(rotated.get("phone").asText().startsWith("pd2:A256GCM:k2:"), "new values use the new encryption key");
        assertEquals(old.get("name").asText(), rotated.get("name").asText(), "the pseudonym does not change with the encryption key");

        // Whoever holds the decryption key k1 tries to recompute the pseudonym of a guessed name: with k1 as it is
        // (what 0.1.0 did), and with k1 run through the pseudonym derivation. Neither gives the pseudonym.
        final String pseudonym = old.get("name").asText();
        assertNotEquals(hmacSm3(HexFormat.of().parseHex(K1), "张三"), pseudonym);
        assertNotEquals(Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "k1", HexFormat.of().parseHex(K1)).pseudonym("张三"), pseudonym);
        assertEquals(Pseudonymizer.derived(Pseudonymizer.Hash.HMAC_SM3, "p1", HexFormat.of().parseHex(P1)).pseudonym("张三"), pseudonym, "only the pseudonym key gives it");
    }

    @Test
    void thePseudonymKeyMustBeItsOwn() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        protect.removeProperty(ProtectRecord.PSEUDONYM_KEY_ID);
        protect.assertNotValid();
        protect.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "k1");
        protect.enqueue(PEOPLE, dataset("social-insurance"));
        final String sameKey = causes(assertThrows(AssertionError.class, () -> protect.run()));
        assertTrue(sameKey.contains("is the active encryption key"), sameKey);
        protect.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p9");
        final String noKey = causes(assertThrows(AssertionError.class, () -> protect.run()));
        assertTrue(noKey.contains("names no key"), noKey);
    }

    @Test
    void pd1ValuesOf010StillDecrypt() throws Exception {
        // Written by 0.1.0 under key k1 = K1: ENCRYPT of 13800138000 in /mobile, FPE of 11010519491231002X in /idCard
        final String content = "[{\"mobile\": \"pd1:A256GCM:k1:iULtw-CJgvR4vXGUfZZlkY8AnCiC_sBn5qN9YGYE4twj7r4CkIiF\", \"idCard\": \"55452262703268300X\"}]";
        final Map<String, String> attributes = Map.of(PublicDataAttributes.PROTECTED, "{\"/mobile\":\"ENCRYPT\",\"/idCard\":{\"method\":\"FPE\",\"keyId\":\"k1\"}}");
        final MockFlowFile out = run(decryptRunner("k1", K1), content, attributes, DecryptRecord.REL_SUCCESS);
        final JsonNode record = MAPPER.readTree(out.getContent()).get(0);
        assertEquals("13800138000", record.get("mobile").asText());
        assertEquals("11010519491231002X", record.get("idCard").asText());
        assertEquals("{}", out.getAttribute(PublicDataAttributes.PROTECTED));
    }

    /** The messages of a failure and its causes. */
    private static String causes(final Throwable failure) {
        final StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" / ");
        }
        return messages.toString();
    }

    private static String hmacSm3(final byte[] key, final String value) {
        final HMac mac = new HMac(new SM3Digest());
        mac.init(new KeyParameter(key));
        final byte[] input = value.getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        final byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void decryptRecordIsRestrictedAndSaysWhy() {
        final org.apache.nifi.annotation.behavior.Restricted restricted = DecryptRecord.class.getAnnotation(org.apache.nifi.annotation.behavior.Restricted.class);
        assertTrue(restricted != null && restricted.value().contains("restricted components"), "DecryptRecord needs the restricted-components permission");
        assertTrue(ProtectRecord.class.getAnnotation(org.apache.nifi.annotation.behavior.Restricted.class) == null, "protecting needs no such permission");
    }

    @Test
    void aDisabledKeyProviderKeepsNoKey() throws Exception {
        final TestRunner runner = decryptRunner("k1", K1, "k2", K2);
        final StandardPublicDataKeyProvider provider = (StandardPublicDataKeyProvider) runner.getControllerService("keys");
        final java.lang.reflect.Field field = StandardPublicDataKeyProvider.class.getDeclaredField("keyRing");
        field.setAccessible(true);
        final io.publicdata.nifi.protect.KeyRing ring = (io.publicdata.nifi.protect.KeyRing) field.get(provider);
        final byte[] k1 = ring.key("k1").orElseThrow();
        final byte[] k2 = ring.key("k2").orElseThrow();
        assertEquals(K1, HexFormat.of().formatHex(k1));
        runner.disableControllerService(provider);
        assertTrue(ring.isDestroyed());
        assertEquals("00".repeat(32), HexFormat.of().formatHex(k1));
        assertEquals("00".repeat(32), HexFormat.of().formatHex(k2));
        assertThrows(IllegalStateException.class, () -> provider.key("k1"), "a disabled provider gives no key, least of all one of zeros");
        assertThrows(IllegalStateException.class, () -> ring.key("k1"));
    }

    @Test
    void stoppedProcessorsKeepNoKey() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\", \"/id\": \"FPE\", \"/name\": \"PSEUDONYMIZE\"}");
        protect.enqueue("[{\"id\": 1234567, \"name\": \"张三\", \"phone\": \"13800138000\"}]", dataset("social-insurance"));
        protect.run(1, false, true);
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        final java.lang.reflect.Field settingsField = ProtectRecord.class.getDeclaredField("settings");
        settingsField.setAccessible(true);
        final ProtectRecord.Settings settings = (ProtectRecord.Settings) settingsField.get(protect.getProcessor());
        final List<byte[]> held = heldKeys(settings.protector().cipher());
        held.add(keyOf(settings.protector().fpe(), "key"));
        held.add(keyOf(settings.protector().pseudonymizer(), "macKey"));
        assertTrue(held.stream().allMatch(key -> !java.util.Arrays.equals(key, new byte[key.length])), "keys are there while it runs");

        protect.run(1, true, false);
        assertTrue(held.stream().allMatch(key -> java.util.Arrays.equals(key, new byte[key.length])), "and zeros once it stopped");
        assertEquals(null, settingsField.get(protect.getProcessor()));
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> heldKeys(final io.publicdata.nifi.protect.FieldCipher cipher) throws Exception {
        final java.lang.reflect.Field derived = io.publicdata.nifi.protect.FieldCipher.class.getDeclaredField("derived");
        derived.setAccessible(true);
        final List<byte[]> keys = new java.util.ArrayList<>(((Map<String, byte[]>) derived.get(cipher)).values());
        final java.lang.reflect.Field ring = io.publicdata.nifi.protect.FieldCipher.class.getDeclaredField("keys");
        ring.setAccessible(true);
        keys.add(((io.publicdata.nifi.protect.KeyRing) ring.get(cipher)).key("k1").orElseThrow());
        return keys;
    }

    private static byte[] keyOf(final Object holder, final String name) throws Exception {
        final java.lang.reflect.Field field = holder.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return (byte[]) field.get(holder);
    }

    private static final String FIVE_PEOPLE = "[{\"id\": 1, \"phone\": \"13800138001\"}, {\"id\": 2, \"phone\": \"13800138002\"},"
            + " {\"id\": 3, \"phone\": \"13800138003\"}, {\"id\": 4, \"phone\": \"13800138004\"}, {\"id\": 5, \"phone\": \"13800138005\"}]";

    private static TestRunner keyedProtect() throws Exception {
        final TestRunner protect = protectRunner("k1", "k1", K1, "p1", P1);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\"}");
        protect.setProperty(ProtectRecord.RECORD_KEY_FIELD, "/id");
        return protect;
    }

    /**
     * Every ciphertext moved into every other record of the same FlowFile (same dataset) is refused, naming the field
     * and the record it was found in: exhaustive over the ordered pairs of five records.
     */
    @Test
    void aCiphertextMovedIntoAnyOtherRecordIsRefused() throws Exception {
        final MockFlowFile protectedFile = run(keyedProtect(), FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final com.fasterxml.jackson.databind.node.ArrayNode records = (com.fasterxml.jackson.databind.node.ArrayNode) MAPPER.readTree(protectedFile.getContent());
        final TestRunner decrypt = decryptRunner("k1", K1);
        decrypt.setProperty(DecryptRecord.RECORD_KEY_FIELD, "/id");
        assertEquals("13800138003", MAPPER.readTree(run(decrypt, protectedFile.getContent(), protectedFile.getAttributes(), DecryptRecord.REL_SUCCESS)
                .getContent()).get(2).get("phone").asText());
        int refused = 0;
        for (int from = 0; from < 5; from++) {
            for (int to = 0; to < 5; to++) {
                if (from != to) {
                    final com.fasterxml.jackson.databind.node.ArrayNode moved = records.deepCopy();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) moved.get(to)).put("phone", records.get(from).get("phone").asText());
                    assertRefused(decrypt, moved.toString(), protectedFile.getAttributes(),
                            "Field /phone (record " + (to + 1) + "): ciphertext does not authenticate");
                    refused++;
                }
            }
        }
        assertEquals(20, refused);

        // Without a Record Key Field the same move inside one dataset decrypts: the key field is what forbids it
        final MockFlowFile unkeyed = run(protectRunner("k1", "k1", K1, "p1", P1), FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final com.fasterxml.jackson.databind.node.ArrayNode plain = (com.fasterxml.jackson.databind.node.ArrayNode) MAPPER.readTree(unkeyed.getContent());
        ((com.fasterxml.jackson.databind.node.ObjectNode) plain.get(1)).put("phone", plain.get(0).get("phone").asText());
        run(decryptRunner("k1", K1), plain.toString(), unkeyed.getAttributes(), DecryptRecord.REL_SUCCESS);
    }

    @Test
    void aRecordKeyMustBeThereInClearOnBothSides() throws Exception {
        final TestRunner protect = keyedProtect();
        final String noKey = "[{\"id\": 1, \"phone\": \"13800138001\"}, {\"phone\": \"13800138002\"}]";
        final MockFlowFile missing = run(protect, noKey, dataset("social-insurance"), ProtectRecord.REL_FAILURE);
        missing.assertContentEquals(noKey);
        assertEquals("Record 2 has no value in Record Key Field /id, so its ciphertexts could not be bound to it",
                missing.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));

        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\", \"/id\": \"MASK\"}");
        final MockFlowFile masked = run(protect, FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_FAILURE);
        assertTrue(masked.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).startsWith("Record Key Field /id (record 1) was protected by the rules"),
                masked.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));

        // Bound to records on one side and not on the other: refused, not guessed
        final MockFlowFile keyed = run(keyedProtect(), FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        assertRefused(decryptRunner("k1", K1), keyed.getContent(), keyed.getAttributes(), "Field /phone (record 1): ciphertext does not authenticate");
    }

    /**
     * Found by BadInputLosesNothingProperties: a Record Key Field holding an array (or a record or a map) bound the
     * ciphertexts to the array's identity ("[Ljava.lang.Object;@1b6ad296"), different in every run, and the FlowFile went
     * to success with values no one could ever decrypt. Such a record is refused, on both sides.
     */
    @Test
    void aRecordKeyThatIsNoSingleValueIsRefused() throws Exception {
        for (final String key : new String[] {"[7]", "{\"n\": 7}", "[[\"13800138000\"]]"}) {
            final String content = "[{\"id\": 1, \"phone\": \"13800138001\"}, {\"id\": " + key + ", \"phone\": \"13800138002\"}]";
            final MockFlowFile refused = run(keyedProtect(), content, dataset("social-insurance"), ProtectRecord.REL_FAILURE);
            refused.assertContentEquals(content);
            assertEquals("Record 2 holds no single value in Record Key Field /id (a record, an array or a map), so its ciphertexts could not be "
                    + "bound to it", refused.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));
        }
        final MockFlowFile keyed = run(keyedProtect(), FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final com.fasterxml.jackson.databind.node.ArrayNode records = (com.fasterxml.jackson.databind.node.ArrayNode) MAPPER.readTree(keyed.getContent());
        ((com.fasterxml.jackson.databind.node.ObjectNode) records.get(0)).putArray("id").add(1);
        final TestRunner decrypt = decryptRunner("k1", K1);
        decrypt.setProperty(DecryptRecord.RECORD_KEY_FIELD, "/id");
        assertRefused(decrypt, records.toString(), keyed.getAttributes(), "Record 1 holds no single value in Record Key Field /id");
    }

    @Test
    void recordKeysWorkWithCsvToo() throws Exception {
        final TestRunner protect = TestRunners.newTestRunner(ProtectRecord.class);
        RecordTestSupport.useCsv(protect);
        RecordTestSupport.useKeys(protect, ProtectRecord.KEY_PROVIDER, "k1", "k1", K1);
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\"}");
        protect.setProperty(ProtectRecord.RECORD_KEY_FIELD, "/id");
        final MockFlowFile out = run(protect, "id,phone\nA-1,13800138001\nA-2,13800138002\n", dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final String[] lines = out.getContent().split("\n");
        final String first = lines[1].substring(lines[1].indexOf(',') + 1);
        final String second = lines[2].substring(lines[2].indexOf(',') + 1);

        final TestRunner decrypt = TestRunners.newTestRunner(DecryptRecord.class);
        RecordTestSupport.useCsv(decrypt);
        RecordTestSupport.useKeys(decrypt, DecryptRecord.KEY_PROVIDER, "k1", "k1", K1);
        decrypt.setProperty(DecryptRecord.RECORD_KEY_FIELD, "/id");
        assertTrue(run(decrypt, out.getContent(), out.getAttributes(), DecryptRecord.REL_SUCCESS).getContent().contains("A-2,13800138002"));
        final String swapped = out.getContent().replace(first, "#").replace(second, first).replace("#", second);
        assertRefused(decrypt, swapped, out.getAttributes(), "Field /phone (record 1): ciphertext does not authenticate");
    }

    @Test
    void eachKeysEncryptionsAreCountedInStateAcrossTasks() throws Exception {
        final TestRunner protect = keyedProtect();
        for (int i = 0; i < 40; i++) {
            protect.enqueue(FIVE_PEOPLE, dataset("social-insurance"));
        }
        protect.setThreadCount(4);
        protect.run(40);
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 40);
        protect.getStateManager().assertStateEquals(EncryptionCounter.stateKey("A256GCM", "k1"), "200", org.apache.nifi.components.state.Scope.CLUSTER);
        // A restart goes on from the state, and another key has its own count
        run(protect, FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        protect.getStateManager().assertStateEquals(EncryptionCounter.stateKey("A256GCM", "k1"), "205", org.apache.nifi.components.state.Scope.CLUSTER);
    }

    @Test
    void aKeyNearTheNonceLimitIsWarnedAboutThenRefused() throws Exception {
        final TestRunner protect = keyedProtect();
        final String state = EncryptionCounter.stateKey("A256GCM", "k1");
        protect.getStateManager().setState(Map.of(state, String.valueOf(EncryptionCounter.WARN_FROM - 3)), org.apache.nifi.components.state.Scope.CLUSTER);
        run(protect, FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
        final List<org.apache.nifi.util.LogMessage> warnings = protect.getLogger().getWarnMessages();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().getMsg().contains("has encrypted") && warnings.getFirst().getMsg().contains("rotate the key soon"), warnings.toString());
        assertTrue(java.util.Arrays.toString(warnings.getFirst().getArgs()).contains(String.valueOf(EncryptionCounter.WARN_FROM + 2)));

        protect.getStateManager().setState(Map.of(state, String.valueOf(EncryptionCounter.REFUSE_FROM - 3)), org.apache.nifi.components.state.Scope.CLUSTER);
        final MockFlowFile refused = run(protect, FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_FAILURE);
        refused.assertContentEquals(FIVE_PEOPLE);
        assertTrue(refused.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE).contains("rotate the key"), refused.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE));
        protect.getStateManager().assertStateEquals(state, String.valueOf(EncryptionCounter.REFUSE_FROM - 3), org.apache.nifi.components.state.Scope.CLUSTER);
        // What needs no encryption still goes through; a new active key starts its own count
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"MASK\"}");
        run(protect, FIVE_PEOPLE, dataset("social-insurance"), ProtectRecord.REL_SUCCESS);
    }
}
