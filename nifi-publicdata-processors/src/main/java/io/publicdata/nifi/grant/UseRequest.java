package io.publicdata.nifi.grant;

import io.publicdata.nifi.path.FieldPath;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A use request (用途申请): the grantee asks, under a grant, to use named datasets for a purpose, in a domain or
 * scenario, for a short time. Signed by the grantee with a key the grant names ({@link UseRequestDocument}), it is
 * the accountable use context: the grantee cannot later deny it, and nobody else can make one. Immutable; the
 * constructor refuses a request that no grant could accept.
 *
 * @param id              the request's identifier, unique per grantee, e.g. {@code RQ-2025-06-01-0001}; a second use is a replay
 * @param grantId         the grant it is made under
 * @param grantee         who makes it: the grant's grantee
 * @param datasets        the catalog ids (资源目录编号) it asks for, at least one
 * @param purpose         the purpose of the use
 * @param purposeCategory the category of the purpose ({@link PurposeCategory}: 公共治理, 公益事业, 产业发展, 行业发展)
 * @param domain          the domain (领域) of the use; may be null
 * @param scenario        the application scenario (场景) of the use; may be null
 * @param fields          the field paths it asks for (plain paths, no wildcards); empty for all the grant permits
 * @param issuedAt        when it was made
 * @param validUntil      the end of its validity, exclusive
 */
public record UseRequest(String id, String grantId, String grantee, List<String> datasets, String purpose, String purposeCategory,
                         String domain, String scenario, List<String> fields, OffsetDateTime issuedAt, OffsetDateTime validUntil) {

    /** How far a request's issue time may lie ahead of the receiver's clock. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * @throws IllegalArgumentException saying what is wrong
     */
    public UseRequest {
        id = required(id, "id");
        grantId = required(grantId, "grantId");
        grantee = required(grantee, "grantee");
        purpose = required(purpose, "purpose");
        purposeCategory = required(purposeCategory, "purposeCategory");
        if (PurposeCategory.find(purposeCategory).isEmpty()) {
            // A category nothing can check against the grant's pricing is not signed, nor accepted
            throw new IllegalArgumentException("The use request's purposeCategory '" + purposeCategory + "' is not one of " + PurposeCategory.listing());
        }
        domain = optional(domain, "domain");
        scenario = optional(scenario, "scenario");
        datasets = names(datasets, "datasets");
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("A use request must name at least one dataset (资源目录编号)");
        }
        fields = names(fields, "fields");
        for (final String field : fields) {
            if (!isPlainPath(field)) {
                throw new IllegalArgumentException("Requested field '" + field + "' must be a plain field path such as /applicant/name "
                        + "(no wildcards: a request names the fields it asks for)");
            }
        }
        if (issuedAt == null || validUntil == null) {
            throw new IllegalArgumentException("A use request needs issuedAt and validUntil, ISO-8601 with an offset");
        }
        if (!issuedAt.toInstant().isBefore(validUntil.toInstant())) {
            throw new IllegalArgumentException("The use request's issuedAt " + Times.format(issuedAt) + " must be before its validUntil "
                    + Times.format(validUntil));
        }
    }

    private static boolean isPlainPath(final String field) {
        try {
            final FieldPath parsed = FieldPath.parse(field);
            return !parsed.isRoot() && parsed.isFieldNamesOnly();
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private static String required(final String value, final String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A use request needs a non-blank " + name);
        }
        return value.strip();
    }

    private static String optional(final String value, final String name) {
        return value == null ? null : required(value, name);
    }

    private static List<String> names(final List<String> values, final String name) {
        if (values == null) {
            return List.of();
        }
        final Set<String> seen = new HashSet<>();
        return values.stream().map(value -> {
            final String stripped = required(value, "entry in " + name);
            if (!seen.add(stripped)) {
                throw new IllegalArgumentException("The use request's " + name + " list '" + stripped + "' twice");
            }
            return stripped;
        }).toList();
    }

    /**
     * Whether the request may be used at this instant: issued (give or take {@link #CLOCK_SKEW}), not expired, and
     * valid for no longer than the receiver allows, which bounds how long it must be remembered against replays.
     */
    public Decision checkTime(final Instant at, final Duration maximumValidity) {
        if (Duration.between(issuedAt.toInstant(), validUntil.toInstant()).compareTo(maximumValidity) > 0) {
            return Decision.deny(DenyCode.REQUEST_INVALID, "request " + id + " is valid from " + Times.format(issuedAt) + " until "
                    + Times.format(validUntil) + ", longer than the " + maximumValidity + " this processor accepts");
        }
        if (at.isBefore(issuedAt.toInstant().minus(CLOCK_SKEW))) {
            return Decision.deny(DenyCode.REQUEST_NOT_YET_VALID, "request " + id + " is issued at " + Times.format(issuedAt)
                    + ", used at " + Times.format(at, issuedAt));
        }
        if (!at.isBefore(validUntil.toInstant())) {
            return Decision.deny(DenyCode.REQUEST_EXPIRED, "request " + id + " was valid until " + Times.format(validUntil)
                    + " (exclusive), used at " + Times.format(at, validUntil));
        }
        return Decision.PERMIT;
    }

    /**
     * Whether the request lies inside the grant: made under it, for datasets it covers, asking only for fields it
     * permits. The grantee, domain, scenario and purpose are checked as the use context ({@link GrantScope#checkUseContext}).
     */
    public Decision checkInside(final GrantScope scope) {
        final Grant grant = scope.grant();
        if (!grantId.equals(grant.id())) {
            return Decision.deny(DenyCode.REQUEST_OUT_OF_SCOPE, "request " + id + " is made under grant " + grantId + ", not under " + grant.id());
        }
        if (!grant.datasets().contains(Grant.ANY)) {
            for (final String dataset : datasets) {
                if (!grant.datasets().contains(dataset)) {
                    return Decision.deny(DenyCode.DATASET_NOT_GRANTED, "request " + id + " asks for dataset '" + dataset
                            + "', which is not granted; the grant covers " + grant.datasets());
                }
            }
        }
        for (final String field : fields) {
            if (scope.permittedFields().access(FieldPath.parse(field)) != PermittedFields.Access.ALL) {
                return Decision.deny(DenyCode.REQUEST_OUT_OF_SCOPE, "request " + id + " asks for field " + field
                        + ", which the grant does not permit");
            }
        }
        return Decision.PERMIT;
    }

    /** Whether the data used comes from a dataset the request asks for. */
    public Decision checkDataset(final String datasetUsed) {
        if (datasetUsed == null || datasetUsed.isBlank()) {
            return Decision.deny(DenyCode.REQUEST_OUT_OF_SCOPE, "the data names no dataset (publicdata.dataset), so it cannot be shown to be one "
                    + "request " + id + " asks for " + datasets);
        }
        if (!datasets.contains(datasetUsed.strip())) {
            return Decision.deny(DenyCode.REQUEST_OUT_OF_SCOPE, "request " + id + " asks for " + datasets + ", not for dataset '"
                    + datasetUsed.strip() + "'");
        }
        return Decision.PERMIT;
    }

    /** The use context the request states, for the dataset used. */
    public UseContext context(final String datasetUsed) {
        return new UseContext(grantee, domain, scenario, purpose, datasetUsed, purposeCategory);
    }

    /** The grant as it applies to this request: narrowed to the fields it asks for, if it names any. */
    public GrantScope narrow(final GrantScope scope) {
        return fields.isEmpty() ? scope : new GrantScope(scope.grant().withPermittedFields(fields), scope.ladder(), scope.floor());
    }
}
