package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import org.apache.nifi.serialization.record.Record;

/**
 * The grant's required protection (授权条件) for a record of its grade, shown by the field grades and protections
 * the FlowFile carries ({@link DenyCode#PROTECTION_REQUIRED}).
 */
final class ProtectionCheck implements RecordCheck {

    private final FlowFileEvidence evidence;
    private final GrantScope scope;
    /** The reason of the highest grade denied: it names every field the lower grades' reasons name. */
    private Decision highestDenial;
    private int highestDenialRank = -1;

    ProtectionCheck(final FlowFileEvidence evidence) {
        this.evidence = evidence;
        this.scope = evidence.scope();
    }

    @Override
    public Decision check(final Record record, final Grade grade) {
        final Grade counted = grade == null ? scope.ladder().highest() : grade;
        if (scope.requiredProtection(counted).isEmpty()) {
            return Decision.PERMIT;
        }
        final Decision decision = evidence.fields().protection(counted);
        if (!decision.permitted() && counted.rank() > highestDenialRank) {
            highestDenialRank = counted.rank();
            highestDenial = decision;
        }
        return decision;
    }

    @Override
    public String summary(final DenyCode code, final long records) {
        return "(" + highestDenial.reason() + ")";
    }
}
