package io.publicdata.nifi.grant;

/**
 * Why a use was denied: the machine-readable first part of {@code publicdata.deny.reason}. Listed in the order
 * the checks run, so the first failing check names the reason.
 */
public enum DenyCode {

    /** The grant document's signature is missing, malformed or does not verify with the issuer's key. */
    SIGNATURE_INVALID,
    /** The grant itself is malformed or inconsistent (a verified document can still be, e.g. an unknown grade). */
    GRANT_INVALID,
    /** The grant was revoked (退出). */
    GRANT_REVOKED,
    /** The grant is suspended. */
    GRANT_SUSPENDED,
    /** The use happens before the grant's term starts. */
    GRANT_NOT_YET_VALID,
    /** The use happens at or after the end of the grant's term. */
    GRANT_EXPIRED,
    /** The revocation list (吊销清单) cannot be used: unreadable, or its signature does not verify with the authority's key. */
    REVOCATION_LIST_INVALID,
    /** The revocation list is past its next update: nobody can tell which grants were revoked since, so every use is denied. */
    REVOCATION_LIST_STALE,
    /** The use context must come from a use request signed by the grantee, and the FlowFile carries none. */
    REQUEST_MISSING,
    /** The use request is malformed, unsigned, changed after signing, or not signed with a key the grant names for its grantee. */
    REQUEST_SIGNATURE_INVALID,
    /** The use request verifies but its content is not a valid request, e.g. a member is missing or its validity is too long. */
    REQUEST_INVALID,
    /** The use request was issued later than the use (beyond the allowed clock skew). */
    REQUEST_NOT_YET_VALID,
    /** The use happens at or after the end of the use request's validity. */
    REQUEST_EXPIRED,
    /** The use request was already used: a replay. */
    REQUEST_REPLAYED,
    /** The use request could not be remembered against replays (state unavailable or full), so it is not accepted. */
    REQUEST_UNRECORDED,
    /** The use request is for another grant, asks for fields the grant does not permit, or the data used is not what it asks for. */
    REQUEST_OUT_OF_SCOPE,
    /** The use context lacks a value the grant must check. */
    CONTEXT_MISSING,
    /** The use is by someone other than the grantee. */
    GRANTEE_MISMATCH,
    /** The use's domain is not one the grant covers. */
    DOMAIN_NOT_GRANTED,
    /** The use's scenario is not one the grant covers. */
    SCENARIO_NOT_GRANTED,
    /** The use's purpose is not one the grant covers. */
    PURPOSE_NOT_GRANTED,
    /** The data comes from a dataset (资源目录编号) the grant does not cover. */
    DATASET_NOT_GRANTED,
    /** The use's purpose category does not fit the grant's pricing class (clause 3(6)), or cannot be shown to. */
    PRICING_MISMATCH,
    /** The resource catalog does not hold the dataset as registered (未登记, 已注销, or not in it): denied whatever the grant says. */
    DATASET_NOT_REGISTERED,
    /** The resource catalog marks the dataset 不予开放: denied whatever the grant says. */
    DATASET_NOT_OPEN,
    /** A record holds values in fields the grant does not permit. */
    FIELD_NOT_PERMITTED,
    /** A record's grade is above the grant's maximum grade. */
    GRADE_EXCEEDS_GRANT,
    /**
     * A record holds a value of a grade the protection floor never lets leave (L5 核心 by default: 不予开放), whatever
     * the grant says and however the value is protected.
     */
    GRADE_NEVER_RELEASED,
    /** A record holds fields whose grade the grant only accepts protected, and they are not (shown to be). */
    PROTECTION_REQUIRED
}
