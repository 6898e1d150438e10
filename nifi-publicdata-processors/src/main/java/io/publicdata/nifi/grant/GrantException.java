package io.publicdata.nifi.grant;

import java.util.Objects;

/**
 * A grant that cannot be used at all: its document does not verify ({@link DenyCode#SIGNATURE_INVALID}) or its
 * content is invalid ({@link DenyCode#GRANT_INVALID}). Every use of it is denied with this code and message.
 */
public final class GrantException extends Exception {

    private final DenyCode code;

    public GrantException(final DenyCode code, final String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public GrantException(final DenyCode code, final String message, final Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public DenyCode code() {
        return code;
    }

    /** The denial every use of this grant gets. */
    public Decision decision() {
        return Decision.deny(code, getMessage());
    }
}
