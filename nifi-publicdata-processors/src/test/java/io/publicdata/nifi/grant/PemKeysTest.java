package io.publicdata.nifi.grant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemKeysTest {

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void keysRoundTripThroughPem(final SignatureAlgorithm algorithm) throws Exception {
        final KeyPair keys = algorithm.generateKeyPair();
        final String publicPem = PemKeys.writePublicKey(keys.getPublic());
        final String privatePem = PemKeys.writePrivateKey(keys.getPrivate());
        assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----"));
        assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----"));
        assertArrayEquals(keys.getPublic().getEncoded(), PemKeys.readPublicKey(publicPem).getEncoded());
        assertEquals(algorithm, SignatureAlgorithm.of(PemKeys.readPrivateKey(privatePem)));
        assertEquals(algorithm, SignatureAlgorithm.of(PemKeys.readPublicKey(publicPem)));
        final byte[] data = "grant".getBytes();
        assertTrue(algorithm.verify(PemKeys.readPublicKey(publicPem), data, algorithm.sign(PemKeys.readPrivateKey(privatePem), data)));
    }

    /** OpenSSL writes EC private keys in its traditional SEC1 form ({@code openssl ecparam -genkey}). */
    @Test
    void readsOpenSslTraditionalEcPrivateKeys() throws Exception {
        final KeyPair keys = SignatureAlgorithm.ECDSA_P256.generateKeyPair();
        final StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(keys.getPrivate());
        }
        assertTrue(pem.toString().startsWith("-----BEGIN EC PRIVATE KEY-----"), pem.toString());
        final byte[] data = "grant".getBytes();
        assertTrue(SignatureAlgorithm.ECDSA_P256.verify(keys.getPublic(), data,
                SignatureAlgorithm.ECDSA_P256.sign(PemKeys.readPrivateKey(pem.toString()), data)));
    }

    @Test
    void refusesWhatIsNotASupportedPublicKey() throws Exception {
        final KeyPair sm2 = SignatureAlgorithm.SM2.generateKeyPair();
        assertEquals("This is a private key: give the issuer's public key",
                assertThrows(IllegalArgumentException.class, () -> PemKeys.readPublicKey(PemKeys.writePrivateKey(sm2.getPrivate()))).getMessage());
        assertEquals("No PEM block found: expected -----BEGIN PUBLIC KEY----- or similar",
                assertThrows(IllegalArgumentException.class, () -> PemKeys.readPublicKey("not a key")).getMessage());
        final KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertEquals("Unsupported key algorithm 1.2.840.113549.1.1.1: use SM2, ECDSA P-256 or Ed25519",
                assertThrows(IllegalArgumentException.class, () -> PemKeys.readPublicKey(PemKeys.writePublicKey(rsa.generateKeyPair().getPublic()))).getMessage());
        final KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(384);
        assertEquals("Unsupported elliptic curve: use an SM2 (sm2p256v1) or P-256 (secp256r1) key, named by its curve",
                assertThrows(IllegalArgumentException.class, () -> PemKeys.readPublicKey(PemKeys.writePublicKey(p384.generateKeyPair().getPublic()))).getMessage());
    }
}
