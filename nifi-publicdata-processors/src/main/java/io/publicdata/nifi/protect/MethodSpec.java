package io.publicdata.nifi.protect;

import io.publicdata.nifi.grant.ProtectionMethod;

/**
 * How one field (or every field of a label or grade) is protected: the method and its options.
 *
 * @param method         the method
 * @param masking        for MASK: the masking to use instead of the label's default; null for the default
 * @param generalization for GENERALIZE: how far to generalise; null for {@link Generalization#DEFAULT}
 */
public record MethodSpec(ProtectionMethod method, Masking masking, Generalization generalization) {

    public static MethodSpec of(final ProtectionMethod method) {
        return new MethodSpec(method, null, null);
    }

    /** Whether the method leaves text in place of the value (every method but REDACT and DROP). */
    public boolean rewritesToText() {
        return method != ProtectionMethod.REDACT && method != ProtectionMethod.DROP;
    }

    /** Whether the method needs a key from the key provider. */
    public boolean needsKey() {
        return method == ProtectionMethod.ENCRYPT || method == ProtectionMethod.FPE || method == ProtectionMethod.PSEUDONYMIZE;
    }

    /** How strongly the method hides the value; where several labels ask for methods, the strongest wins. */
    public int strength() {
        return switch (method) {
            case DROP -> 7;
            case REDACT -> 6;
            case ENCRYPT -> 5;
            case PSEUDONYMIZE -> 4;
            case FPE -> 3;
            case MASK -> 2;
            case GENERALIZE -> 1;
        };
    }
}
