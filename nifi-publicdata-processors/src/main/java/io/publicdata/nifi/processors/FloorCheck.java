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
 * The protection floor's never-leaving grades (不予开放): a record that holds a value of such a grade is denied with
 * {@link DenyCode#GRADE_NEVER_RELEASED}, whatever the grant says and however the value is protected (see
 * {@link io.publicdata.nifi.grant.FieldEvidence#neverReleased}). The floor's protection requirements are checked with the
 * grant's, by {@link ProtectionCheck}.
 */
final class FloorCheck implements RecordCheck {

    private final FlowFileEvidence evidence;
    private final GrantScope scope;
    private final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
    private Decision highestDenial;
    private int highestDenialRank = -1;

    FloorCheck(final FlowFileEvidence evidence) {
        this.evidence = evidence;
        this.scope = evidence.scope();
    }

    @Override
    public Decision check(final Record record, final Grade grade) {
        final Grade counted = grade == null ? scope.ladder().highest() : grade;
        if (!scope.neverLeaves(counted)) {
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
        final Decision decision = evidence.fields().neverReleased(counted, held::contains);
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
