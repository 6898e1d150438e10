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
    /** A use request signed by the grantee (JSON document): the accountable use context. */
    public static final String USE_REQUEST = "publicdata.use.request";

    /** The catalog facts of the dataset (资源目录), written by ClassifyRecord and EnforceGrantScope with a catalog. */
    public static final String CATALOG_NAME = "publicdata.catalog.name";
    public static final String CATALOG_DEPARTMENT = "publicdata.catalog.department";
    public static final String CATALOG_DOMAIN = "publicdata.catalog.domain";
    /** UNCONDITIONAL, CONDITIONAL or NOT_OPEN (无条件开放, 有条件开放, 不予开放). */
    public static final String CATALOG_OPEN_TYPE = "publicdata.catalog.openType";
    /** The registration status: REGISTERED, UNREGISTERED or CANCELLED (已登记, 未登记, 已注销). */
    public static final String CATALOG_REGISTRATION = "publicdata.catalog.registration";
    public static final String CATALOG_REGISTRATION_NUMBER = "publicdata.catalog.registration.number";
    public static final String CATALOG_REGISTRATION_DATE = "publicdata.catalog.registration.date";
    public static final String CATALOG_UPDATE_CYCLE = "publicdata.catalog.updateCycle";

    public static final String GRANT_ID = "publicdata.grant.id";
    /** The grant's facts, written by EnforceGrantScope for lineage and disclosure: issuer, mode, term, serial, pricing. */
    public static final String GRANT_ISSUER = "publicdata.grant.issuer";
    public static final String GRANT_MODE = "publicdata.grant.mode";
    public static final String GRANT_VALID_FROM = "publicdata.grant.validFrom";
    public static final String GRANT_VALID_UNTIL = "publicdata.grant.validUntil";
    public static final String GRANT_SERIAL = "publicdata.grant.serial";
    public static final String GRANT_PRICING = "publicdata.grant.pricing";
    public static final String DECISION = "publicdata.decision";
    public static final String DENY_REASON = "publicdata.deny.reason";
    /** Records denied per deny code, e.g. GRADE_EXCEEDS_GRANT=2,FIELD_NOT_PERMITTED=1; a code without a count when the records were not counted. */
    public static final String DENY_COUNTS = "publicdata.deny.counts";

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
