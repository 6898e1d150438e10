package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import org.apache.nifi.serialization.record.Record;

import java.util.StringJoiner;

/** A record's grade against the grant's maximum grade ({@link DenyCode#GRADE_EXCEEDS_GRANT}); counts denials per grade. */
final class GradeCheck implements RecordCheck {

    private final GrantScope scope;
    private final GradeLadder ladder;
    /** By grade rank, and last for records without a grade. */
    private final long[] deniedPerGrade;

    GradeCheck(final FlowFileEvidence evidence) {
        this.scope = evidence.scope();
        this.ladder = scope.ladder();
        this.deniedPerGrade = new long[ladder.grades().size() + 1];
    }

    @Override
    public Decision check(final Record record, final Grade grade) {
        final Decision decision = scope.checkGrade(grade);
        if (!decision.permitted()) {
            deniedPerGrade[grade == null ? deniedPerGrade.length - 1 : grade.rank()]++;
        }
        return decision;
    }

    @Override
    public String summary(final DenyCode code, final long records) {
        final StringJoiner grades = new StringJoiner(", ");
        for (final Grade grade : ladder.grades()) {
            if (deniedPerGrade[grade.rank()] > 0) {
                grades.add(grade.code() + "=" + deniedPerGrade[grade.rank()]);
            }
        }
        if (deniedPerGrade[deniedPerGrade.length - 1] > 0) {
            grades.add("ungraded=" + deniedPerGrade[deniedPerGrade.length - 1]);
        }
        return "above the grant's maximum grade " + scope.maximumGrade().code() + " (" + grades + ")";
    }
}
