package io.publicdata.nifi.grant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A revocation list (吊销清单) signed by the data authority ({@link RevocationListDocument}): the grants it revoked,
 * and when it will publish the next list. A grant on the list is denied whatever its own document says; a list past
 * its next update denies every use, since nobody can tell what was revoked since (fail closed).
 *
 * @param issuer     the authority that issued it, e.g. 某市数据局
 * @param issuedAt   when it was issued
 * @param nextUpdate when the next list is due; this one is stale from then on
 * @param revoked    the revoked grants
 */
public record RevocationList(String issuer, OffsetDateTime issuedAt, OffsetDateTime nextUpdate, List<Entry> revoked) {

    /**
     * A revoked grant.
     *
     * @param grantId   the grant's id
     * @param serial    the serial revoked; null revokes every serial of the grant id
     * @param reason    why, in words; may be null
     * @param revokedAt when it was revoked
     */
    public record Entry(String grantId, String serial, String reason, OffsetDateTime revokedAt) {
        public Entry {
            if (grantId == null || grantId.isBlank()) {
                throw new IllegalArgumentException("A revocation entry needs a grantId");
            }
            grantId = grantId.strip();
            serial = serial == null || serial.isBlank() ? null : serial.strip();
            reason = reason == null || reason.isBlank() ? null : reason.strip();
            if (revokedAt == null) {
                throw new IllegalArgumentException("A revocation entry needs revokedAt");
            }
        }

        /**
         * Whether this entry revokes the grant: same id, and the same serial unless either has none (an entry without
         * serial revokes every issue of the grant; a grant without serial is revoked by any entry of its id).
         */
        public boolean revokes(final Grant grant) {
            return grantId.equals(grant.id()) && (serial == null || grant.serial() == null || serial.equals(grant.serial()));
        }
    }

    /**
     * @throws IllegalArgumentException saying what is wrong
     */
    public RevocationList {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("A revocation list needs an issuer");
        }
        issuer = issuer.strip();
        if (issuedAt == null || nextUpdate == null) {
            throw new IllegalArgumentException("A revocation list needs issuedAt and nextUpdate, ISO-8601 with an offset");
        }
        if (!issuedAt.toInstant().isBefore(nextUpdate.toInstant())) {
            throw new IllegalArgumentException("The revocation list's issuedAt " + Times.format(issuedAt) + " must be before its nextUpdate "
                    + Times.format(nextUpdate));
        }
        revoked = List.copyOf(revoked == null ? List.of() : revoked);
    }

    /** Whether the grant may be used at this instant as far as this list can tell. */
    public Decision check(final Grant grant, final Instant at) {
        if (!at.isBefore(nextUpdate.toInstant())) {
            return Decision.deny(DenyCode.REVOCATION_LIST_STALE, "the revocation list of " + issuer + " issued at " + Times.format(issuedAt)
                    + " was due to be replaced by " + Times.format(nextUpdate) + ", used at " + Times.format(at, nextUpdate)
                    + ": without a current list every use is denied");
        }
        for (final Entry entry : revoked) {
            if (entry.revokes(grant)) {
                return Decision.deny(DenyCode.GRANT_REVOKED, "grant " + grant.id() + (grant.serial() == null ? "" : " serial " + grant.serial())
                        + " is on the revocation list of " + issuer + " since " + Times.format(entry.revokedAt())
                        + (entry.reason() == null ? "" : ": " + entry.reason()));
            }
        }
        return Decision.PERMIT;
    }
}
