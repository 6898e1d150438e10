package io.publicdata.nifi.grant;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * The signature algorithms a grant document may be signed with, each tied to one kind of key, so that a key
 * decides the algorithm and a document cannot choose a weaker one. All run on Bouncy Castle, used as a provider
 * instance and never installed into the JVM's provider list.
 */
public enum SignatureAlgorithm {

    /** SM2 over the sm2p256v1 curve with SM3 (GB/T 32918, GB/T 32905); signer ID: the GM/T 0009 default 1234567812345678. */
    SM2("SM3withSM2", "sm2p256v1", GMObjectIdentifiers.sm2p256v1),

    /** ECDSA over NIST P-256 (secp256r1) with SHA-256. */
    ECDSA_P256("SHA256withECDSA", "secp256r1", SECObjectIdentifiers.secp256r1),

    /** Ed25519 (RFC 8032). */
    ED25519("Ed25519", null, null);

    private static final Provider PROVIDER = new BouncyCastleProvider();

    private final String jcaName;
    private final String curve;
    private final ASN1ObjectIdentifier curveId;

    SignatureAlgorithm(final String jcaName, final String curve, final ASN1ObjectIdentifier curveId) {
        this.jcaName = jcaName;
        this.curve = curve;
        this.curveId = curveId;
    }

    /** The name documents carry in {@code signature.algorithm}, e.g. {@code SM3withSM2}. */
    public String jcaName() {
        return jcaName;
    }

    static Provider provider() {
        return PROVIDER;
    }

    /**
     * The algorithm for a public key.
     *
     * @throws IllegalArgumentException when the key is of no supported kind
     */
    public static SignatureAlgorithm of(final PublicKey key) {
        return of(SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm());
    }

    /**
     * The algorithm for a private key.
     *
     * @throws IllegalArgumentException when the key is of no supported kind
     */
    public static SignatureAlgorithm of(final PrivateKey key) {
        return of(PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm());
    }

    private static SignatureAlgorithm of(final AlgorithmIdentifier algorithm) {
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm.getAlgorithm())) {
            return ED25519;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            final ASN1Encodable parameters = algorithm.getParameters();
            for (final SignatureAlgorithm candidate : values()) {
                if (candidate.curveId != null && candidate.curveId.equals(parameters)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("Unsupported elliptic curve: use an SM2 (sm2p256v1) or P-256 (secp256r1) key, named by its curve");
        }
        throw new IllegalArgumentException("Unsupported key algorithm " + algorithm.getAlgorithm().getId() + ": use SM2, ECDSA P-256 or Ed25519");
    }

    /** A new key pair for this algorithm. */
    public KeyPair generateKeyPair() {
        try {
            if (curve == null) {
                return KeyPairGenerator.getInstance(jcaName, PROVIDER).generateKeyPair();
            }
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PROVIDER);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a " + this + " key pair", e);
        }
    }

    public byte[] sign(final PrivateKey key, final byte[] data) throws GeneralSecurityException {
        final Signature signature = Signature.getInstance(jcaName, PROVIDER);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    /** Whether the signature is valid; false also when it is malformed. */
    public boolean verify(final PublicKey key, final byte[] data, final byte[] signatureBytes) {
        try {
            final Signature signature = Signature.getInstance(jcaName, PROVIDER);
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(signatureBytes);
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
