package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Classifier;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.protect.CipherAlgorithm;
import io.publicdata.nifi.protect.FieldCipher;
import io.publicdata.nifi.protect.FormatPreservingCipher;
import io.publicdata.nifi.protect.KeyRing;
import io.publicdata.nifi.protect.Masking;
import io.publicdata.nifi.protect.ProtectionException;
import io.publicdata.nifi.protect.ProtectionRules;
import io.publicdata.nifi.protect.Protector;
import io.publicdata.nifi.protect.Pseudonymizer;
import io.publicdata.nifi.services.PublicDataKeyProvider;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.Stateful;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.DescribedValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.serialization.record.Record;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@SideEffectFree
@SupportsBatching
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Stateful(scopes = Scope.CLUSTER, description = "How many values each encryption key has encrypted (encrypted.<algorithm>.<keyId>), shared by "
        + "the nodes of a cluster: random 96-bit GCM nonces are safe for at most 2^32 values per key (NIST SP 800-38D §8.3), so a bulletin "
        + "warns from 2^30 on and encryption stops at 2^32 - 2^28 until the key is rotated.")
@Tags({"protect", "mask", "masking", "encrypt", "encryption", "pseudonymize", "tokenize", "FPE", "FF1", "SM4", "AES-GCM", "HMAC-SM3",
        "generalize", "personal information", "PII", "record", "public data", "China", "脱敏", "加密", "去标识化", "个人信息", "公共数据"})
@CapabilityDescription("Masks, pseudonymises or encrypts restricted fields of every record (脱敏与加密) so that personal information "
        + "(个人信息) and trade secrets (商业秘密) never leave in clear. Each field's method comes from Field Methods (by field path, "
        + "then by label) or else from Methods by Grade (L3 → MASK, L4 → ENCRYPT, L5 → DROP by default), using the field grades "
        + "ClassifyRecord wrote (publicdata.fields) and classifying any field they do not list itself, so an unclassified sensitive "
        + "value is never passed in clear. Methods: MASK (keep first/last characters; identifiers inside free text are masked "
        + "where they stand), REDACT (null), DROP (remove the field), PSEUDONYMIZE (HMAC-SM3 or HMAC-SHA256 under a pseudonym key of "
        + "its own, stable for joins), ENCRYPT (AES-256-GCM or SM4-GCM, pd2 values bound to field and Ciphertext Context; "
        + "DecryptRecord reverses it), FPE (FF1: digits stay digits, length kept; reversible), GENERALIZE (date → year or month, "
        + "number → range, address → region). Each purpose uses its own key, derived with HKDF (密钥分离).")
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.PROTECTED, description = "JSON object: field path to the method applied, e.g. "
            + "{\"/idCard\":\"MASK\",\"/bankCard\":\"ENCRYPT\"}; FPE entries also name the cipher and key id. Never values."),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Number of records written"),
    @WritesAttribute(attribute = "mime.type", description = "The MIME type of the Record Writer"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure")
})
@SeeAlso({ClassifyRecord.class, DecryptRecord.class, EnforceGrantScope.class})
@UseCase(
    description = "Protect graded records with the defaults: mask L3 fields, encrypt L4 fields, drop L5 fields.",
    keywords = {"mask", "encrypt", "脱敏", "加密"},
    configuration = """
        Put ProtectRecord after ClassifyRecord. Set "Record Reader" and "Record Writer".
        Add a StandardPublicDataKeyProvider with a sensitive property `key.k1` holding 32 random bytes in hex (e.g. `openssl rand -hex 32`)
        and "Active Key ID" `k1`; select it as "Key Provider". Leave "Methods by Grade" at `L3=MASK, L4=ENCRYPT, L5=DROP`.
        """
)
@UseCase(
    description = "Give an operator pseudonymous IDs that still join across data sets, and mask phones.",
    keywords = {"pseudonymize", "join", "tokenize", "去标识化"},
    configuration = """
        Set "Field Methods" to `{"PERSONAL_ID": "PSEUDONYMIZE", "MOBILE": {"method": "MASK", "keepFirst": 3, "keepLast": 4}}`.
        Set "Key Provider" and add to it a key `key.p1` kept for pseudonyms; set "Pseudonym Key ID" to `p1`. The same key gives
        the same pseudonym in every flow, so keep it for as long as joins must work; never give it to a recipient.
        """
)
public class ProtectRecord extends AbstractRecordTransformProcessor implements VerifiableProcessor {

