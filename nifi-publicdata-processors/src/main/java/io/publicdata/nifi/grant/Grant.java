package io.publicdata.nifi.grant;

import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An authorization (授权) of public data to an operator: who may use what, for what, until when and under which
 * conditions. Immutable; the constructor rejects what no grade ladder can repair (see {@link GrantScope} for the
 * checks that need the ladder). Times keep the offset they were written with, so reasons quote them as issued.
 *
 * @param id                 the grant's identifier, e.g. {@code GR-2025-0001}
 * @param issuer             the data authority that issued it, e.g. 某市数据局; may be null for a grant set in
 *                           processor properties
 * @param grantee            the operator it is granted to, e.g. its unified social credit code
 * @param mode               whole, by domain or by scenario (授权模式)
 * @param domains            domains covered: none for WHOLE, at least one for DOMAIN, optional for SCENARIO
 * @param scenarios          scenarios covered: none for WHOLE and DOMAIN, at least one for SCENARIO
 * @param purposes           purposes covered, at least one; {@code *} alone means any purpose
 * @param datasets           catalog ids (资源目录编号) covered, at least one; {@code *} alone means any dataset
 * @param permittedFields    field path patterns the operator may receive, at least one ({@code *} one segment,
 *                           {@code **} any number of segments; {@code /**} is every field)
 * @param maximumGrade       code of the highest grade the operator may receive, e.g. {@code L3}
 * @param requiredProtection grade code → protection methods accepted for fields of that grade and above (until
 *                           a higher grade has its own entry); empty for none
 * @param validFrom          start of the term (运营期限), inclusive
 * @param validUntil         end of the term, exclusive
 * @param status             active, suspended or revoked
 * @param pricing            public-welfare or commercial use; may be null for a grant set in processor properties
 * @param serial             the issue of this grant (a grant id re-issued, e.g. with a new term, gets a new serial), named
 *                           by revocation lists; may be null
 * @param granteeKeys        the grantee's public keys (base64 DER, {@link PemKeys#encode}) that sign its use requests;
 *                           empty when the grantee signs none
 */
public record Grant(String id, String issuer, String grantee, AuthorizationMode mode,
                    List<String> domains, List<String> scenarios, List<String> purposes, List<String> datasets,
                    List<String> permittedFields, String maximumGrade, Map<String, Set<ProtectionMethod>> requiredProtection,
                    OffsetDateTime validFrom, OffsetDateTime validUntil, GrantStatus status, Pricing pricing,
                    String serial, List<String> granteeKeys) {

    /** Alone in {@link #purposes} or {@link #datasets}: the grant does not restrict that part of the use. */
    public static final String ANY = "*";

    /**
     * @throws IllegalArgumentException saying what is wrong and how to fix it
     */
    public Grant {
        id = required(id, "id");
        issuer = issuer == null ? null : required(issuer, "issuer");
        grantee = required(grantee, "grantee");
        if (mode == null) {
            throw new IllegalArgumentException("A grant needs an authorization mode: WHOLE, DOMAIN or SCENARIO");
        }
        domains = names(domains, "domains", false);
        scenarios = names(scenarios, "scenarios", false);
        purposes = names(purposes, "purposes", true);
        datasets = names(datasets, "datasets", true);
        permittedFields = names(permittedFields, "permittedFields", false);
        serial = serial == null ? null : required(serial, "serial");
        granteeKeys = names(granteeKeys, "granteeKeys", false);
        for (final String key : granteeKeys) {
            try {
                PemKeys.decode(key);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("The grant's granteeKeys hold a key that cannot be read: " + e.getMessage());
            }
        }
        maximumGrade = required(maximumGrade, "maximumGrade");
        requiredProtection = protection(requiredProtection);
        if (validFrom == null || validUntil == null) {
            throw new IllegalArgumentException("A grant needs a term: validFrom and validUntil, ISO-8601 with an offset, e.g. 2025-01-01T00:00:00+08:00");
        }
        if (!validFrom.toInstant().isBefore(validUntil.toInstant())) {
            throw new IllegalArgumentException("validFrom " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(validFrom)
                    + " must be before validUntil " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(validUntil));
        }
        if (status == null) {
            throw new IllegalArgumentException("A grant needs a status: ACTIVE, SUSPENDED or REVOKED");
        }

        switch (mode) {
            case WHOLE -> {
                if (!domains.isEmpty() || !scenarios.isEmpty()) {
                    throw new IllegalArgumentException("A WHOLE grant (整体授权) covers every domain and scenario: list none, or use mode DOMAIN or SCENARIO");
                }
            }
            case DOMAIN -> {
                if (domains.isEmpty()) {
                    throw new IllegalArgumentException("A DOMAIN grant (分领域授权) must name at least one domain");
                }
                if (!scenarios.isEmpty()) {
                    throw new IllegalArgumentException("A DOMAIN grant (分领域授权) covers every scenario of its domains: list no scenarios, or use mode SCENARIO");
                }
            }
            case SCENARIO -> {
                if (scenarios.isEmpty()) {
                    throw new IllegalArgumentException("A SCENARIO grant (依场景授权) must name at least one scenario");
                }
            }
        }
        if (purposes.isEmpty()) {
            throw new IllegalArgumentException("A grant must name at least one purpose, or " + ANY + " for any purpose");
        }
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("A grant must name at least one dataset (资源目录编号), or " + ANY + " for any dataset");
        }
        if (permittedFields.isEmpty()) {
            throw new IllegalArgumentException("A grant must name at least one permitted field path, or /** for every field");
        }
        PermittedFields.of(permittedFields);
    }

    /** A grant without a serial and without grantee keys. */
    public Grant(final String id, final String issuer, final String grantee, final AuthorizationMode mode,
                 final List<String> domains, final List<String> scenarios, final List<String> purposes, final List<String> datasets,
                 final List<String> permittedFields, final String maximumGrade, final Map<String, Set<ProtectionMethod>> requiredProtection,
                 final OffsetDateTime validFrom, final OffsetDateTime validUntil, final GrantStatus status, final Pricing pricing) {
        this(id, issuer, grantee, mode, domains, scenarios, purposes, datasets, permittedFields, maximumGrade, requiredProtection,
                validFrom, validUntil, status, pricing, null, List.of());
    }

    /** This grant with another status: how an operator suspends or revokes a signed grant locally. */
    public Grant withStatus(final GrantStatus newStatus) {
        return new Grant(id, issuer, grantee, mode, domains, scenarios, purposes, datasets, permittedFields, maximumGrade,
                requiredProtection, validFrom, validUntil, newStatus, pricing, serial, granteeKeys);
    }

    /** This grant narrowed to some of its permitted fields, e.g. those a use request asks for. */
    public Grant withPermittedFields(final List<String> fields) {
        return new Grant(id, issuer, grantee, mode, domains, scenarios, purposes, datasets, fields, maximumGrade,
                requiredProtection, validFrom, validUntil, status, pricing, serial, granteeKeys);
    }

    /** The grantee's public keys, read. */
    public List<PublicKey> granteePublicKeys() {
        return granteeKeys.stream().map(PemKeys::decode).toList();
    }

    private static String required(final String value, final String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A grant needs a non-blank " + name);
        }
        return value.strip();
    }

    private static List<String> names(final List<String> values, final String name, final boolean anyAllowed) {
        if (values == null) {
            return List.of();
        }
        final Set<String> seen = new HashSet<>();
        final List<String> names = values.stream().map(value -> {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("The grant's " + name + " hold a blank entry");
            }
            final String stripped = value.strip();
            if (!seen.add(stripped)) {
                throw new IllegalArgumentException("The grant's " + name + " list '" + stripped + "' twice");
            }
            return stripped;
        }).toList();
        if (names.contains(ANY) && (!anyAllowed || names.size() > 1)) {
            throw new IllegalArgumentException(anyAllowed
                    ? "The grant's " + name + " may hold " + ANY + " (any) only alone"
                    : "The grant's " + name + " may not hold " + ANY + ": a grant of every domain and scenario is mode WHOLE");
        }
        return names;
    }

    private static Map<String, Set<ProtectionMethod>> protection(final Map<String, Set<ProtectionMethod>> requirements) {
        if (requirements == null) {
            return Map.of();
        }
        final Map<String, Set<ProtectionMethod>> copy = new LinkedHashMap<>();
        requirements.forEach((grade, methods) -> {
            final String code = required(grade, "grade in requiredProtection");
            if (methods == null || methods.isEmpty()) {
                throw new IllegalArgumentException("Required protection for " + code + " names no method; list at least one of "
                        + List.of(ProtectionMethod.values()));
            }
            copy.put(code, Collections.unmodifiableSet(EnumSet.copyOf(methods)));
        });
        return Collections.unmodifiableMap(copy);
    }
}
