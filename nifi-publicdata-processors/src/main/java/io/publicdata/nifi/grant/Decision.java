package io.publicdata.nifi.grant;

import java.util.Objects;

/**
 * The outcome of checking a use against a grant: PERMIT, or DENY with a machine code and a reason a person can
 * act on. Reasons name grades, field paths and the grant's scope, never a data value.
 *
 * @param outcome PERMIT or DENY
 * @param code    why it was denied; null for PERMIT
 * @param reason  the reason in words; empty for PERMIT
 */
public record Decision(Outcome outcome, DenyCode code, String reason) {

    public enum Outcome { PERMIT, DENY }

    public static final Decision PERMIT = new Decision(Outcome.PERMIT, null, "");

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.DENY) != (code != null)) {
            throw new IllegalArgumentException("A denial needs a code, a permit has none");
        }
        reason = reason == null ? "" : reason;
    }

    public static Decision deny(final DenyCode code, final String reason) {
        return new Decision(Outcome.DENY, Objects.requireNonNull(code, "code"), reason);
    }

    public boolean permitted() {
        return outcome == Outcome.PERMIT;
    }

    /** The {@code publicdata.deny.reason} form, {@code CODE: reason}, e.g. {@code GRANT_EXPIRED: valid until ...}; empty for PERMIT. */
    public String denyReason() {
        return code == null ? "" : code.name() + ": " + reason;
    }

    @Override
    public String toString() {
        return permitted() ? outcome.name() : denyReason();
    }
}
