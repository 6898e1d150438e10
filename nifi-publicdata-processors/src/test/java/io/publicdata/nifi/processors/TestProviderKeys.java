package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.services.PublicDataKeyProvider;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processors bind to any PublicDataKeyProvider, as a NAR that has only the service API NAR as parent would write one. */
class TestProviderKeys {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A key provider written against the API alone: JDK types, no nifi-publicdata class. */
    static class ForeignKeyProvider extends AbstractControllerService implements PublicDataKeyProvider {
        private final Map<String, byte[]> keys = new TreeMap<>();
        private final String active;
        private final Set<String> listed;

        ForeignKeyProvider(final String active, final Set<String> listed, final String... idsAndHexKeys) {
            for (int i = 0; i < idsAndHexKeys.length; i += 2) {
                keys.put(idsAndHexKeys[i], HexFormat.of().parseHex(idsAndHexKeys[i + 1]));
            }
            this.active = active;
            this.listed = listed;
        }

        @Override
        public String activeKeyId() {
            return active;
        }

        @Override
        public Set<String> keyIds() {
            return listed;
        }

        @Override
        public Optional<byte[]> key(final String keyId) {
            return Optional.ofNullable(keys.get(keyId)).map(byte[]::clone);
        }
    }

    private static final String K1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String K2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

    private static TestRunner withProvider(final Class<? extends org.apache.nifi.processor.Processor> processor,
                                           final PublicDataKeyProvider provider) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        RecordTestSupport.useJson(runner);
        runner.addControllerService("foreign-keys", provider);
        runner.enableControllerService(provider);
        runner.setProperty(ProtectRecord.KEY_PROVIDER, "foreign-keys");
        return runner;
    }

    @Test
    void protectAndDecryptWithAProviderFromAnotherNar() throws Exception {
        final TestRunner protect = withProvider(ProtectRecord.class, new ForeignKeyProvider("k2", Set.of("k1", "k2"), "k1", K1, "k2", K2));
        protect.setProperty(ProtectRecord.FIELD_METHODS, "{\"/phone\": \"ENCRYPT\"}");
        // ENCRYPT binds each value to its dataset (the default Ciphertext Context)
        protect.enqueue("[{\"phone\": \"13800138000\"}]", java.util.Map.of(PublicDataAttributes.DATASET, "applicants"));
        protect.run();
        protect.assertAllFlowFilesTransferred(ProtectRecord.REL_SUCCESS, 1);
        final MockFlowFile out = protect.getFlowFilesForRelationship(ProtectRecord.REL_SUCCESS).getFirst();
        final String ciphertext = MAPPER.readTree(out.getContent()).get(0).get("phone").asText();
        assertTrue(ciphertext.matches("pd\\d:A256GCM:k2:.+"), "the provider's active key protects: " + ciphertext);

        final TestRunner decrypt = withProvider(DecryptRecord.class, new ForeignKeyProvider("k1", Set.of("k1", "k2"), "k1", K1, "k2", K2));
        decrypt.enqueue(out.getContent(), out.getAttributes());
        decrypt.run();
        decrypt.assertAllFlowFilesTransferred(DecryptRecord.REL_SUCCESS, 1);
        final JsonNode restored = MAPPER.readTree(decrypt.getFlowFilesForRelationship(DecryptRecord.REL_SUCCESS).getFirst().getContent());
        assertEquals("13800138000", restored.get(0).get("phone").asText());
    }

    @Test
    void aProviderThatListsAKeyItCannotGiveStopsTheProcessorFromStarting() throws Exception {
        final ForeignKeyProvider broken = new ForeignKeyProvider("k1", Set.of("k1", "k9"), "k1", K1);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderKeys.keyRing(broken));
        assertEquals("The key provider lists key id 'k9' but provides no key for it", e.getMessage());

        final TestRunner protect = withProvider(ProtectRecord.class, broken);
        protect.enqueue("[{\"phone\": \"13800138000\"}]");
        final AssertionError failed = assertThrows(AssertionError.class, protect::run, "@OnScheduled must fail");
        Throwable cause = failed;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertEquals("The key provider lists key id 'k9' but provides no key for it", cause.getMessage());
        assertEquals(1, protect.getQueueSize().getObjectCount(), "nothing is taken from the queue");
    }

    @Test
    void anActiveIdOutsideTheListedKeysIsRefusedNamingIdsOnly() {
        final ForeignKeyProvider broken = new ForeignKeyProvider("k3", Set.of("k1"), "k1", K1, "k3", K2);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderKeys.keyRing(broken));
        assertTrue(e.getMessage().contains("Active key id 'k3' names no key; keys: [k1]"), e.getMessage());
        assertTrue(!e.getMessage().contains(K1) && !e.getMessage().contains(K2));
    }
}
