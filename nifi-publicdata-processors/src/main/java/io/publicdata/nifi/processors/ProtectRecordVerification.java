package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Classifier;
import io.publicdata.nifi.protect.CipherAlgorithm;
import io.publicdata.nifi.protect.FieldCipher;
import io.publicdata.nifi.protect.FormatPreservingCipher;
import io.publicdata.nifi.protect.KeyRing;
import io.publicdata.nifi.protect.ProtectionRules;
import io.publicdata.nifi.protect.Pseudonymizer;
import io.publicdata.nifi.services.PublicDataKeyProvider;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.processor.ProcessContext;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ProtectRecord's "Verify" (the button of the property dialog): the rules parse, the key provider is reachable, every
 * key fits an algorithm (the active one the configured algorithm), and a sample value (never data) round-trips through
 * ENCRYPT and FPE and pseudonymises stably. Messages name key ids and lengths, never key material.
 */
final class ProtectRecordVerification {

    private static final String RULES = "Protection Rules";
    private static final String PROVIDER = "Key Provider";
    private static final String KEYS = "Keys";
    private static final String ROUND_TRIP = "Sample Round Trip";
    /** A made-up mobile number: digits for FPE, text for ENCRYPT; not data of anyone. */
    private static final String SAMPLE = "13800138000";
    private static final String SAMPLE_PATH = "/verification/sample";

    private ProtectRecordVerification() {
    }

    static List<ConfigVerificationResult> verify(final ProcessContext context) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final ProtectionRules rules;
        try {
            final Classifier classifier = ClassifyRecord.buildClassifier(context);
            rules = ProtectionRules.parse(context.getProperty(ProtectRecord.FIELD_METHODS).getValue(),
                    context.getProperty(ProtectRecord.METHODS_BY_GRADE).getValue(), classifier.ladder(),
                    context.getProperty(ProtectRecord.MASK_CHARACTER).getValue().codePointAt(0));
            results.add(result(RULES, Outcome.SUCCESSFUL, "Field Methods, Methods by Grade and the classification rules parse"
                    + (rules.needsKey() ? "; some methods need keys (ENCRYPT, FPE or PSEUDONYMIZE)" : "; no method needs a key")));
        } catch (final Exception e) {
            results.add(result(RULES, Outcome.FAILED, e.getMessage()));
            results.add(result(PROVIDER, Outcome.SKIPPED, "The rules do not parse"));
            results.add(result(KEYS, Outcome.SKIPPED, "The rules do not parse"));
            results.add(result(ROUND_TRIP, Outcome.SKIPPED, "The rules do not parse"));
            return results;
        }
        if (!context.getProperty(ProtectRecord.KEY_PROVIDER).isSet()) {
            results.add(rules.needsKey()
                    ? result(PROVIDER, Outcome.FAILED, "ENCRYPT, FPE or PSEUDONYMIZE is configured, so a Key Provider is required")
                    : result(PROVIDER, Outcome.SKIPPED, "No method needs a key"));
            results.add(result(KEYS, Outcome.SKIPPED, "No Key Provider"));
            results.add(result(ROUND_TRIP, Outcome.SKIPPED, "No Key Provider"));
            return results;
        }
        final KeyRing keys;
        try {
            final PublicDataKeyProvider provider = context.getProperty(ProtectRecord.KEY_PROVIDER).asControllerService(PublicDataKeyProvider.class);
            if (provider == null) {
                throw new IllegalStateException("the Key Provider is not available; enable it");
            }
            keys = ProviderKeys.keyRing(provider);
            results.add(result(PROVIDER, Outcome.SUCCESSFUL, "Reachable: active key '" + keys.activeKeyId() + "', keys " + new TreeSet<>(keys.keyIds())));
        } catch (final Exception e) {
            results.add(result(PROVIDER, Outcome.FAILED, e.getMessage()));
            results.add(result(KEYS, Outcome.SKIPPED, "The Key Provider is not reachable"));
            results.add(result(ROUND_TRIP, Outcome.SKIPPED, "The Key Provider is not reachable"));
            return results;
        }
        final CipherAlgorithm algorithm = CipherAlgorithm.valueOf(context.getProperty(ProtectRecord.ENCRYPTION_ALGORITHM).getValue());
        final List<String> problems = new ArrayList<>();
        for (final String id : new TreeSet<>(keys.keyIds())) {
            final int length = keys.key(id).map(key -> key.length).orElse(0);
            final boolean fitsConfigured = length == algorithm.keyLength();
            final boolean fitsAny = List.of(CipherAlgorithm.values()).stream().anyMatch(candidate -> candidate.keyLength() == length);
            if (id.equals(keys.activeKeyId()) && !fitsConfigured) {
                problems.add("the active key '" + id + "' has " + length + " bytes; " + algorithm + " needs " + algorithm.keyLength());
            } else if (!fitsAny) {
                problems.add("key '" + id + "' has " + length + " bytes, which fits no algorithm (AES_256_GCM 32, SM4_GCM 16)");
            }
        }
        results.add(problems.isEmpty()
                ? result(KEYS, Outcome.SUCCESSFUL, "Every key fits an algorithm; the active key '" + keys.activeKeyId() + "' fits " + algorithm)
                : result(KEYS, Outcome.FAILED, String.join("; ", problems)));
        if (!problems.isEmpty()) {
            results.add(result(ROUND_TRIP, Outcome.SKIPPED, "The keys do not fit"));
            return results;
        }
        try {
            final FieldCipher cipher = new FieldCipher(keys, algorithm);
            final boolean encrypts = SAMPLE.equals(cipher.decrypt(SAMPLE_PATH, cipher.encrypt(SAMPLE_PATH, SAMPLE)));
            final FormatPreservingCipher fpe = new FormatPreservingCipher(algorithm, keys.activeKeyId(), keys.activeKey());
            final String preserved = fpe.encrypt(SAMPLE_PATH, SAMPLE);
            final boolean preserves = preserved.length() == SAMPLE.length() && preserved.chars().allMatch(Character::isDigit)
                    && SAMPLE.equals(fpe.decrypt(SAMPLE_PATH, preserved));
            final Pseudonymizer pseudonymizer = new Pseudonymizer(Pseudonymizer.Hash.valueOf(context.getProperty(ProtectRecord.PSEUDONYM_HASH).getValue()),
                    keys.activeKey());
            final boolean stable = pseudonymizer.pseudonym(SAMPLE).equals(pseudonymizer.pseudonym(SAMPLE));
            results.add(encrypts && preserves && stable
                    ? result(ROUND_TRIP, Outcome.SUCCESSFUL, "A sample value (not data) encrypted with key '" + keys.activeKeyId() + "' (" + algorithm
                            + ") decrypts back; FPE keeps its length and digits and reverses; pseudonyms are stable")
                    : result(ROUND_TRIP, Outcome.FAILED, "A sample value did not round-trip: ENCRYPT " + (encrypts ? "ok" : "failed") + ", FPE "
                            + (preserves ? "ok" : "failed") + ", PSEUDONYMIZE " + (stable ? "ok" : "unstable")));
        } catch (final RuntimeException e) {
            results.add(result(ROUND_TRIP, Outcome.FAILED, "A sample value did not round-trip: " + e.getMessage()));
        }
        return results;
    }

    private static ConfigVerificationResult result(final String step, final Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }
}
