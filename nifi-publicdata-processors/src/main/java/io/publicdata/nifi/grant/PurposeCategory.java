package io.publicdata.nifi.grant;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The category of a use's purpose, which decides the pricing a grant must have for it (clause 3(6)): public governance
 * and public welfare use data free under conditions (有条件无偿使用); products for industry and sector development pay the
 * government-guided price (政府指导价).
 */
public enum PurposeCategory {

    /** 公共治理: public governance. */
    PUBLIC_GOVERNANCE("公共治理", Pricing.PUBLIC_WELFARE),
    /** 公益事业: public welfare undertakings. */
    PUBLIC_WELFARE("公益事业", Pricing.PUBLIC_WELFARE),
    /** 产业发展: products and services for industry development. */
    INDUSTRY_DEVELOPMENT("产业发展", Pricing.COMMERCIAL),
    /** 行业发展: products and services for a sector's development. */
    SECTOR_DEVELOPMENT("行业发展", Pricing.COMMERCIAL);

    private final String term;
    private final Pricing pricing;

    PurposeCategory(final String term, final Pricing pricing) {
        this.term = term;
        this.pricing = pricing;
    }

    /** The Chinese term, e.g. 公共治理: what use requests and the publicdata.use.category attribute usually hold. */
    public String term() {
        return term;
    }

    /** The pricing class a grant must have for uses of this category. */
    public Pricing pricing() {
        return pricing;
    }

    /** The category a text names, by its Chinese term or its code; empty when it names none. */
    public static Optional<PurposeCategory> find(final String text) {
        if (text == null) {
            return Optional.empty();
        }
        final String wanted = text.strip();
        return Arrays.stream(values()).filter(c -> c.term.equals(wanted) || c.name().equals(wanted)).findFirst();
    }

    /** The categories, for messages: 公共治理 (PUBLIC_GOVERNANCE), … */
    public static String listing() {
        return Arrays.stream(values()).map(c -> c.term + " (" + c.name() + ")").collect(Collectors.joining(", "));
    }
}
