package io.publicdata.nifi.protect;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys by id, with the id of the key that protects new values. Older keys stay in the ring so that what they
 * protected can still be decrypted after a rotation. Immutable until {@link #destroy() destroyed}, when its key bytes are
 * overwritten with zeros and every later use fails; {@link #toString()} never shows key material.
 */
public final class KeyRing {

    private static final int MAX_KEY_ID_LENGTH = 64;

    private final Map<String, byte[]> keys;
    private final String activeKeyId;
    private volatile boolean destroyed;

    /**
     * @throws IllegalArgumentException when an id is malformed, a key is shorter than 16 bytes, or the active id
     *                                  names no key
     */
    public KeyRing(final Map<String, byte[]> keys, final String activeKeyId) {
        final Map<String, byte[]> copy = new TreeMap<>();
        keys.forEach((id, key) -> {
            if (!isKeyId(id)) {
                throw new IllegalArgumentException("Key id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (key.length < 16) {
                throw new IllegalArgumentException("Key '" + id + "' has " + key.length + " bytes; at least 16 are needed");
            }
            copy.put(id, key.clone());
        });
        if (!copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("Active key id '" + activeKeyId + "' names no key; keys: " + copy.keySet());
        }
        this.keys = copy;
        this.activeKeyId = activeKeyId;
    }

    /** Whether a text can be a key id: it is written in clear into ciphertexts and attributes. */
    public static boolean isKeyId(final String id) {
        return id != null && isKeyId(id, 0, id.length());
    }

    /**
     * Whether the characters from {@code start} to {@code end} can be a key id: 1 to 64 letters, digits, '.', '_' or
     * '-'. A loop rather than a regular expression: every value DecryptRecord reads that starts like a ciphertext asks.
     */
    static boolean isKeyId(final String text, final int start, final int end) {
        if (end - start < 1 || end - start > MAX_KEY_ID_LENGTH) {
            return false;
        }
        for (int i = start; i < end; i++) {
            final char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a key written as hexadecimal (32, 48 or 64 digits) or Base64 (standard or URL-safe).
     *
     * @throws IllegalArgumentException naming neither the key nor any part of it
     */
    public static byte[] decodeKey(final String text) {
        final String key = text.strip();
        if (key.matches("(?:[0-9a-fA-F]{2}){16,}")) {
            return HexFormat.of().parseHex(key);
        }
        try {
            return key.indexOf('-') >= 0 || key.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(key)
                    : Base64.getDecoder().decode(key);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("a key must be hexadecimal or Base64");
        }
    }

    /** The ids of every key in the ring, the active one included. */
    public Set<String> keyIds() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public byte[] activeKey() {
        requireLive();
        return keys.get(activeKeyId);
    }

    /** The key with this id; the caller must not modify it. */
    public Optional<byte[]> key(final String id) {
        requireLive();
        return Optional.ofNullable(keys.get(id));
    }

    /**
     * Overwrites every key with zeros; from then on a key asked for is an error, never a key of zeros. For whoever
     * holds the ring when its keys must go: a key provider being disabled, a processor being stopped.
     */
    public synchronized void destroy() {
        destroyed = true;
        keys.values().forEach(key -> Arrays.fill(key, (byte) 0));
    }

    /** A copy of the key with this id, for a caller that keeps it: never a copy taken while the ring is being destroyed. */
    public synchronized Optional<byte[]> copyOfKey(final String id) {
        return key(id).map(byte[]::clone);
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException("The keys were destroyed (the key provider was disabled or the processor stopped)");
        }
    }

    @Override
    public String toString() {
        return "KeyRing[ids=" + keys.keySet() + ", active=" + activeKeyId + "]";
    }
}
