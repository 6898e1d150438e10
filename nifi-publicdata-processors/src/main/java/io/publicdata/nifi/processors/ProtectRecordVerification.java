package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Classifier;
import io.publicdata.nifi.grant.ProtectionMethod;
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
 * ProtectRecord's "Verify" (the button of the property dialog): the rules parse, the key provider is reachable and its
 * keys serve (at least 16 bytes, a pseudonym key of its own), and a sample value (never data) round-trips through
 * ENCRYPT and FPE and pseudonymises stably. Messages name key ids, never key material.
 */
final class ProtectRecordVerification {

    private static final String RULES = "Protection Rules";
    private static final String PROVIDER = "Key Provider";
    private static final String KEYS = "Keys";
    private static final String ROUND_TRIP = "Sample Round Trip";
    /** A made-up mobile number: digits for FPE, text for ENCRYPT; not data of anyone. */
    private static final String SAMPLE = "13800138000";
    private static final String SAMPLE_PATH = "/verification/sample";
    private static final String SAMPLE_CONTEXT = "verification";

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
        final String pseudonymKeyId = context.getProperty(ProtectRecord.PSEUDONYM_KEY_ID).getValue();
        final String problem;
        if (pseudonymKeyId == null) {
            problem = rules.uses(ProtectionMethod.PSEUDONYMIZE) ? "PSEUDONYMIZE is configured but no Pseudonym Key ID is set" : null;
        } else if (pseudonymKeyId.equals(keys.activeKeyId())) {
            problem = "Pseudonym Key ID '" + pseudonymKeyId + "' is the active encryption key; pseudonyms need a key of their own";
        } else if (keys.key(pseudonymKeyId).isEmpty()) {
            problem = "Pseudonym Key ID '" + pseudonymKeyId + "' names no key of the Key Provider";
        } else {
            problem = null;
        }
        if (problem != null) {
            results.add(result(KEYS, Outcome.FAILED, problem));
            results.add(result(ROUND_TRIP, Outcome.SKIPPED, "The keys do not fit"));
            return results;
        }
        results.add(result(KEYS, Outcome.SUCCESSFUL, "Every key has at least 16 bytes; ENCRYPT and FPE derive their " + algorithm + " keys from '"
                + keys.activeKeyId() + "'" + (pseudonymKeyId == null ? "" : ", PSEUDONYMIZE its key from '" + pseudonymKeyId + "'")));
        try {
            final FieldCipher.Binding binding = new FieldCipher.Binding(SAMPLE_PATH, SAMPLE_CONTEXT, null);
            final FieldCipher cipher = new FieldCipher(keys, algorithm);
            final boolean encrypts = SAMPLE.equals(cipher.decrypt(binding, cipher.encrypt(binding, SAMPLE)));
            final FormatPreservingCipher fpe = FormatPreservingCipher.derived(algorithm, keys.activeKeyId(), keys.activeKey());
            final String preserved = fpe.encrypt(binding, SAMPLE);
            final boolean preserves = preserved.length() == SAMPLE.length() && preserved.chars().allMatch(Character::isDigit)
                    && SAMPLE.equals(fpe.decrypt(binding, preserved));
            boolean stable = true;
            if (pseudonymKeyId != null) {
                final Pseudonymizer pseudonymizer = Pseudonymizer.derived(Pseudonymizer.Hash.valueOf(context.getProperty(ProtectRecord.PSEUDONYM_HASH).getValue()),
                        pseudonymKeyId, keys.key(pseudonymKeyId).orElseThrow());
                stable = pseudonymizer.pseudonym(SAMPLE).equals(pseudonymizer.pseudonym(SAMPLE));
            }
            results.add(encrypts && preserves && stable
                    ? result(ROUND_TRIP, Outcome.SUCCESSFUL, "A sample value (not data) encrypted with key '" + keys.activeKeyId() + "' (" + algorithm
                            + ") decrypts back; FPE keeps its length and digits and reverses" + (pseudonymKeyId == null ? "" : "; pseudonyms are stable"))
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
