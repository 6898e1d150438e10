package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import org.apache.nifi.serialization.record.Record;

/**
 * One check of each record of a FlowFile against the grant, made after the fields outside the grant were handled:
 * the grade against the maximum grade, the required protection, ... ({@link GrantChecks} lists them in order). A
 * check is made for one FlowFile by its {@link Factory}, which is made once when the processor starts; it is used
 * by one thread and may remember what it denied, to say so in {@link #summary}.
 */
interface RecordCheck {

    /**
     * @param record what is left of the record once fields outside the grant were removed
     * @param grade  the record's grade, lowered if removing fields showed it; null when it has none (the top grade counts)
     * @return {@link Decision#PERMIT} to let the next check decide, or the record's denial
     */
    Decision check(Record record, Grade grade);

    /**
     * What the records this check denied with this code have in common, as it follows {@code CODE: 2 records } in
     * {@code publicdata.deny.reason}, e.g. {@code above the grant's maximum grade L3 (L4=1, ungraded=1)}. Names no value.
     */
    String summary(DenyCode code, long records);

    /** Makes the check for one FlowFile; immutable and shared by all tasks. */
    @FunctionalInterface
    interface Factory {
        RecordCheck forFlowFile(FlowFileEvidence evidence);
    }
}
