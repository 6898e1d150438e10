package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.path.FieldPath;
import org.apache.nifi.serialization.record.Record;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A record check judged from the FlowFile's field evidence for the fields the record itself holds values in (never from
 * a neighbouring record's values): it walks the record, only for a grade the check applies to, and names in its summary
 * the reason of the highest grade it denied, which names every field the lower grades' reasons name.
 */
abstract class HeldFieldsCheck implements RecordCheck {

    private final FlowFileEvidence evidence;
    private final GrantScope scope;
    private final RecordWalker<Void> walker = new RecordWalker<>((path, parent) -> null);
    private Decision highestDenial;
    private int highestDenialRank = -1;

    HeldFieldsCheck(final FlowFileEvidence evidence) {
        this.evidence = evidence;
        this.scope = evidence.scope();
    }

    /** Whether records of this grade are checked at all. */
    abstract boolean appliesTo(GrantScope scope, Grade grade);

    /** The decision for a record of this grade holding values in the fields {@code held} accepts. */
    abstract Decision decide(FlowFileEvidence evidence, Grade grade, Predicate<FieldPath> held);

    @Override
    public final Decision check(final Record record, final Grade grade) {
        final Grade counted = grade == null ? scope.ladder().highest() : grade;
        if (!appliesTo(scope, counted)) {
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
        final Decision decision = decide(evidence, counted, held::contains);
        if (!decision.permitted() && counted.rank() > highestDenialRank) {
            highestDenialRank = counted.rank();
            highestDenial = decision;
        }
        return decision;
    }

    @Override
    public final String summary(final DenyCode code, final long records) {
        return "(" + highestDenial.reason() + ")";
    }
}
