package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.serialization.record.Record;

import java.util.HashSet;
import java.util.Set;

/**
 * The grant's required protection (授权条件) for a record of its grade, shown by the field grades and protections
 * the FlowFile carries ({@link DenyCode#PROTECTION_REQUIRED}), judged for each record from the fields it holds values
 * in (see {@link io.publicdata.nifi.grant.FieldEvidence#protection(Grade, java.util.function.Predicate)}).
 */
final class ProtectionCheck implements RecordCheck {

    private final FlowFileEvidence evidence;
    private final GrantScope scope;
    private final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
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
        if (!scope.protectionRequired(counted)) {
            return Decision.PERMIT;
        }
        final Set<FieldPath> held = new HashSet<>();
        walker.walk(record, new RecordWalker.Visitor<>() {
            @Override
            public Object value(final RecordWalker.Node<Void> node, final Object value) {
                held.add(node.path());
                return value;
            }

            @Override
            public Object key(final RecordWalker.Node<Void> node, final String key) {
                held.add(node.path());
                return key;
            }
        });
        // Judged from this record's own values: a field it holds nothing in needs no protection in it
        final Decision decision = evidence.fields().protection(counted, held::contains);
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
