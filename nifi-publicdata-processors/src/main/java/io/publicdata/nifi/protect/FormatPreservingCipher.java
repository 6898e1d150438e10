package io.publicdata.nifi.protect;

import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Format-preserving encryption (FPE) of the digits of a value with FF1 (NIST SP 800-38G) through Bouncy Castle's
 * FPEFF1Engine, over AES or SM4. Digits stay digits and the length is kept; every other character (the X of a
 * resident ID, the dashes of a phone number) stays in place. A value needs at least {@value #MINIMUM_DIGITS} digits
 * (FF1's domain of at least a million values). Thread-safe: engines are made per call.
 *
 * <p>Version 2 (written since 0.2.0) uses a key derived for FPE only ({@link KeyDerivation}) and a tweak that encodes
 * the whole {@link FieldCipher.Binding}: field path, context and record key. FF1 has no tag, so a value moved elsewhere
 * cannot be detected, but it decrypts to other digits and reveals nothing. Version 1 (0.1.0) used the provider's key
 * directly and the field path alone as the tweak; it is only decrypted.
 */
public final class FormatPreservingCipher {

    public static final int MINIMUM_DIGITS = 6;
    /** The version written into publicdata.protected for values of this class's current format. */
    public static final int VERSION = 2;

    private static final byte[] TWEAK_LABEL = "pd2-fpe".getBytes(StandardCharsets.US_ASCII);

    private final CipherAlgorithm algorithm;
    private final String keyId;
    private final byte[] key;
    private final int version;
    private volatile boolean destroyed;

    private FormatPreservingCipher(final CipherAlgorithm algorithm, final String keyId, final byte[] key, final int version) {
        final boolean validLength = algorithm == CipherAlgorithm.SM4_GCM ? key.length == 16 : key.length == 16 || key.length == 24 || key.length == 32;
        if (!validLength) {
            throw new ProtectionException("key '" + keyId + "' has " + key.length + " bytes, which FF1 over "
                    + (algorithm == CipherAlgorithm.SM4_GCM ? "SM4 cannot use (16 needed)" : "AES cannot use (16, 24 or 32 needed)"));
        }
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.key = key.clone();
        this.version = version;
    }

    /**
     * FPE of the current version: under the key derived for FF1 over this block cipher from the provider's key.
     *
     * @param inputKey the provider's key; not kept
     */
    public static FormatPreservingCipher derived(final CipherAlgorithm algorithm, final String keyId, final byte[] inputKey) {
        final byte[] key = KeyDerivation.derive(algorithm.kdfHash(), inputKey, KeyDerivation.Purpose.FPE, algorithm.ff1Name(), keyId,
                algorithm.keyLength());
        try {
            return new FormatPreservingCipher(algorithm, keyId, key, VERSION);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * FPE as 0.1.0 wrote it, to decrypt its values: the provider's key itself (AES: 16, 24 or 32 bytes; SM4: 16), the
     * field path as the tweak.
     *
     * @throws ProtectionException when the key does not fit the block cipher
     */
    public static FormatPreservingCipher legacy(final CipherAlgorithm algorithm, final String keyId, final byte[] inputKey) {
        return new FormatPreservingCipher(algorithm, keyId, inputKey, 1);
    }

    /** Overwrites the key with zeros; every later use fails. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    public String keyId() {
        return keyId;
    }

    public CipherAlgorithm algorithm() {
        return algorithm;
    }

    public int version() {
        return version;
    }

    public String encrypt(final FieldCipher.Binding binding, final String value) {
        if (version != VERSION) {
            throw new IllegalStateException("FPE of version " + version + " is only decrypted");
        }
        return process(true, binding, value);
    }

    public String decrypt(final FieldCipher.Binding binding, final String value) {
        return process(false, binding, value);
    }

    /** FF1 over raw symbols: exposed for the known-answer tests of SP 800-38G. */
    static byte[] ff1(final boolean encrypt, final CipherAlgorithm algorithm, final byte[] key, final int radix, final byte[] tweak, final byte[] symbols) {
        final FPEEngine engine = new FPEFF1Engine(algorithm.blockCipher());
        engine.init(encrypt, new FPEParameters(new KeyParameter(key), radix, tweak));
        final byte[] out = new byte[symbols.length];
        engine.processBlock(symbols, 0, symbols.length, out, 0);
        return out;
    }

    private byte[] tweak(final FieldCipher.Binding binding) {
        if (version == 1) {
            return binding.fieldPath().getBytes(StandardCharsets.UTF_8);
        }
        FieldCipher.requireContext(binding);
        return binding.encode(TWEAK_LABEL, algorithm.ff1Name(), keyId);
    }

    private String process(final boolean encrypt, final FieldCipher.Binding binding, final String value) {
        if (destroyed) {
            throw new ProtectionException("the FPE key was destroyed (the processor was stopped)");
        }
        final byte[] digits = new byte[value.length()];
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits[count++] = (byte) (c - '0');
            }
        }
        if (count < MINIMUM_DIGITS) {
            throw new ProtectionException("FPE needs at least " + MINIMUM_DIGITS + " digits, the value has " + count);
        }
        final byte[] result = ff1(encrypt, algorithm, key, 10, tweak(binding), Arrays.copyOf(digits, count));
        final char[] out = value.toCharArray();
        int next = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= '0' && out[i] <= '9') {
                out[i] = (char) ('0' + result[next++]);
            }
        }
        return new String(out);
    }
}
