package io.publicdata.nifi.catalog;

/** How often a dataset's provider updates it (更新周期). */
public enum UpdateCycle implements CatalogTerm {
    REAL_TIME("实时"),
    DAILY("每日"),
    WEEKLY("每周"),
    MONTHLY("每月"),
    QUARTERLY("每季度"),
    HALF_YEARLY("每半年"),
    YEARLY("每年"),
    IRREGULAR("不定期");

    private final String term;

    UpdateCycle(final String term) {
        this.term = term;
    }

    @Override
    public String term() {
        return term;
    }

    /** @throws IllegalArgumentException listing the cycles */
    public static UpdateCycle parse(final String text) {
        return CatalogTerm.parse(UpdateCycle.class, text, "Update cycle");
    }
}
