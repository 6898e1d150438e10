package io.publicdata.nifi.grant;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes the PEM keys of grant signing: an issuer's public key as {@code PUBLIC KEY} (or the
 * {@code CERTIFICATE} that carries it; the certificate is not validated, only its key is used) and a private key as
 * PKCS#8 {@code PRIVATE KEY} (or OpenSSL's {@code EC PRIVATE KEY}). Only SM2, P-256 and Ed25519 keys are accepted.
 */
public final class PemKeys {

    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter().setProvider(SignatureAlgorithm.provider());

    private PemKeys() {
    }

    /**
     * @throws IllegalArgumentException when the text holds no supported public key
     */
    public static PublicKey readPublicKey(final String pem) {
        final Object object = readObject(pem);
        try {
            final SubjectPublicKeyInfo info = switch (object) {
                case SubjectPublicKeyInfo key -> key;
                case X509CertificateHolder certificate -> certificate.getSubjectPublicKeyInfo();
                case PEMKeyPair pair -> throw new IllegalArgumentException("This is a private key: give the issuer's public key");
                case PrivateKeyInfo key -> throw new IllegalArgumentException("This is a private key: give the issuer's public key");
                default -> throw new IllegalArgumentException("No public key in the PEM text (found " + object.getClass().getSimpleName() + ")");
            };
            final PublicKey key = CONVERTER.getPublicKey(info);
            SignatureAlgorithm.of(key);
            return key;
        } catch (final IOException e) {
            throw new IllegalArgumentException("Unreadable public key: " + e.getMessage(), e);
        }
    }

    /**
     * Every public key of a PEM text with one or more {@code PUBLIC KEY} (or {@code CERTIFICATE}) blocks, e.g. a
     * grantee's keys.
     *
     * @throws IllegalArgumentException when a block holds no supported public key, or there is no block
     */
    public static List<PublicKey> readPublicKeys(final String pem) {
        final List<PublicKey> keys = new ArrayList<>();
        final String text = pem == null ? "" : pem;
        int start = text.indexOf("-----BEGIN ");
        while (start >= 0) {
            final int end = text.indexOf("-----END ", start);
            final int close = end < 0 ? -1 : text.indexOf("-----", end + "-----END ".length());
            if (close < 0) {
                throw new IllegalArgumentException("Malformed PEM text: a block has no END line");
            }
            keys.add(readPublicKey(text.substring(start, close + "-----".length())));
            start = text.indexOf("-----BEGIN ", close);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No PEM block found: expected -----BEGIN PUBLIC KEY----- or similar");
        }
        return keys;
    }

    /**
     * A public key as a grant names it: the base64 of its DER SubjectPublicKeyInfo (the body of a PEM
     * {@code PUBLIC KEY} block, on one line).
     */
    public static String encode(final PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Reads a public key written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the text is not the base64 of a supported key
     */
    public static PublicKey decode(final String base64) {
        final byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("A public key must be the base64 of its DER SubjectPublicKeyInfo (a PEM body on one line)");
        }
        try {
            final PublicKey key = CONVERTER.getPublicKey(SubjectPublicKeyInfo.getInstance(der));
            SignatureAlgorithm.of(key);
            return key;
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a supported public key (SM2, ECDSA P-256 or Ed25519): " + e.getMessage());
        }
    }

    /**
     * @throws IllegalArgumentException when the text holds no supported, unencrypted private key
     */
    public static PrivateKey readPrivateKey(final String pem) {
        final Object object = readObject(pem);
        try {
            final PrivateKey key = switch (object) {
                case PrivateKeyInfo info -> CONVERTER.getPrivateKey(info);
                case PEMKeyPair pair -> CONVERTER.getKeyPair(pair).getPrivate();
                default -> throw new IllegalArgumentException("No unencrypted private key in the PEM text (found "
                        + object.getClass().getSimpleName() + "); decrypt it first, e.g. openssl pkcs8 -topk8 -nocrypt");
            };
            SignatureAlgorithm.of(key);
            return key;
        } catch (final IOException e) {
            throw new IllegalArgumentException("Unreadable private key: " + e.getMessage(), e);
        }
    }

    private static Object readObject(final String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            final Object object = parser.readObject();
            if (object == null) {
                throw new IllegalArgumentException("No PEM block found: expected -----BEGIN PUBLIC KEY----- or similar");
            }
            return object;
        } catch (final IOException e) {
            throw new IllegalArgumentException("Malformed PEM text: " + e.getMessage(), e);
        }
    }

    public static String writePublicKey(final PublicKey key) {
        return write(key);
    }

    /** The key as unencrypted PKCS#8 PEM ({@code PRIVATE KEY}). */
    public static String writePrivateKey(final PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(final Object object) {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The key's identifier: {@code sha256:} and the hex SHA-256 of its DER SubjectPublicKeyInfo. */
    public static String keyId(final PublicKey key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
