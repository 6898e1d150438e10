package io.publicdata.nifi.protect;

/**
 * A value could not be protected or recovered. The message names the field and the cause, never the value or a key,
 * so that it can go to attributes and logs.
 */
public class ProtectionException extends RuntimeException {

    public ProtectionException(final String message) {
        super(message);
    }
}
