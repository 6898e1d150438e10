package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static io.publicdata.nifi.grant.GrantBuilder.GRANTEE;
import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrantScopeTest {

    private static final GradeLadder LADDER = GradeLadder.defaultLadder();
    private static final Instant DURING = Instant.parse("2025-06-30T04:00:00Z");
    private static final UseContext TRAFFIC = new UseContext(GRANTEE, "交通运输", "信号配时优化", "交通规划", "GOV-TRAFFIC-001");

    private static GrantScope scope(final GrantBuilder builder) {
        return new GrantScope(builder.build(), LADDER);
    }

    private static void assertDenied(final Decision decision, final DenyCode code, final String reason) {
        assertEquals(Decision.Outcome.DENY, decision.outcome());
        assertEquals(code, decision.code());
        assertEquals(code.name() + ": " + reason, decision.denyReason());
    }

    @Test
    void domainGrantPermitsAUseInItsDomain() {
        final Decision decision = scope(grant()).decide(TRAFFIC, DURING, LADDER.grade("L3"));
        assertSame(Decision.PERMIT, decision);
        assertEquals("PERMIT", decision.toString());
        assertEquals("", decision.denyReason());
    }

    @Test
    void domainGrantDeniesAnotherDomain() {
        assertDenied(scope(grant()).checkUse(new UseContext(GRANTEE, "医疗卫生", null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.DOMAIN_NOT_GRANTED, "domain '医疗卫生' is not granted; the grant covers [交通运输]");
    }

    @Test
    void domainGrantCoversEveryScenarioOfItsDomain() {
        assertSame(Decision.PERMIT, scope(grant()).checkUse(new UseContext(GRANTEE, "交通运输", "any scenario", "交通规划", "GOV-TRAFFIC-001"), DURING));
        assertSame(Decision.PERMIT, scope(grant()).checkUse(new UseContext(GRANTEE, "交通运输", null, "交通规划", "GOV-TRAFFIC-001"), DURING));
    }

    @Test
    void wholeGrantIgnoresDomainAndScenario() {
        final GrantScope whole = scope(grant().whole());
        assertSame(Decision.PERMIT, whole.checkUse(new UseContext(GRANTEE, null, null, "交通规划", "GOV-TRAFFIC-001"), DURING));
        assertSame(Decision.PERMIT, whole.checkUse(new UseContext(GRANTEE, "医疗卫生", "其他", "交通规划", "GOV-TRAFFIC-001"), DURING));
        // ...but still its purposes, datasets and grantee
        assertDenied(whole.checkUse(new UseContext(GRANTEE, null, null, "营销", "GOV-TRAFFIC-001"), DURING),
                DenyCode.PURPOSE_NOT_GRANTED, "purpose '营销' is not granted; the grant covers [交通规划]");
        assertDenied(whole.checkUse(new UseContext("someone else", null, null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.GRANTEE_MISMATCH, "grant GR-2025-0001 is granted to " + GRANTEE + ", not to someone else");
    }

    @Test
    void scenarioGrantChecksTheScenario() {
        final GrantScope byScenario = scope(grant().scenario(List.of("信号配时优化"), List.of()));
        assertSame(Decision.PERMIT, byScenario.checkUse(TRAFFIC, DURING));
        assertSame(Decision.PERMIT, byScenario.checkUse(new UseContext(GRANTEE, null, "信号配时优化", "交通规划", "GOV-TRAFFIC-001"), DURING),
                "a scenario grant without domains does not need a domain");
        assertDenied(byScenario.checkUse(new UseContext(GRANTEE, "交通运输", "拥堵收费", "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.SCENARIO_NOT_GRANTED, "scenario '拥堵收费' is not granted; the grant covers [信号配时优化]");
        assertDenied(byScenario.checkUse(new UseContext(GRANTEE, "交通运输", null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.CONTEXT_MISSING, "the use context names no scenario, which grant GR-2025-0001 restricts");
    }

    @Test
    void scenarioGrantWithDomainsChecksBoth() {
        final GrantScope byScenario = scope(grant().scenario(List.of("信号配时优化"), List.of("交通运输")));
        assertSame(Decision.PERMIT, byScenario.checkUse(TRAFFIC, DURING));
        assertDenied(byScenario.checkUse(new UseContext(GRANTEE, "城市管理", "信号配时优化", "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.DOMAIN_NOT_GRANTED, "domain '城市管理' is not granted; the grant covers [交通运输]");
    }

    @Test
    void everyPartOfTheContextTheGrantRestrictsMustBePresent() {
        final GrantScope domain = scope(grant());
        assertDenied(domain.checkUse(new UseContext(null, "交通运输", null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.CONTEXT_MISSING, "the use context names no grantee, which grant GR-2025-0001 restricts");
        assertDenied(domain.checkUse(new UseContext(GRANTEE, " ", null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.CONTEXT_MISSING, "the use context names no domain, which grant GR-2025-0001 restricts");
        assertDenied(domain.checkUse(new UseContext(GRANTEE, "交通运输", null, "", "GOV-TRAFFIC-001"), DURING),
                DenyCode.CONTEXT_MISSING, "the use context names no purpose, which grant GR-2025-0001 restricts");
        assertDenied(domain.checkUse(new UseContext(GRANTEE, "交通运输", null, "交通规划", null), DURING),
                DenyCode.CONTEXT_MISSING, "the use context names no dataset, which grant GR-2025-0001 restricts");
    }

    @Test
    void anyPurposeAndAnyDatasetNeedNoContext() {
        final GrantBuilder builder = grant();
        builder.purposes = List.of("*");
        builder.datasets = List.of("*");
        assertSame(Decision.PERMIT, scope(builder).checkUse(new UseContext(GRANTEE, "交通运输", null, null, null), DURING));
    }

    @Test
    void datasetOutsideTheGrantIsDenied() {
        assertDenied(scope(grant()).checkUse(new UseContext(GRANTEE, "交通运输", null, "交通规划", "GOV-HEALTH-007"), DURING),
                DenyCode.DATASET_NOT_GRANTED, "dataset 'GOV-HEALTH-007' is not granted; the grant covers [GOV-TRAFFIC-001]");
    }

    @Test
    void contextValuesAreComparedExactlyAfterTrimming() {
        assertSame(Decision.PERMIT, scope(grant()).checkUse(new UseContext(" " + GRANTEE + "\t", " 交通运输", null, "交通规划 ", "GOV-TRAFFIC-001"), DURING));
        assertDenied(scope(grant()).checkUse(new UseContext(GRANTEE.toLowerCase(), "交通运输", null, "交通规划", "GOV-TRAFFIC-001"), DURING),
                DenyCode.GRANTEE_MISMATCH, "grant GR-2025-0001 is granted to " + GRANTEE + ", not to " + GRANTEE.toLowerCase());
    }

    @Test
    void termIncludesValidFromAndExcludesValidUntil() {
        final GrantScope scope = scope(grant());
        final Instant from = GrantBuilder.FROM.toInstant();
        final Instant until = GrantBuilder.UNTIL.toInstant();
        assertDenied(scope.checkUse(TRAFFIC, from.minusNanos(1)), DenyCode.GRANT_NOT_YET_VALID,
                "valid from 2025-01-01T00:00:00+08:00, used at 2024-12-31T23:59:59.999+08:00");
        assertSame(Decision.PERMIT, scope.checkUse(TRAFFIC, from));
        assertSame(Decision.PERMIT, scope.checkUse(TRAFFIC, until.minusNanos(1)));
        assertDenied(scope.checkUse(TRAFFIC, until), DenyCode.GRANT_EXPIRED,
                "valid until 2026-01-01T00:00:00+08:00 (exclusive), used at 2026-01-01T00:00:00+08:00");
        assertDenied(scope.checkUse(TRAFFIC, Instant.parse("2027-03-01T00:00:00Z")), DenyCode.GRANT_EXPIRED,
                "valid until 2026-01-01T00:00:00+08:00 (exclusive), used at 2027-03-01T08:00:00+08:00");
    }

    @Test
    void termBoundariesAreInstantsWhateverTheOffset() {
        final GrantBuilder builder = grant();
        builder.validUntil = OffsetDateTime.parse("2025-12-31T16:00:00Z");
        final GrantScope scope = scope(builder);
        assertDenied(scope.checkUse(TRAFFIC, OffsetDateTime.parse("2026-01-01T00:00:00+08:00").toInstant()), DenyCode.GRANT_EXPIRED,
                "valid until 2025-12-31T16:00:00Z (exclusive), used at 2025-12-31T16:00:00Z");
        assertSame(Decision.PERMIT, scope.checkUse(TRAFFIC, OffsetDateTime.parse("2025-12-31T23:59:59.999+08:00").toInstant()));
    }

    @Test
    void revokedAndSuspendedGrantsDenyEveryUse() {
        assertDenied(scope(grant().status(GrantStatus.REVOKED)).checkUse(TRAFFIC, DURING),
                DenyCode.GRANT_REVOKED, "grant GR-2025-0001 was revoked (撤销)");
        assertDenied(scope(grant().status(GrantStatus.SUSPENDED)).checkUse(TRAFFIC, DURING),
                DenyCode.GRANT_SUSPENDED, "grant GR-2025-0001 is suspended (暂停)");
        assertEquals(GrantStatus.REVOKED, GrantStatus.stricter(GrantStatus.SUSPENDED, GrantStatus.REVOKED));
        assertEquals(GrantStatus.SUSPENDED, GrantStatus.stricter(GrantStatus.SUSPENDED, GrantStatus.ACTIVE));
    }

    @Test
    void statusIsCheckedBeforeTermAndTermBeforeContext() {
        final Instant after = GrantBuilder.UNTIL.toInstant().plusSeconds(1);
        assertEquals(DenyCode.GRANT_REVOKED, scope(grant().status(GrantStatus.REVOKED)).checkUse(new UseContext(null, null, null, null, null), after).code());
        assertEquals(DenyCode.GRANT_EXPIRED, scope(grant()).checkUse(new UseContext(null, null, null, null, null), after).code());
    }

    @Test
    void gradesUpToTheMaximumPass() {
        final GrantScope scope = scope(grant());
        for (final Grade grade : LADDER.grades()) {
            final Decision decision = scope.checkGrade(grade);
            if (grade.rank() <= 2) {
                assertSame(Decision.PERMIT, decision, grade.code());
            } else {
                assertDenied(decision, DenyCode.GRADE_EXCEEDS_GRANT, "record grade " + grade.code() + " is above the grant's maximum grade L3");
            }
        }
        assertDenied(scope.decide(TRAFFIC, DURING, LADDER.grade("L4")), DenyCode.GRADE_EXCEEDS_GRANT,
                "record grade L4 is above the grant's maximum grade L3");
    }

    @Test
    void aRecordWithoutGradeCountsAsTheTopGrade() {
        assertDenied(scope(grant()).checkGrade(null), DenyCode.GRADE_EXCEEDS_GRANT,
                "record has no grade on the ladder (missing, empty or unknown), so it counts as L5 (fail closed), above the grant's maximum grade L3");
        assertSame(Decision.PERMIT, scope(grant().maximumGrade("L5").protect("L5", ProtectionMethod.ENCRYPT)).checkGrade(null));
    }

    @Test
    void theFloorKeepsTheTopGradeInAndOnlyAddsRequirements() {
        // The top grade never leaves, whatever the grant: no longer a grant error, a floor the grant cannot lower
        final GrantScope bare = scope(grant().maximumGrade("L5"));
        assertTrue(bare.neverLeaves(LADDER.grade("L5")));
        assertEquals(ProtectionFloor.PROTECTED_ONLY, bare.requiredProtection(LADDER.grade("L4")), "L4 without a grant requirement: the floor's");
        assertEquals(java.util.Set.of(), bare.requiredProtection(LADDER.grade("L3")));
        // a requirement for a lower grade covers the grades above it; where the floor asks too, only what both accept
        final GrantScope scope = scope(grant().maximumGrade("L5").protect("L3", ProtectionMethod.MASK, ProtectionMethod.ENCRYPT)
                .protect("L5", ProtectionMethod.ENCRYPT));
        assertEquals(java.util.Set.of(), scope.requiredProtection(LADDER.grade("L2")));
        assertEquals(java.util.Set.of(ProtectionMethod.MASK, ProtectionMethod.ENCRYPT), scope.requiredProtection(LADDER.grade("L3")));
        assertEquals(java.util.Set.of(ProtectionMethod.ENCRYPT), scope.requiredProtection(LADDER.grade("L4")), "MASK is not enough for L4");
        // A grant that accepts only what the floor does not: required, but nothing will do
        final GrantScope masked = scope(grant().maximumGrade("L4").protect("L3", ProtectionMethod.MASK));
        assertTrue(masked.protectionRequired(LADDER.grade("L4")));
        assertEquals(java.util.Set.of(), masked.requiredProtection(LADDER.grade("L4")));
    }

    @Test
    void gradesMustBeOnTheLadder() {
        assertEquals("The grant's maximum grade 'L9' is not on the grade ladder [L1, L2, L3, L4, L5]",
                assertThrows(IllegalArgumentException.class, () -> scope(grant().maximumGrade("L9"))).getMessage());
        assertEquals("The grant requires protection for grade 'SECRET', which is not on the grade ladder [L1, L2, L3, L4, L5]",
                assertThrows(IllegalArgumentException.class, () -> scope(grant().protect("SECRET", ProtectionMethod.DROP))).getMessage());
        final GrantScope custom = new GrantScope(grant().maximumGrade("INTERNAL").build(), GradeLadder.parse("PUBLIC, INTERNAL, SECRET"));
        assertSame(Decision.PERMIT, custom.checkGrade(custom.ladder().grade("INTERNAL")));
        assertEquals(DenyCode.GRADE_EXCEEDS_GRANT, custom.checkGrade(custom.ladder().grade("SECRET")).code());
    }

    @ParameterizedTest
    @EnumSource(AuthorizationMode.class)
    void eachModeHasItsTerm(final AuthorizationMode mode) {
        assertTrue(mode.term().endsWith("授权"));
    }

    @Test
    void describeSummarisesTheScope() {
        assertEquals("grant GR-2025-0001 issued by 某市数据局 to " + GRANTEE + "; DOMAIN 分领域授权; domains [交通运输]; purposes [交通规划]; "
                + "datasets [GOV-TRAFFIC-001]; fields [/**]; up to L3; protection L3=MASK; term [2025-01-01T00:00:00+08:00, "
                + "2026-01-01T00:00:00+08:00); ACTIVE; PUBLIC_WELFARE", scope(grant().protect("L3", ProtectionMethod.MASK)).describe());
    }
}
