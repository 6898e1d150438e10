package io.publicdata.nifi.services;

import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.controller.ControllerService;

import java.util.Optional;
import java.util.Set;

/**
 * Provides the keys that ProtectRecord encrypts, pseudonymises and FPE-protects with and DecryptRecord decrypts with.
 * An implementation may hold keys in sensitive properties or fetch them from a key management system. It speaks in
 * JDK types only, so that a NAR with this API NAR as its parent can implement it without nifi-publicdata's classes.
 */
@Tags({"key", "keys", "encryption", "public data", "密钥"})
@CapabilityDescription("Provides keys by id, and the id of the key that protects new values, to nifi-publicdata processors.")
public interface PublicDataKeyProvider extends ControllerService {

    /**
     * The id of the key that protects new values: 1 to 64 letters, digits, '.', '_' or '-'. Ids are written in clear
     * into ciphertexts and attributes, so they must not say anything secret.
     */
    String activeKeyId();

    /** The ids of every key that values may have been protected with, the active one included. */
    Set<String> keyIds();

    /**
     * The key with this id: a new copy on each call, which the caller should overwrite with zeros once it has derived
     * what it needs. Empty when there is no key with this id.
     */
    Optional<byte[]> key(String keyId);
}
