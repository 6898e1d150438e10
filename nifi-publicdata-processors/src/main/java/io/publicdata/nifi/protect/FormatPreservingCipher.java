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
 * resident ID, the dashes of a phone number) stays in place. The tweak is the field path, so the same number
 * encrypts differently in two fields. A value needs at least {@value #MINIMUM_DIGITS} digits (FF1's domain of at
 * least a million values). Thread-safe: engines are made per call.
 */
public final class FormatPreservingCipher {

    public static final int MINIMUM_DIGITS = 6;

    private final CipherAlgorithm algorithm;
    private final String keyId;
    private final byte[] key;

    /**
     * @param algorithm the block cipher under FF1 (AES takes a 16-, 24- or 32-byte key, SM4 a 16-byte key)
     */
    public FormatPreservingCipher(final CipherAlgorithm algorithm, final String keyId, final byte[] key) {
        final boolean validLength = algorithm == CipherAlgorithm.SM4_GCM ? key.length == 16 : key.length == 16 || key.length == 24 || key.length == 32;
        if (!validLength) {
            throw new ProtectionException("key '" + keyId + "' has " + key.length + " bytes, which FF1 over "
                    + (algorithm == CipherAlgorithm.SM4_GCM ? "SM4 cannot use (16 needed)" : "AES cannot use (16, 24 or 32 needed)"));
        }
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.key = key.clone();
    }

    public String keyId() {
        return keyId;
    }

    public String encrypt(final String fieldPath, final String value) {
        return process(true, fieldPath, value);
    }

    public String decrypt(final String fieldPath, final String value) {
        return process(false, fieldPath, value);
    }

    /** FF1 over raw symbols: exposed for the known-answer tests of SP 800-38G. */
    static byte[] ff1(final boolean encrypt, final CipherAlgorithm algorithm, final byte[] key, final int radix, final byte[] tweak, final byte[] symbols) {
        final FPEEngine engine = new FPEFF1Engine(algorithm.blockCipher());
        engine.init(encrypt, new FPEParameters(new KeyParameter(key), radix, tweak));
        final byte[] out = new byte[symbols.length];
        engine.processBlock(symbols, 0, symbols.length, out, 0);
        return out;
    }

    private String process(final boolean encrypt, final String fieldPath, final String value) {
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
        final byte[] result = ff1(encrypt, algorithm, key, 10, fieldPath.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(digits, count));
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
