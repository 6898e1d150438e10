package io.publicdata.nifi.grant;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What makes a grant invalid whatever the ladder: the GRANT_INVALID reasons of a document. */
class GrantTest {

    private static String invalid(final GrantBuilder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void modesNeedTheirScope() {
        final GrantBuilder wholeWithDomains = grant();
        wholeWithDomains.mode = AuthorizationMode.WHOLE;
        assertEquals("A WHOLE grant (整体授权) covers every domain and scenario: list none, or use mode DOMAIN or SCENARIO", invalid(wholeWithDomains));

        final GrantBuilder domainWithout = grant();
        domainWithout.domains = List.of();
        assertEquals("A DOMAIN grant (分领域授权) must name at least one domain", invalid(domainWithout));

        final GrantBuilder domainWithScenarios = grant();
        domainWithScenarios.scenarios = List.of("x");
        assertEquals("A DOMAIN grant (分领域授权) covers every scenario of its domains: list no scenarios, or use mode SCENARIO", invalid(domainWithScenarios));

        assertEquals("A SCENARIO grant (依场景授权) must name at least one scenario", invalid(grant().scenario(List.of(), List.of("交通运输"))));
    }

    @Test
    void listsAreExplicit() {
        final GrantBuilder noPurpose = grant();
        noPurpose.purposes = List.of();
        assertEquals("A grant must name at least one purpose, or * for any purpose", invalid(noPurpose));
        final GrantBuilder noDataset = grant();
        noDataset.datasets = null;
        assertEquals("A grant must name at least one dataset (资源目录编号), or * for any dataset", invalid(noDataset));
        assertEquals("A grant must name at least one permitted field path, or /** for every field", invalid(grant().fields()));
        final GrantBuilder anyAmongOthers = grant();
        anyAmongOthers.purposes = List.of("*", "交通规划");
        assertEquals("The grant's purposes may hold * (any) only alone", invalid(anyAmongOthers));
        final GrantBuilder anyDomain = grant();
        anyDomain.domains = List.of("*");
        assertEquals("The grant's domains may not hold *: a grant of every domain and scenario is mode WHOLE", invalid(anyDomain));
        final GrantBuilder twice = grant();
        twice.domains = List.of("交通运输", " 交通运输");
        assertEquals("The grant's domains list '交通运输' twice", invalid(twice));
        final GrantBuilder blank = grant();
        blank.datasets = List.of("GOV-1", " ");
        assertEquals("The grant's datasets hold a blank entry", invalid(blank));
        assertEquals("Permitted field 'name': 'name' is not a field path: it must start with '/', e.g. /applicant/idCard",
                invalid(grant().fields("name")));
        assertEquals("Permitted field '/a//b': Field path '/a//b' has an empty segment", invalid(grant().fields("/a//b")));
        assertEquals("Permitted field '/a*': Field path '/a*': '*' stands only for a whole segment (* or **); escape a '*' that is part "
                + "of a field name as \\*", invalid(grant().fields("/a*")));
    }

    @Test
    void identityAndTermAreRequired() {
        final GrantBuilder noId = grant();
        noId.id = " ";
        assertEquals("A grant needs a non-blank id", invalid(noId));
        final GrantBuilder noGrantee = grant();
        noGrantee.grantee = null;
        assertEquals("A grant needs a non-blank grantee", invalid(noGrantee));
        final GrantBuilder noEnd = grant();
        noEnd.validUntil = null;
        assertEquals("A grant needs a term: validFrom and validUntil, ISO-8601 with an offset, e.g. 2025-01-01T00:00:00+08:00", invalid(noEnd));
        final GrantBuilder empty = grant();
        empty.validUntil = OffsetDateTime.parse("2024-12-31T16:00:00Z");
        assertEquals("validFrom 2025-01-01T00:00:00+08:00 must be before validUntil 2024-12-31T16:00:00Z", invalid(empty));
        final GrantBuilder noStatus = grant();
        noStatus.status = null;
        assertEquals("A grant needs a status: ACTIVE, SUSPENDED or REVOKED", invalid(noStatus));
    }

    @Test
    void protectionNamesMethods() {
        final GrantBuilder none = grant();
        none.requiredProtection.put("L3", java.util.Set.of());
        assertEquals("Required protection for L3 names no method; list at least one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]",
                invalid(none));
    }

    @Test
    void withStatusKeepsEverythingElse() {
        final Grant grant = grant().build();
        final Grant revoked = grant.withStatus(GrantStatus.REVOKED);
        assertEquals(GrantStatus.REVOKED, revoked.status());
        assertEquals(grant, revoked.withStatus(GrantStatus.ACTIVE));
    }
}
