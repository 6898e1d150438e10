package io.publicdata.nifi.grant;

import java.util.Locale;
import java.util.Optional;

/**
 * The ways ProtectRecord protects a field, by the names it writes into the {@code publicdata.protected}
 * attribute. A grant's required protection names the methods it accepts for a grade.
 */
public enum ProtectionMethod {
    MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP;

    /** The method with this name, ignoring case and surrounding blanks; empty when there is none. */
    public static Optional<ProtectionMethod> find(final String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
