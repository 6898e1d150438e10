package io.publicdata.nifi.services;

import io.publicdata.nifi.protect.KeyRing;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.controller.ControllerService;

/**
 * Provides the keys that ProtectRecord encrypts and pseudonymises with and DecryptRecord decrypts with. An
 * implementation may hold keys in sensitive properties, or fetch them from a key management system.
 */
@Tags({"key", "keys", "encryption", "public data", "密钥"})
@CapabilityDescription("Provides keys by id, and the id of the key that protects new values, to nifi-publicdata processors.")
public interface PublicDataKeyProvider extends ControllerService {

    /** The keys, as of now: each call may reflect a rotation. */
    KeyRing keyRing();
}
