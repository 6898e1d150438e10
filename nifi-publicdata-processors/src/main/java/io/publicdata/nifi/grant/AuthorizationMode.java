package io.publicdata.nifi.grant;

/**
 * The three authorization modes of the 2024 guidance (clause 2(3)): what part of the public data a grant
 * opens to its operator, and so which parts of the use context a use is checked against.
 */
public enum AuthorizationMode {

    /** 整体授权: all of the issuer's public data; domain and scenario are not restricted. */
    WHOLE("整体授权", "all of the issuer's public data; the use is not restricted by domain or scenario"),

    /** 分领域授权: the public data of named domains (sectors), for any scenario within them. */
    DOMAIN("分领域授权", "the public data of the named domains (sectors), for any scenario within them"),

    /** 依场景授权: the public data needed for named application scenarios, optionally within named domains. */
    SCENARIO("依场景授权", "the public data needed for the named application scenarios, optionally only within the named domains");

    private final String term;
    private final String scope;

    AuthorizationMode(final String term, final String scope) {
        this.term = term;
        this.scope = scope;
    }

    /** The Chinese policy term, e.g. 分领域授权. */
    public String term() {
        return term;
    }

    /** What a grant of this mode covers, in a sentence. */
    public String scope() {
        return scope;
    }
}
