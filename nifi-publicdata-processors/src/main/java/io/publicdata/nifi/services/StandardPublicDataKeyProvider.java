package io.publicdata.nifi.services;

import io.publicdata.nifi.processors.ProtectRecord;
import io.publicdata.nifi.protect.KeyRing;
import org.apache.nifi.annotation.behavior.DynamicProperty;
import org.apache.nifi.annotation.behavior.SupportsSensitiveDynamicProperties;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnDisabled;
import org.apache.nifi.annotation.lifecycle.OnEnabled;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.reporting.InitializationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@Tags({"key", "keys", "encryption", "rotation", "AES", "SM4", "public data", "密钥", "脱敏与加密"})
@CapabilityDescription("Holds the keys of nifi-publicdata's field protection in sensitive properties: one dynamic property "
        + "'key.<id>' per key (hexadecimal or Base64; 32 bytes for AES-256-GCM, 16 for SM4-GCM), and the Active Key ID that "
        + "protects new values. Keep a retired key's property after a rotation: values it protected still decrypt.")
@SeeAlso({ProtectRecord.class})
@SupportsSensitiveDynamicProperties
@DynamicProperty(name = "key.<id>", value = "The key, hexadecimal or Base64", expressionLanguageScope = ExpressionLanguageScope.NONE,
        description = "A key, by id (letters, digits, '.', '_' or '-'). Sensitive: never shown, logged or written to provenance.")
public class StandardPublicDataKeyProvider extends AbstractControllerService implements PublicDataKeyProvider {

    static final String KEY_PREFIX = "key.";

    public static final PropertyDescriptor ACTIVE_KEY_ID = new PropertyDescriptor.Builder()
            .name("Active Key ID")
            .description("The id of the key (a 'key.<id>' property) that protects new values. Older keys stay for decryption.")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    private static final Validator KEY = (subject, input, context) -> {
        String problem = null;
        if (!KeyRing.isKeyId(subject.substring(KEY_PREFIX.length()))) {
            problem = "the id after 'key.' must be 1 to 64 letters, digits, '.', '_' or '-'";
        } else {
            try {
                final int length = KeyRing.decodeKey(input).length;
                if (length != 16 && length != 24 && length != 32) {
                    problem = "the key has " + length + " bytes; 16, 24 or 32 are needed";
                }
            } catch (final IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        return new ValidationResult.Builder().subject(subject).valid(problem == null).explanation(problem).build();
    };

    private volatile KeyRing keyRing;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return List.of(ACTIVE_KEY_ID);
    }

    @Override
    protected PropertyDescriptor getSupportedDynamicPropertyDescriptor(final String propertyDescriptorName) {
        if (!propertyDescriptorName.startsWith(KEY_PREFIX)) {
            return new PropertyDescriptor.Builder().name(propertyDescriptorName).dynamic(true)
                    .addValidator((subject, input, context) -> new ValidationResult.Builder().subject(subject).valid(false)
                            .explanation("only key.<id> properties are supported").build())
                    .build();
        }
        return new PropertyDescriptor.Builder()
                .name(propertyDescriptorName)
                .description("Key '" + propertyDescriptorName.substring(KEY_PREFIX.length()) + "'")
                .dynamic(true)
                .sensitive(true)
                .required(false)
                .addValidator(KEY)
                .expressionLanguageSupported(ExpressionLanguageScope.NONE)
                .build();
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        final String active = context.getProperty(ACTIVE_KEY_ID).getValue();
        if (active != null && !context.getProperties().containsKey(new PropertyDescriptor.Builder().name(KEY_PREFIX + active.strip()).build())) {
            results.add(new ValidationResult.Builder().subject(ACTIVE_KEY_ID.getName()).valid(false)
                    .explanation("there is no property 'key." + active.strip() + "' holding the active key").build());
        }
        return results;
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) throws InitializationException {
        final Map<String, byte[]> keys = new HashMap<>();
        context.getProperties().forEach((descriptor, value) -> {
            if (descriptor.isDynamic() && descriptor.getName().startsWith(KEY_PREFIX) && value != null) {
                keys.put(descriptor.getName().substring(KEY_PREFIX.length()), KeyRing.decodeKey(value));
            }
        });
        try {
            keyRing = new KeyRing(keys, context.getProperty(ACTIVE_KEY_ID).getValue().strip());
        } catch (final IllegalArgumentException e) {
            throw new InitializationException(e.getMessage());
        } finally {
            // The ring holds its own copies
            keys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
        getLogger().info("Enabled with key ids {}, active key '{}'", keys.keySet(), keyRing.activeKeyId());
    }

    /** Zeroes the keys: a disabled provider keeps no key in memory (NiFi stops every processor using it first). */
    @OnDisabled
    public void onDisabled() {
        final KeyRing ring = keyRing;
        keyRing = null;
        if (ring != null) {
            ring.destroy();
        }
    }

    @Override
    public String activeKeyId() {
        return enabledKeyRing().activeKeyId();
    }

    @Override
    public Set<String> keyIds() {
        return enabledKeyRing().keyIds();
    }

    @Override
    public Optional<byte[]> key(final String keyId) {
        return enabledKeyRing().copyOfKey(keyId);
    }

    private KeyRing enabledKeyRing() {
        final KeyRing ring = keyRing;
        if (ring == null || ring.isDestroyed()) {
            throw new IllegalStateException("The key provider is not enabled");
        }
        return ring;
    }
}