    /** Where field grades come from. */
    public enum FieldGradesSource implements DescribedValue {
        ATTRIBUTE_THEN_CLASSIFY("Field grades, else classify", "Use publicdata.fields where it lists a field; classify every value of "
                + "fields it does not list (or of all fields when it is absent)."),
        CLASSIFY("Classify every value", "Ignore publicdata.fields; classify every value with the classification properties."),
        ATTRIBUTE("Field grades only", "Use publicdata.fields only; a FlowFile without it, or with a field it does not list, goes to failure.");

        private final String displayName;
        private final String description;

        FieldGradesSource(final String displayName, final String description) {
            this.displayName = displayName;
            this.description = description;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return displayName;
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    public static final PropertyDescriptor METHODS_BY_GRADE = new PropertyDescriptor.Builder()
            .name("Methods by Grade")
            .description("The method for a field of each grade, as GRADE=METHOD pairs; a grade not named stays in clear. "
                    + "Methods: MASK, REDACT, DROP, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE.")
            .required(false)
            .defaultValue(ProtectionRules.DEFAULT_BY_GRADE)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor FIELD_METHODS = new PropertyDescriptor.Builder()
            .name("Field Methods")
            .description("JSON object naming methods for field paths (keys starting with /) and labels (e.g. MOBILE); they take "
                    + "precedence over Methods by Grade. See the additional details for the options of each method.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor FIELD_GRADES_SOURCE = new PropertyDescriptor.Builder()
            .name("Field Grades Source")
            .description("Where the grade and labels of each field come from.")
            .required(true)
            .allowableValues(FieldGradesSource.class)
            .defaultValue(FieldGradesSource.ATTRIBUTE_THEN_CLASSIFY)
            .build();

    public static final PropertyDescriptor KEY_PROVIDER = new PropertyDescriptor.Builder()
            .name("Key Provider")
            .description("Provides the keys for ENCRYPT, FPE and PSEUDONYMIZE (its active key). Required when any of those methods is configured.")
            .required(false)
            .identifiesControllerService(PublicDataKeyProvider.class)
            .build();

    public static final PropertyDescriptor PSEUDONYM_KEY_ID = new PropertyDescriptor.Builder()
            .name("Pseudonym Key ID")
            .description("The id of the Key Provider's key that PSEUDONYMIZE derives its key from (HKDF, for pseudonyms only). It must "
                    + "not be the active encryption key: pseudonyms then stay the same when the encryption key rotates, and whoever "
                    + "holds only the keys to decrypt (e.g. a DecryptRecord of the recipient) cannot recompute them by trying every "
                    + "mobile number or resident ID. Required when PSEUDONYMIZE is configured.")
            .required(false)
            .addValidator(PublicDataValidators.KEY_ID)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor CIPHERTEXT_CONTEXT = new PropertyDescriptor.Builder()
            .name("Ciphertext Context")
            .description("What every ENCRYPT and FPE value is bound to besides its field path (pd2 associated data): by default the "
                    + "dataset id, so a ciphertext moved into another dataset does not decrypt. DecryptRecord must be given the same "
                    + "context. A FlowFile for which it is empty goes to failure as soon as a value would be encrypted.")
            .required(true)
            .defaultValue("${" + PublicDataAttributes.DATASET + "}")
            .addValidator(StandardValidators.ATTRIBUTE_EXPRESSION_LANGUAGE_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor RECORD_KEY_FIELD = new PropertyDescriptor.Builder()
            .name("Record Key Field")
            .description("A field that identifies each record, e.g. /id or /serialNo: each ENCRYPT and FPE value is also bound to its record's "
                    + "value there, so a ciphertext moved into another record of the same context does not decrypt. The field must leave in "
                    + "clear (a record without a value there, or whose value the rules protect, goes to failure); DecryptRecord must name "
                    + "the same field. Empty: values are bound to field and context only.")
            .required(false)
            .addValidator(PublicDataValidators.FIELD_PATH)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor ENCRYPTION_ALGORITHM = new PropertyDescriptor.Builder()
            .name("Encryption Algorithm")
            .description("Cipher of ENCRYPT, and the block cipher under FF1 for FPE: AES_256_GCM (a 32-byte key) or SM4_GCM "
                    + "(GB/T 32907, a 16-byte key).")
            .required(true)
            .allowableValues(CipherAlgorithm.AES_256_GCM.name(), CipherAlgorithm.SM4_GCM.name())
            .defaultValue(CipherAlgorithm.AES_256_GCM.name())
            .build();

    public static final PropertyDescriptor PSEUDONYM_HASH = new PropertyDescriptor.Builder()
            .name("Pseudonym Hash")
            .description("Keyed hash of PSEUDONYMIZE; the pseudonym is 64 lower-case hexadecimal digits.")
            .required(true)
            .allowableValues(Pseudonymizer.Hash.HMAC_SM3.name(), Pseudonymizer.Hash.HMAC_SHA256.name())
            .defaultValue(Pseudonymizer.Hash.HMAC_SM3.name())
            .build();

    public static final PropertyDescriptor MASK_CHARACTER = new PropertyDescriptor.Builder()
            .name("Mask Character")
            .description("The character MASK writes in place of hidden characters.")
            .required(true)
            .defaultValue("*")
            .addValidator(StandardValidators.createRegexMatchingValidator(java.util.regex.Pattern.compile("\\X")))
            .build();

    public static final PropertyDescriptor GRADE_LADDER = new PropertyDescriptor.Builder().fromPropertyDescriptor(ClassifyRecord.GRADE_LADDER).build();
    public static final PropertyDescriptor DEFAULT_GRADE = new PropertyDescriptor.Builder().fromPropertyDescriptor(ClassifyRecord.DEFAULT_GRADE).build();
    public static final PropertyDescriptor CLASSIFICATION_RULES = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ClassifyRecord.CLASSIFICATION_RULES)
            .description("Rules for the fields this processor classifies itself (JSON, inline or a file path); use the same rules as ClassifyRecord.")
            .build();
    public static final PropertyDescriptor FIELD_NAME_HINTS = new PropertyDescriptor.Builder().fromPropertyDescriptor(ClassifyRecord.FIELD_NAME_HINTS).build();
    public static final PropertyDescriptor GRADE_FIELD = new PropertyDescriptor.Builder()
            .fromPropertyDescriptor(ClassifyRecord.GRADE_FIELD)
            .description("Root-level field holding each record's grade (written by ClassifyRecord); it is left as it is. Empty for none.")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, METHODS_BY_GRADE, FIELD_METHODS,
            FIELD_GRADES_SOURCE, KEY_PROVIDER, PSEUDONYM_KEY_ID, CIPHERTEXT_CONTEXT, RECORD_KEY_FIELD, ENCRYPTION_ALGORITHM, PSEUDONYM_HASH, MASK_CHARACTER, GRADE_LADDER, DEFAULT_GRADE,
            CLASSIFICATION_RULES, FIELD_NAME_HINTS, GRADE_FIELD);

    /** Everything worked out when the processor starts: immutable, shared by all tasks. */
    record Settings(Classifier classifier, ProtectionRules rules, Protector protector, FieldGradesSource source, String gradeField,
                    String keyNote) {
    }

    private volatile Settings settings;
    /** Values encrypted per key, in state; null without a Key Provider. */
    private volatile EncryptionCounter encryptions;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        try {
            final Classifier classifier = ClassifyRecord.buildClassifier(context);
            final ProtectionRules rules = rules(context, classifier);
            if (rules.needsKey() && !context.getProperty(KEY_PROVIDER).isSet()) {
                results.add(new ValidationResult.Builder().subject(KEY_PROVIDER.getName()).valid(false)
                        .explanation("ENCRYPT, FPE or PSEUDONYMIZE is configured, so a Key Provider is required").build());
            }
            if (rules.uses(ProtectionMethod.PSEUDONYMIZE) && !context.getProperty(PSEUDONYM_KEY_ID).isSet()) {
                results.add(new ValidationResult.Builder().subject(PSEUDONYM_KEY_ID.getName()).valid(false)
                        .explanation("PSEUDONYMIZE is configured, so a Pseudonym Key ID is required: a key of the Key Provider kept for "
                                + "pseudonyms, not the active encryption key").build());
            }
        } catch (final IllegalArgumentException | IOException e) {
            results.add(new ValidationResult.Builder().subject("Field Methods / Methods by Grade / Classification Rules").valid(false)
                    .explanation(e.getMessage()).build());
        }
        return results;
    }

