package io.publicdata.nifi.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.protect.CipherAlgorithm;
import io.publicdata.nifi.protect.FieldCipher;
import io.publicdata.nifi.protect.FormatPreservingCipher;
import io.publicdata.nifi.protect.KeyRing;
import io.publicdata.nifi.protect.ProtectionException;
import io.publicdata.nifi.services.PublicDataKeyProvider;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.serialization.record.Record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@SideEffectFree
@SupportsBatching
@Restricted("Gives back in clear what ProtectRecord encrypted (ENCRYPT and FPE values) to whoever can place it and point it at a key "
        + "provider: personal information and important data (L4) leave their protection here. Only users allowed restricted "
        + "components may add it; keep it inside the zone the grant allows, never on the way out.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"decrypt", "decryption", "FPE", "FF1", "SM4", "AES-GCM", "record", "public data", "解密", "脱敏与加密"})
@CapabilityDescription("Reverses ProtectRecord's ENCRYPT and FPE for the holder of the keys: every value or map key in the form "
        + "pd2:<algorithm>:<keyId>:<data> (or pd1: from 0.1.0) is decrypted with the key its id names, so values protected before a key "
        + "rotation still decrypt (a clear value that merely starts with pd2: or pd1: is left as it is); the values of the fields that "
        + "publicdata.protected lists as FPE are decrypted with the key id listed there, and no other value is. pd2 values are bound to "
        + "their field and to the Ciphertext Context (default the dataset id): a value moved from elsewhere does not decrypt. A value that does not "
        + "authenticate (tampered, moved to another field, wrong or unknown key) sends the whole FlowFile, unchanged, to failure "
        + "with the field named: nothing is ever partially decrypted. Masked, pseudonymised, generalised, redacted and dropped "
        + "values cannot be reversed and are left as they are.")
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.PROTECTED, description = "What remains protected: the input's entries without "
            + "the fields that were decrypted"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Number of records written"),
    @WritesAttribute(attribute = "mime.type", description = "The MIME type of the Record Writer"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure (the field, never a value)")
})
@SeeAlso({ProtectRecord.class})
public class DecryptRecord extends AbstractRecordTransformProcessor {

