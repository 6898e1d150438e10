package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.path.FieldPath;

import java.util.function.Predicate;

/**
 * The grant's required protection (授权条件) for a record of its grade, shown by the field grades and protections
 * the FlowFile carries ({@link DenyCode#PROTECTION_REQUIRED}), judged for each record from the fields it holds values
 * in (see {@link io.publicdata.nifi.grant.FieldEvidence#protection(Grade, Predicate)}): a field it holds nothing in
 * needs no protection in it.
 */
final class ProtectionCheck extends HeldFieldsCheck {

    ProtectionCheck(final FlowFileEvidence evidence) {
        super(evidence);
    }

    @Override
    boolean appliesTo(final GrantScope scope, final Grade grade) {
        return scope.protectionRequired(grade);
    }

    @Override
    Decision decide(final FlowFileEvidence evidence, final Grade grade, final Predicate<FieldPath> held) {
        return evidence.fields().protection(grade, held);
    }
}
