package io.publicdata.nifi.grant;

/**
 * Whether a grant may be used. The exit mechanism (退出机制) of clause 2(3): a suspended or revoked grant denies
 * every use, whatever its term.
 */
public enum GrantStatus {

    /** In force within its term. */
    ACTIVE("在用", "In force within its term."),

    /** Temporarily stopped, e.g. during a security review; may become active again. */
    SUSPENDED("暂停", "Temporarily stopped: every use is denied."),

    /** Ended for good (退出): the operator must stop using the data. */
    REVOKED("撤销", "Ended for good (退出): every use is denied.");

    private final String term;
    private final String description;

    GrantStatus(final String term, final String description) {
        this.term = term;
        this.description = description;
    }

    /** What the status means for a use, in a sentence. */
    public String description() {
        return description;
    }

    public String term() {
        return term;
    }

    /** The stricter of two statuses: revoked over suspended over active. */
    public static GrantStatus stricter(final GrantStatus a, final GrantStatus b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
