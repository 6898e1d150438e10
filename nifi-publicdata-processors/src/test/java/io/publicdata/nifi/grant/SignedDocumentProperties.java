package io.publicdata.nifi.grant;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * What must hold for every input, not only for the examples: an attacker who changes any byte of a signed use request
 * or revocation list gets it refused, a request is usable exactly within its validity, and a list revokes exactly
 * the grants it names.
 */
class SignedDocumentProperties {

    private static final Map<SignatureAlgorithm, byte[]> REQUESTS = new EnumMap<>(SignatureAlgorithm.class);
    private static final Map<SignatureAlgorithm, byte[]> LISTS = new EnumMap<>(SignatureAlgorithm.class);
    private static final OffsetDateTime ISSUED = OffsetDateTime.parse("2025-06-01T09:00:00+08:00");
    private static final RevocationList LIST = new RevocationList("某市数据局", ISSUED, ISSUED.plusDays(7), List.of(
            new RevocationList.Entry("GR-2025-0001", "2", "超范围使用", ISSUED.minusDays(1))));

    private static synchronized byte[] signedRequest(final SignatureAlgorithm algorithm) {
        return REQUESTS.computeIfAbsent(algorithm, a -> {
            try {
                return UseRequestDocumentTest.signed(UseRequestDocumentTest.REQUEST, UseRequestDocumentTest.keys(a));
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static synchronized byte[] signedList(final SignatureAlgorithm algorithm) {
        return LISTS.computeIfAbsent(algorithm, a -> {
            try {
                final KeyPair keys = UseRequestDocumentTest.keys(a);
                return RevocationListDocument.sign(LIST, keys.getPrivate(), keys.getPublic());
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final Gen<SignatureAlgorithm> ALGORITHMS = arbitrary().enumValues(SignatureAlgorithm.class);
    private static final Gen<Integer> POSITIONS = integers().between(0, 100_000);
    private static final Gen<Byte> BYTES = integers().between(Byte.MIN_VALUE, Byte.MAX_VALUE).map(Integer::byteValue);
    /** A grant's or a revocation entry's serial: one of a few, or none. */
    private static final Gen<String> SERIALS = arbitrary().pick(Arrays.asList("1", "2", "3", null));

    private static byte[] replaced(final byte[] document, final int position, final byte value) {
        final byte[] tampered = document.clone();
        tampered[position % tampered.length] = value;
        return tampered;
    }

    /** Changing any one byte either leaves the signed content as it was (e.g. indentation) or is refused as a bad signature. */
    @Test
    void everyChangedByteOfASignedRequestIsRefusedOrChangesNothing() {
        qt().withExamples(2000).forAll(ALGORITHMS, POSITIONS, BYTES)
                .assuming((algorithm, position, value) -> signedRequest(algorithm)[position % signedRequest(algorithm).length] != value)
                .checkAssert((algorithm, position, value) -> {
                    final PublicKey grantee = UseRequestDocumentTest.keys(algorithm).getPublic();
                    try {
                        assertEquals(UseRequestDocumentTest.REQUEST,
                                UseRequestDocument.verify(replaced(signedRequest(algorithm), position, value), List.of(grantee)));
                    } catch (final GrantException e) {
                        assertEquals(DenyCode.REQUEST_SIGNATURE_INVALID, e.code(), e.getMessage());
                    }
                });
    }

    @Test
    void everyChangedByteOfASignedRevocationListIsRefusedOrChangesNothing() {
        qt().withExamples(1000).forAll(ALGORITHMS, POSITIONS, BYTES)
                .assuming((algorithm, position, value) -> signedList(algorithm)[position % signedList(algorithm).length] != value)
                .checkAssert((algorithm, position, value) -> {
                    try {
                        assertEquals(LIST, RevocationListDocument.verify(replaced(signedList(algorithm), position, value),
                                UseRequestDocumentTest.keys(algorithm).getPublic()));
                    } catch (final GrantException e) {
                        assertEquals(DenyCode.REVOCATION_LIST_INVALID, e.code(), e.getMessage());
                    }
                });
    }

    /** A request is usable from its issue (less the clock skew) until, not at, its end, and never when valid for longer than allowed. */
    @Test
    void aRequestIsUsableExactlyWithinItsValidity() {
        qt().withExamples(2000).forAll(integers().between(1, 240), integers().between(1, 240), integers().between(-20_000, 20_000))
                .checkAssert(SignedDocumentProperties::usableExactlyWithinItsValidity);
    }

    private static void usableExactlyWithinItsValidity(final int validMinutes, final int maximumMinutes, final int usedSeconds) {
        final UseRequest request = new UseRequest("RQ-1", "GR-1", "G", List.of("D"), "P", "公益事业", null, null, List.of(), ISSUED,
                ISSUED.plusMinutes(validMinutes));
        final Instant at = ISSUED.toInstant().plusSeconds(usedSeconds);
        final Decision decision = request.checkTime(at, Duration.ofMinutes(maximumMinutes));
        final boolean usable = validMinutes <= maximumMinutes && !at.isBefore(ISSUED.toInstant().minus(UseRequest.CLOCK_SKEW))
                && at.isBefore(request.validUntil().toInstant());
        assertEquals(usable, decision.permitted(), decision.toString());
        if (!usable) {
            assertTrue(decision.code().name().startsWith("REQUEST_"), decision.toString());
        }
    }

    /**
     * A current list revokes a grant exactly when an entry names its id with its serial, no serial, or the grant has
     * none; a stale list denies every grant, named or not.
     */
    @Test
    void aListRevokesExactlyTheGrantsItNames() {
        qt().withExamples(2000).forAll(SERIALS, SERIALS, booleans().all(), integers().between(0, 10))
                .checkAssert(SignedDocumentProperties::revokesExactlyTheGrantsItNames);
    }

    private static void revokesExactlyTheGrantsItNames(final String grantSerial, final String entrySerial, final boolean sameId,
                                                       final int usedDays) {
        final GrantBuilder builder = GrantBuilder.grant();
        final Grant plain = builder.build();
        final Grant grant = new Grant(plain.id(), plain.issuer(), plain.grantee(), plain.mode(), plain.domains(), plain.scenarios(), plain.purposes(),
                plain.datasets(), plain.permittedFields(), plain.maximumGrade(), plain.requiredProtection(), plain.validFrom(), plain.validUntil(),
                plain.status(), plain.pricing(), grantSerial, List.of());
        final RevocationList list = new RevocationList("某市数据局", ISSUED, ISSUED.plusDays(7), List.of(
                new RevocationList.Entry(sameId ? grant.id() : "GR-OTHER", entrySerial, null, ISSUED)));
        final Decision decision = list.check(grant, ISSUED.toInstant().plus(Duration.ofDays(usedDays)));
        if (usedDays >= 7) {
            assertEquals(DenyCode.REVOCATION_LIST_STALE, decision.code());
        } else if (sameId && (entrySerial == null || grantSerial == null || entrySerial.equals(grantSerial))) {
            assertEquals(DenyCode.GRANT_REVOKED, decision.code());
        } else {
            assertTrue(decision.permitted(), decision.toString());
        }
    }
}