    public static final PropertyDescriptor KEY_PROVIDER = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ProtectRecord.KEY_PROVIDER)
            .description("Provides the keys, by the ids the protected values name.")
            .required(true)
            .build();

    public static final PropertyDescriptor FPE_ALGORITHM = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ProtectRecord.ENCRYPTION_ALGORITHM)
            .name("FPE Algorithm")
            .displayName("FPE Algorithm")
            .description("The block cipher under FF1 that ProtectRecord used for FPE (its Encryption Algorithm). ENCRYPT values name their own.")
            .build();

    public static final PropertyDescriptor CIPHERTEXT_CONTEXT = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ProtectRecord.CIPHERTEXT_CONTEXT)
            .description("The context ProtectRecord bound the values to (its Ciphertext Context), evaluated for this FlowFile: by "
                    + "default the dataset id. A value encrypted under another context (moved from another dataset or FlowFile) does "
                    + "not decrypt and the FlowFile goes to failure. pd1 values of 0.1.0 were bound to no context.")
            .build();

    public static final PropertyDescriptor RECORD_KEY_FIELD = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ProtectRecord.RECORD_KEY_FIELD)
            .description("The Record Key Field ProtectRecord bound each value to, e.g. /id; empty when it had none. A value moved in from "
                    + "another record does not decrypt, and a record without a value there goes to failure.")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, KEY_PROVIDER, CIPHERTEXT_CONTEXT, RECORD_KEY_FIELD,
            FPE_ALGORITHM);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private volatile KeyRing keys;
    /** Encryption keys derived once for every key of the ring; destroyed (with the ring) when the processor stops. */
    private volatile FieldCipher cipher;
    private volatile CipherAlgorithm fpeAlgorithm;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    /** Keys leave memory with the processor: the key provider can only be disabled once this has run. */
    @OnStopped
    public void onStopped() {
        final FieldCipher current = cipher;
        cipher = null;
        keys = null;
        if (current != null) {
            current.destroy();
        }
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) {
        keys = ProviderKeys.keyRing(context.getProperty(KEY_PROVIDER).asControllerService(PublicDataKeyProvider.class));
        cipher = new FieldCipher(keys, null);
        fpeAlgorithm = CipherAlgorithm.valueOf(context.getProperty(FPE_ALGORITHM).getValue());
    }

    @Override
    protected RecordTransform createTransform(final ProcessContext context, final FlowFile flowFile) {
        final KeyRing ring = keys;
        final String protectedJson = flowFile.getAttribute(PublicDataAttributes.PROTECTED);
        // Validates the attribute and says what is wrong with it; FPE entries are objects that also name their key id
        final Map<FieldPath, String> methods = protectedJson == null ? Map.of() : FieldEvidence.protectedPaths(protectedJson);
        final ObjectNode listed = protectedJson == null ? MAPPER.createObjectNode() : (ObjectNode) readTree(protectedJson);
        final Map<FieldPath, FormatPreservingCipher> fpeByPath = new HashMap<>();
        final Map<FieldPath, String> entryNames = new HashMap<>();
        listed.fieldNames().forEachRemaining(name -> entryNames.put(FieldPath.parse(name), name));
        methods.forEach((path, method) -> {
            final JsonNode entry = listed.path(entryNames.get(path));
            // FPE is only ever applied to every value of a field (ProtectRecord encrypts values it would FPE one by one)
            boolean fpe = ProtectionMethod.FPE.name().equals(method);
            for (final JsonNode applied : entry.path("methods")) {
                fpe |= ProtectionMethod.FPE.name().equals(applied.asText());
            }
            if (fpe) {
                final String keyId = entry.path("keyId").asText(null);
                if (keyId == null) {
                    throw new IllegalArgumentException("Field " + path + " is listed as FPE in " + PublicDataAttributes.PROTECTED + " without its keyId");
                }
                final byte[] key = ring.key(keyId).orElseThrow(() -> new IllegalArgumentException(
                        "Field " + path + " was protected with FPE under key id '" + keyId + "', which is not in the key provider"));
                // Entries of 0.1.0 name no version: their values were encrypted under the provider's key itself
                final int version = entry.path("version").asInt(1);
                fpeByPath.put(path, switch (version) {
                    case 1 -> FormatPreservingCipher.legacy(fpeAlgorithm, keyId, key);
                    case FormatPreservingCipher.VERSION -> FormatPreservingCipher.derived(fpeAlgorithm, keyId, key);
                    default -> throw new IllegalArgumentException("Field " + path + " names FPE version " + version + ", which this version cannot decrypt");
                });
            }
        });
        final String ciphertextContext = context.getProperty(CIPHERTEXT_CONTEXT).evaluateAttributeExpressions(flowFile).getValue();
        final String keyField = context.getProperty(RECORD_KEY_FIELD).getValue();
        return new Decryption(cipher, fpeByPath, listed, entryNames, ciphertextContext == null ? "" : ciphertextContext,
                keyField == null ? null : FieldPath.parse(keyField.strip()));
    }

    private static JsonNode readTree(final String json) {
        try {
            return MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(PublicDataAttributes.PROTECTED + " is not valid JSON");
        }
    }

    /**
     * Decrypts the records of one FlowFile in place, walking them with the {@link RecordWalker}: map keys and values
     * too. FPE is reversed only on the values of the places publicdata.protected lists as FPE (every value there was
     * FPE'd); ENCRYPT on every value, anywhere, that has the form of a ciphertext, so a clear value that merely starts
     * like one is left as it is, while a ciphertext that does not authenticate fails the FlowFile.
     */
    private static final class Decryption implements RecordTransform {
        private final FieldCipher cipher;
        private final ObjectNode listed;
        private final Map<FieldPath, String> entryNames;
        private final String ciphertextContext;
        private final FieldPath keyPath;
        private String recordKey;
        private final Map<FieldPath, String> decrypted = new TreeMap<>();
        private final RecordWalker<FormatPreservingCipher> walker;
        private final RecordWalker.Visitor<FormatPreservingCipher> visitor = new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<FormatPreservingCipher> node, final Object value) {
                return value instanceof String text ? decrypt(node.path(), node.info(), text) : value;
            }

            @Override
            public Object key(final RecordWalker.Node<FormatPreservingCipher> node, final String key) {
                // Keys are never FPE'd (ProtectRecord encrypts them instead)
                return decrypt(node.path(), null, key);
            }
        };
        private long records;
        private long values;

        /**
         * @param listed     the publicdata.protected object of the input
         * @param entryNames        the path of each of its entries, to the entry's name
         * @param ciphertextContext what the values were bound to besides their path (the Ciphertext Context)
         * @param keyPath           the Record Key Field, or null
         */
        Decryption(final FieldCipher cipher, final Map<FieldPath, FormatPreservingCipher> fpeByPath, final ObjectNode listed,
                   final Map<FieldPath, String> entryNames, final String ciphertextContext, final FieldPath keyPath) {
            this.cipher = cipher;
            this.listed = listed;
            this.entryNames = entryNames;
            this.walker = new RecordWalker<>((path, parent) -> fpeByPath.get(path));
            this.ciphertextContext = ciphertextContext;
            this.keyPath = keyPath;
        }

        @Override
        public Record apply(final Record record) {
            records++;
            // Read before anything is decrypted: the key field left ProtectRecord in clear
            recordKey = keyPath == null ? null : ProtectRecord.recordKey(record, keyPath, records);
            return (Record) walker.walk(record, visitor);
        }

        private String decrypt(final FieldPath path, final FormatPreservingCipher fpe, final String text) {
            try {
                if (fpe != null) {
                    return note(path, "FPE", fpe.decrypt(new FieldCipher.Binding(path.toString(), ciphertextContext, recordKey), text));
                }
                if (FieldCipher.isCiphertext(text)) {
                    return note(path, "ENCRYPT", cipher.decrypt(new FieldCipher.Binding(path.toString(), ciphertextContext, recordKey), text));
                }
            } catch (final RuntimeException e) {
                throw new ProtectionException("Field " + path + " (record " + records + "): " + SafeMessages.reason(e));
            }
            return text;
        }

        private String note(final FieldPath path, final String method, final String plain) {
            values++;
            decrypted.put(path, method);
            return plain;
        }

        @Override
        public Map<String, String> attributes() {
            final ObjectNode remaining = listed.deepCopy();
            decrypted.keySet().forEach(path -> remaining.remove(entryNames.getOrDefault(path, path.toString())));
            return Map.of(PublicDataAttributes.PROTECTED, remaining.toString());
        }

        @Override
        public String provenanceDetails() {
            if (decrypted.isEmpty()) {
                return "Decrypted no value of " + records + " records: none was encrypted";
            }
            final StringBuilder fields = new StringBuilder();
            decrypted.forEach((path, method) -> fields.append(fields.isEmpty() ? "" : ", ").append(path).append(' ').append(method));
            return "Decrypted " + values + " values in " + decrypted.size() + " fields of " + records + " records: " + fields;
        }
    }
}
