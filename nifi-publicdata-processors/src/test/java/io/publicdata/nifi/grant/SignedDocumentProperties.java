package io.publicdata.nifi.grant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static byte[] replaced(final byte[] document, final int position, final byte value) {
        final byte[] tampered = document.clone();
        tampered[position % tampered.length] = value;
        return tampered;
    }

    /** Changing any one byte either leaves the signed content as it was (e.g. indentation) or is refused as a bad signature. */
    @Property(tries = 2000)
    void everyChangedByteOfASignedRequestIsRefusedOrChangesNothing(@ForAll final SignatureAlgorithm algorithm,
                                                                  @ForAll @IntRange(min = 0, max = 100_000) final int position,
                                                                  @ForAll final byte value) {
        final byte[] document = signedRequest(algorithm);
        Assume.that(document[position % document.length] != value);
        final PublicKey grantee = UseRequestDocumentTest.keys(algorithm).getPublic();
        try {
            assertEquals(UseRequestDocumentTest.REQUEST, UseRequestDocument.verify(replaced(document, position, value), List.of(grantee)));
        } catch (final GrantException e) {
            assertEquals(DenyCode.REQUEST_SIGNATURE_INVALID, e.code(), e.getMessage());
        }
    }

    @Property(tries = 1000)
    void everyChangedByteOfASignedRevocationListIsRefusedOrChangesNothing(@ForAll final SignatureAlgorithm algorithm,
                                                                         @ForAll @IntRange(min = 0, max = 100_000) final int position,
                                                                         @ForAll final byte value) {
        final byte[] document = signedList(algorithm);
        Assume.that(document[position % document.length] != value);
        try {
            assertEquals(LIST, RevocationListDocument.verify(replaced(document, position, value), UseRequestDocumentTest.keys(algorithm).getPublic()));
        } catch (final GrantException e) {
            assertEquals(DenyCode.REVOCATION_LIST_INVALID, e.code(), e.getMessage());
        }
    }

    /** A request is usable from its issue (less the clock skew) until, not at, its end, and never when valid for longer than allowed. */
    @Property(tries = 2000)
    void aRequestIsUsableExactlyWithinItsValidity(@ForAll @IntRange(min = 1, max = 240) final int validMinutes,
                                                  @ForAll @IntRange(min = 1, max = 240) final int maximumMinutes,
                                                  @ForAll @IntRange(min = -20_000, max = 20_000) final int usedSeconds) {
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

    @Provide
    Arbitrary<String> serials() {
        return Arbitraries.of("1", "2", "3").injectNull(0.3);
    }

    /**
     * A current list revokes a grant exactly when an entry names its id with its serial, no serial, or the grant has
     * none; a stale list denies every grant, named or not.
     */
    @Property(tries = 2000)
    void aListRevokesExactlyTheGrantsItNames(@ForAll("serials") final String grantSerial, @ForAll("serials") final String entrySerial,
                                             @ForAll final boolean sameId, @ForAll @IntRange(min = 0, max = 10) final int usedDays) {
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
