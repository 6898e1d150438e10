package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Clause 3(6): every pairing of a grant's pricing class and a use's purpose category. */
class PricingCheckTest {

    private static final Instant AT = Instant.parse("2025-06-01T00:00:00Z");

    @ParameterizedTest(name = "{0} grant, category {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "PUBLIC_WELFARE | 公共治理 | PERMIT",
            "PUBLIC_WELFARE | 公益事业 | PERMIT",
            "PUBLIC_WELFARE | PUBLIC_GOVERNANCE | PERMIT",
            "COMMERCIAL     | 产业发展 | PERMIT",
            "COMMERCIAL     | 行业发展 | PERMIT",
            "COMMERCIAL     | SECTOR_DEVELOPMENT | PERMIT",
            "PUBLIC_WELFARE | 产业发展 | PRICING_MISMATCH: a use for 产业发展 needs a grant priced 政府指导价有偿使用 (COMMERCIAL); grant GR-2025-0001 is priced 有条件无偿使用 (PUBLIC_WELFARE)",
            "PUBLIC_WELFARE | 行业发展 | PRICING_MISMATCH: a use for 行业发展 needs a grant priced 政府指导价有偿使用 (COMMERCIAL); grant GR-2025-0001 is priced 有条件无偿使用 (PUBLIC_WELFARE)",
            "COMMERCIAL     | 公共治理 | PRICING_MISMATCH: a use for 公共治理 needs a grant priced 有条件无偿使用 (PUBLIC_WELFARE); grant GR-2025-0001 is priced 政府指导价有偿使用 (COMMERCIAL)",
            "COMMERCIAL     | 公益事业 | PRICING_MISMATCH: a use for 公益事业 needs a grant priced 有条件无偿使用 (PUBLIC_WELFARE); grant GR-2025-0001 is priced 政府指导价有偿使用 (COMMERCIAL)",
            "PUBLIC_WELFARE | -       | CONTEXT_MISSING: grant GR-2025-0001 is priced 有条件无偿使用 (PUBLIC_WELFARE); the use context has no purpose category to show that the use fits it",
            "PUBLIC_WELFARE | '  '    | CONTEXT_MISSING: grant GR-2025-0001 is priced 有条件无偿使用 (PUBLIC_WELFARE); the use context has no purpose category to show that the use fits it",
            "PUBLIC_WELFARE | 公共 治理 | PRICING_MISMATCH: purpose category '公共 治理' is not one of 公共治理 (PUBLIC_GOVERNANCE), 公益事业 (PUBLIC_WELFARE), 产业发展 (INDUSTRY_DEVELOPMENT), 行业发展 (SECTOR_DEVELOPMENT)",
            "COMMERCIAL     | public_governance | PRICING_MISMATCH: purpose category 'public_governance' is not one of 公共治理 (PUBLIC_GOVERNANCE), 公益事业 (PUBLIC_WELFARE), 产业发展 (INDUSTRY_DEVELOPMENT), 行业发展 (SECTOR_DEVELOPMENT)",
            "-              | 产业发展 | PRICING_MISMATCH: grant GR-2025-0001 names no pricing class (收费方式), so a use for 产业发展 cannot be shown to fit it",
            "-              | -       | PERMIT",
    })
    void aUseFitsTheGrantsPricingOrIsDenied(final Pricing pricing, final String category, final String expected) {
        final GrantBuilder builder = GrantBuilder.grant();
        builder.pricing = pricing;
        final GrantScope scope = new GrantScope(builder.build(), GradeLadder.defaultLadder());
        final UseContext use = new UseContext(GrantBuilder.GRANTEE, "交通运输", null, "交通规划", "GOV-TRAFFIC-001", category);
        assertEquals(expected, PricingCheck.INSTANCE.check(scope, use, AT).toString());
    }
}
