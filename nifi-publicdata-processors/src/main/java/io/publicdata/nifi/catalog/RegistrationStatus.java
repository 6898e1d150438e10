package io.publicdata.nifi.catalog;

/** Where a dataset stands in the registration of public data resources (资源登记). */
public enum RegistrationStatus implements CatalogTerm {
    /** Registered (已登记): may be used within the scope of a grant. */
    REGISTERED("已登记"),
    /** Not registered (未登记): must not be used. */
    UNREGISTERED("未登记"),
    /** Registration cancelled (已注销): must not be used any more. */
    CANCELLED("已注销");

    private final String term;

    RegistrationStatus(final String term) {
        this.term = term;
    }

    @Override
    public String term() {
        return term;
    }

    /** @throws IllegalArgumentException listing the statuses */
    public static RegistrationStatus parse(final String text) {
        return CatalogTerm.parse(RegistrationStatus.class, text, "Registration status");
    }
}
