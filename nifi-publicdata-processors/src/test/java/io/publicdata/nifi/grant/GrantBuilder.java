package io.publicdata.nifi.grant;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A valid DOMAIN grant to change one thing at a time in tests. */
final class GrantBuilder {

    static final String GRANTEE = "91110105MA01ABCD1X";
    static final OffsetDateTime FROM = OffsetDateTime.parse("2025-01-01T00:00:00+08:00");
    static final OffsetDateTime UNTIL = OffsetDateTime.parse("2026-01-01T00:00:00+08:00");

    String id = "GR-2025-0001";
    String issuer = "某市数据局";
    String grantee = GRANTEE;
    AuthorizationMode mode = AuthorizationMode.DOMAIN;
    List<String> domains = List.of("交通运输");
    List<String> scenarios = List.of();
    List<String> purposes = List.of("交通规划");
    List<String> datasets = List.of("GOV-TRAFFIC-001");
    List<String> permittedFields = List.of("/**");
    String maximumGrade = "L3";
    Map<String, Set<ProtectionMethod>> requiredProtection = new LinkedHashMap<>();
    OffsetDateTime validFrom = FROM;
    OffsetDateTime validUntil = UNTIL;
    GrantStatus status = GrantStatus.ACTIVE;
    Pricing pricing = Pricing.PUBLIC_WELFARE;

    static GrantBuilder grant() {
        return new GrantBuilder();
    }

    GrantBuilder whole() {
        mode = AuthorizationMode.WHOLE;
        domains = List.of();
        scenarios = List.of();
        return this;
    }

    GrantBuilder scenario(final List<String> scenarioNames, final List<String> domainNames) {
        mode = AuthorizationMode.SCENARIO;
        scenarios = scenarioNames;
        domains = domainNames;
        return this;
    }

    GrantBuilder fields(final String... patterns) {
        permittedFields = List.of(patterns);
        return this;
    }

    GrantBuilder maximumGrade(final String grade) {
        maximumGrade = grade;
        return this;
    }

    GrantBuilder protect(final String grade, final ProtectionMethod... methods) {
        requiredProtection.put(grade, Set.of(methods));
        return this;
    }

    GrantBuilder status(final GrantStatus newStatus) {
        status = newStatus;
        return this;
    }

    Grant build() {
        return new Grant(id, issuer, grantee, mode, domains, scenarios, purposes, datasets, permittedFields, maximumGrade,
                requiredProtection, validFrom, validUntil, status, pricing);
    }
}