    private static ProtectionRules rules(final PropertyContext context, final Classifier classifier) {
        return ProtectionRules.parse(context.getProperty(FIELD_METHODS).getValue(), context.getProperty(METHODS_BY_GRADE).getValue(),
                classifier.ladder(), context.getProperty(MASK_CHARACTER).getValue().codePointAt(0));
    }

    /** Keys leave memory with the processor: the key provider can only be disabled once this has run. */
    @OnStopped
    public void onStopped() {
        final EncryptionCounter counter = encryptions;
        encryptions = null;
        if (counter != null) {
            counter.write();
        }
        final Settings current = settings;
        settings = null;
        if (current != null) {
            current.protector().destroy();
        }
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) throws IOException {
        final Classifier classifier = ClassifyRecord.buildClassifier(context);
        final ProtectionRules rules = rules(context, classifier);
        final int maskCharacter = context.getProperty(MASK_CHARACTER).getValue().codePointAt(0);
        final Map<String, Masking> maskings = new HashMap<>();
        Protector.DEFAULT_MASKINGS.forEach((label, masking) -> maskings.put(label, masking.withMaskCharacter(maskCharacter)));
        FieldCipher cipher = null;
        FormatPreservingCipher fpe = null;
        Pseudonymizer pseudonymizer = null;
        String keyNote = "";
        if (context.getProperty(KEY_PROVIDER).isSet()) {
            final KeyRing keys = ProviderKeys.keyRing(context.getProperty(KEY_PROVIDER).asControllerService(PublicDataKeyProvider.class));
            final CipherAlgorithm algorithm = CipherAlgorithm.valueOf(context.getProperty(ENCRYPTION_ALGORITHM).getValue());
            // Each purpose gets its own derived key; keys that cannot serve fail here, when the processor starts
            cipher = new FieldCipher(keys, algorithm);
            fpe = FormatPreservingCipher.derived(algorithm, keys.activeKeyId(), keys.activeKey());
            keyNote = "; key '" + keys.activeKeyId() + "', " + algorithm.token();
            encryptions = EncryptionCounter.start(context.getStateManager(), getLogger(), algorithm.token(), keys.activeKeyId());
            final String pseudonymKeyId = context.getProperty(PSEUDONYM_KEY_ID).getValue();
            if (pseudonymKeyId != null) {
                if (pseudonymKeyId.equals(keys.activeKeyId())) {
                    throw new IllegalStateException("Pseudonym Key ID '" + pseudonymKeyId + "' is the active encryption key of the Key "
                            + "Provider; give pseudonyms a key of their own, so that whoever can decrypt cannot recompute them");
                }
                final byte[] pseudonymKey = keys.key(pseudonymKeyId).orElseThrow(() -> new IllegalStateException(
                        "Pseudonym Key ID '" + pseudonymKeyId + "' names no key of the Key Provider"));
                final Pseudonymizer.Hash hash = Pseudonymizer.Hash.valueOf(context.getProperty(PSEUDONYM_HASH).getValue());
                pseudonymizer = Pseudonymizer.derived(hash, pseudonymKeyId, pseudonymKey);
                keyNote += "; pseudonym key '" + pseudonymKeyId + "', " + hash.algorithmName();
            }
        }
        final String gradeField = context.getProperty(GRADE_FIELD).getValue();
        settings = new Settings(classifier, rules, new Protector(maskings, classifier.detectors(), cipher, fpe, pseudonymizer),
                context.getProperty(FIELD_GRADES_SOURCE).asAllowableValue(FieldGradesSource.class),
                gradeField == null || gradeField.isBlank() ? null : gradeField.strip(), keyNote);
    }

