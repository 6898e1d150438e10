package io.publicdata.nifi.processors;

/**
 * FlowFile attribute names: the language between the processors of this bundle (see docs/design).
 * None of them ever carries a protected value or a key.
 */
public final class PublicDataAttributes {

    public static final String DATASET = "publicdata.dataset";
    public static final String GRADE = "publicdata.grade";
    public static final String GRADE_COUNTS = "publicdata.grade.counts";
    public static final String FIELDS = "publicdata.fields";

    public static final String USE_GRANTEE = "publicdata.use.grantee";
    public static final String USE_DOMAIN = "publicdata.use.domain";
    public static final String USE_SCENARIO = "publicdata.use.scenario";
    public static final String USE_PURPOSE = "publicdata.use.purpose";
    /** The category of the purpose, e.g. 公共治理, 公益事业, 产业发展, 行业发展. */
    public static final String USE_PURPOSE_CATEGORY = "publicdata.use.category";

    public static final String GRANT_ID = "publicdata.grant.id";
    public static final String DECISION = "publicdata.decision";
    public static final String DENY_REASON = "publicdata.deny.reason";

    public static final String PROTECTED = "publicdata.protected";
    public static final String RISK_K = "publicdata.risk.k";

    public static final String LINEAGE_ID = "publicdata.lineage.id";
    public static final String LINEAGE_HASH = "publicdata.lineage.hash";

    /** NiFi's conventional record attributes. */
    public static final String RECORD_COUNT = "record.count";
    public static final String RECORD_ERROR_MESSAGE = "record.error.message";

    private PublicDataAttributes() {
    }
}
