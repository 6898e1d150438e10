package io.publicdata.nifi.cli.report;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the lineage chain says of the use of one dataset under one grant (in one month, or in all): FlowFiles and
 * records released, by grade, with the protection methods applied to which fields, and FlowFiles and records denied,
 * by deny code. Filled event by event.
 */
public final class Tally {

    long releasedFlowFiles;
    long releasedRecords;
    /** Released FlowFiles whose record count the event did not give. */
    long releasedUncounted;
    final Map<String, Long> releasedByGrade = new TreeMap<>();
    final Map<String, Set<String>> methods = new TreeMap<>();
    long deniedFlowFiles;
    long deniedRecords;
    /** Denial events that did not count their records. */
    long deniedUncounted;
    /** Records denied per code (a code whose records were not counted adds none). */
    final Map<String, Long> deniedByCode = new TreeMap<>();
    /** Denied FlowFiles per code. */
    final Map<String, Long> deniedFlowFilesByCode = new TreeMap<>();

    void released(final long records, final Map<String, Long> byGrade, final Map<String, String> protectedFields) {
        releasedFlowFiles++;
        if (records >= 0) {
            releasedRecords += records;
        } else {
            releasedUncounted++;
        }
        byGrade.forEach((grade, count) -> releasedByGrade.merge(grade, count, Long::sum));
        protectedFields.forEach((field, method) -> methods.computeIfAbsent(method, m -> new TreeSet<>()).add(field));
    }

    void denied(final long records, final Map<String, Long> byCode) {
        deniedFlowFiles++;
        if (records >= 0) {
            deniedRecords += records;
        } else {
            deniedUncounted++;
        }
        byCode.forEach((code, count) -> {
            deniedByCode.merge(code, count == null || count < 0 ? 0L : count, Long::sum);
            deniedFlowFilesByCode.merge(code, 1L, Long::sum);
        });
    }

    public long releasedFlowFiles() {
        return releasedFlowFiles;
    }

    public long releasedRecords() {
        return releasedRecords;
    }

    public long releasedUncounted() {
        return releasedUncounted;
    }

    public Map<String, Long> releasedByGrade() {
        return releasedByGrade;
    }

    public Map<String, Set<String>> methods() {
        return methods;
    }

    public long deniedFlowFiles() {
        return deniedFlowFiles;
    }

    public long deniedRecords() {
        return deniedRecords;
    }

    public long deniedUncounted() {
        return deniedUncounted;
    }

    public Map<String, Long> deniedByCode() {
        return deniedByCode;
    }

    public Map<String, Long> deniedFlowFilesByCode() {
        return deniedFlowFilesByCode;
    }
}