    @Override
    protected RecordTransform createTransform(final ProcessContext context, final FlowFile flowFile) {
        final Settings current = settings;
        final String fieldsJson = flowFile.getAttribute(PublicDataAttributes.FIELDS);
        FieldGrades fieldGrades = null;
        if (current.source() != FieldGradesSource.CLASSIFY && fieldsJson != null) {
            fieldGrades = FieldGrades.fromJson(fieldsJson, current.classifier().ladder());
        } else if (current.source() == FieldGradesSource.ATTRIBUTE) {
            throw new IllegalArgumentException("Field Grades Source is 'Field grades only', but the FlowFile has no " + PublicDataAttributes.FIELDS
                    + " attribute; classify it with ClassifyRecord first");
        }
        final String ciphertextContext = context.getProperty(CIPHERTEXT_CONTEXT).evaluateAttributeExpressions(flowFile).getValue();
        final RecordProtector protector = new RecordProtector(current, fieldGrades, ciphertextContext == null ? "" : ciphertextContext);
        final String keyField = context.getProperty(RECORD_KEY_FIELD).getValue();
        final FieldPath keyPath = keyField == null ? null : FieldPath.parse(keyField.strip());
        final EncryptionCounter counter = encryptions;
        return new RecordTransform() {
            private long records;

            @Override
            public Record apply(final Record record) {
                records++;
                if (keyPath == null) {
                    return protector.protect(record, null);
                }
                final String key = recordKey(record, keyPath, records);
                final Record protectedRecord = protector.protect(record, key);
                final Object after = RecordWalker.valueAt(protectedRecord, keyPath);
                if (after == null || !after.toString().equals(key)) {
                    throw new ProtectionException("Record Key Field " + keyPath + " (record " + records + ") was protected by the rules, so it cannot "
                            + "bind the record's ciphertexts: choose a field that leaves in clear, e.g. a record number");
                }
                return protectedRecord;
            }

            @Override
            public void finish() {
                if (counter != null) {
                    counter.add(protector.encryptedValues());
                }
            }

            @Override
            public Map<String, String> attributes() {
                return Map.of(PublicDataAttributes.PROTECTED, protector.protectedFieldsJson());
            }

            @Override
            public String provenanceDetails() {
                return protector.describe();
            }
        };
    }

    /** The value of a record's key field, as text. */
    static String recordKey(final Record record, final FieldPath keyPath, final long number) {
        final Object value = RecordWalker.valueAt(record, keyPath);
        if (value == null || value.toString().isEmpty()) {
            throw new ProtectionException("Record " + number + " has no value in Record Key Field " + keyPath
                    + ", so its ciphertexts could not be bound to it");
        }
        if (value instanceof Record || value instanceof Object[] || value instanceof java.util.Collection || value instanceof Map) {
            // Its text would be an object's identity, different in every run: ciphertexts bound to it could never be decrypted
            throw new ProtectionException("Record " + number + " holds no single value in Record Key Field " + keyPath
                    + " (a record, an array or a map), so its ciphertexts could not be bound to it");
        }
        return value.toString();
    }

    /** The "Verify" button: rules, key provider, keys and a sample round trip ({@link ProtectRecordVerification}). */
    @Override
    public List<ConfigVerificationResult> verify(final ProcessContext context, final ComponentLog verificationLogger, final Map<String, String> attributes) {
        return ProtectRecordVerification.verify(context);
    }
}
