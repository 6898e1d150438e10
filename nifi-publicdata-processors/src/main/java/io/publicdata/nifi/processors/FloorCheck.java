package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.path.FieldPath;

import java.util.function.Predicate;

/**
 * The protection floor's never-leaving grades (不予开放): a record that holds a value of such a grade is denied with
 * {@link DenyCode#GRADE_NEVER_RELEASED}, whatever the grant says and however the value is protected (see
 * {@link io.publicdata.nifi.grant.FieldEvidence#neverReleased}). The floor's protection requirements are checked with the
 * grant's, by {@link ProtectionCheck}.
 */
final class FloorCheck extends HeldFieldsCheck {

    FloorCheck(final FlowFileEvidence evidence) {
        super(evidence);
    }

    @Override
    boolean appliesTo(final GrantScope scope, final Grade grade) {
        return scope.neverLeaves(grade);
    }

    @Override
    Decision decide(final FlowFileEvidence evidence, final Grade grade, final Predicate<FieldPath> held) {
        return evidence.fields().neverReleased(grade, held);
    }
}
