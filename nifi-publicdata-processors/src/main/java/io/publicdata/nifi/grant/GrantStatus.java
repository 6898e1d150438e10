package io.publicdata.nifi.grant;

/**
 * Whether a grant may be used. The exit mechanism (退出机制) of clause 2(3): a suspended or revoked grant denies
 * every use, whatever its term.
 */
public enum GrantStatus {

    /** In force within its term. */
    ACTIVE("在用"),

    /** Temporarily stopped, e.g. during a security review; may become active again. */
    SUSPENDED("暂停"),

    /** Ended for good (退出): the operator must stop using the data. */
    REVOKED("撤销");

    private final String term;

    GrantStatus(final String term) {
        this.term = term;
    }

    public String term() {
        return term;
    }

    /** The stricter of two statuses: revoked over suspended over active. */
    public static GrantStatus stricter(final GrantStatus a, final GrantStatus b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
