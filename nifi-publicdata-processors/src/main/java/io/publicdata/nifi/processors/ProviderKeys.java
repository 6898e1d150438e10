package io.publicdata.nifi.processors;

import io.publicdata.nifi.protect.KeyRing;
import io.publicdata.nifi.services.PublicDataKeyProvider;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Turns what a key provider offers (key bytes by id, the active id) into the core's key ring. */
final class ProviderKeys {

    private ProviderKeys() {
    }

    /**
     * A key ring holding every key of the provider, as of now.
     *
     * @throws IllegalStateException when the provider lists a key id it then cannot provide, or its keys do not form
     *                               a valid ring (the message names ids, never key material)
     */
    static KeyRing keyRing(final PublicDataKeyProvider provider) {
        final Map<String, byte[]> keys = new HashMap<>();
        try {
            for (final String id : provider.keyIds()) {
                keys.put(id, provider.key(id).orElseThrow(() ->
                        new IllegalStateException("The key provider lists key id '" + id + "' but provides no key for it")));
            }
            return new KeyRing(keys, provider.activeKeyId());
        } catch (final IllegalArgumentException e) {
            throw new IllegalStateException("The key provider's keys do not form a key ring: " + e.getMessage(), e);
        } finally {
            // The ring holds its own copies; the provider's copies are not needed any more
            keys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
    }
}
