package io.publicdata.nifi.grant;

/**
 * How the grant's use is paid for (clause 3(6)): free use for public welfare, or commercial use at
 * government-guided prices. Recorded for disclosure (授权运营情况披露); it does not change a decision.
 */
public enum Pricing {

    /** 公益无偿: public-welfare use, free of charge under conditions. */
    PUBLIC_WELFARE("有条件无偿使用"),

    /** 有偿: commercial use at a government-guided price (政府指导价). */
    COMMERCIAL("政府指导价有偿使用");

    private final String term;

    Pricing(final String term) {
        this.term = term;
    }

    public String term() {
        return term;
    }
}
