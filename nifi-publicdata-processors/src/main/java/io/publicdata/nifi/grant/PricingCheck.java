package io.publicdata.nifi.grant;

import java.time.Instant;
import java.util.Optional;

/**
 * Clause 3(6): a use's purpose category must fit the grant's pricing class. Public governance (公共治理) and public
 * welfare (公益事业) fit 有条件无偿使用; industry (产业发展) and sector (行业发展) development fit 政府指导价. A grant without a
 * pricing class fits only uses that declare no category: a declared category that cannot be shown to fit is denied.
 */
public final class PricingCheck implements UseCheck {

    public static final PricingCheck INSTANCE = new PricingCheck();

    private PricingCheck() {
    }

    @Override
    public Decision check(final GrantScope scope, final UseContext use, final Instant at) {
        final Grant grant = scope.grant();
        final Pricing pricing = grant.pricing();
        final String declared = use.purposeCategory();
        if (declared == null) {
            return pricing == null ? Decision.PERMIT : Decision.deny(DenyCode.CONTEXT_MISSING, "grant " + grant.id() + " is priced "
                    + pricing.term() + " (" + pricing.name() + "); the use context has no purpose category to show that the use fits it");
        }
        final Optional<PurposeCategory> category = PurposeCategory.find(declared);
        if (category.isEmpty()) {
            return Decision.deny(DenyCode.PRICING_MISMATCH, "purpose category '" + declared + "' is not one of " + PurposeCategory.listing());
        }
        if (pricing == null) {
            return Decision.deny(DenyCode.PRICING_MISMATCH, "grant " + grant.id() + " names no pricing class (收费方式), so a use for "
                    + category.get().term() + " cannot be shown to fit it");
        }
        if (category.get().pricing() != pricing) {
            return Decision.deny(DenyCode.PRICING_MISMATCH, "a use for " + category.get().term() + " needs a grant priced "
                    + category.get().pricing().term() + " (" + category.get().pricing().name() + "); grant " + grant.id() + " is priced "
                    + pricing.term() + " (" + pricing.name() + ")");
        }
        return Decision.PERMIT;
    }
}
