package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantScope;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The record-level decisions of one FlowFile: the fields outside the grant are handled first (removed, or the record
 * denied), then each {@link RecordCheck} in turn decides what is left; the first denial is the record's. Keeps what
 * was denied and why, for the unauthorized FlowFile's reason and for provenance.
 */
final class RecordDecisions {

    private static final int NOTED_PATHS = 10;

    private final FlowFileEvidence evidence;
    private final NarrowedFieldGrades narrowedFieldGrades;
    private final GrantScope scope;
    private final GradeLadder ladder;
    private final String gradeField;
    private final PermittedFieldFilter filter;
    private final List<RecordCheck> checks;
    private final Grade flowFileGrade;
    private final Map<DenyCode, Long> denials = new EnumMap<>(DenyCode.class);
    /** For each code a check denied with, the check: it summarises its denials. */
    private final Map<DenyCode, RecordCheck> deniedBy = new EnumMap<>(DenyCode.class);
    private final Set<String> deniedPaths = new TreeSet<>();
    private final long[] authorizedPerGrade;
    private long permitted;
    private boolean fieldsUnreadable;
    private String lastCode;
    private Grade lastGrade;

    /**
     * @param checks        the record checks, in the order they run
     * @param gradeField    the root field holding each record's grade; null to give every record the FlowFile's grade
     * @param removeOutside true to remove values outside the permitted fields, false to deny their records
     * @param narrowedFieldGrades the authorized FlowFiles' field grades, remembered across FlowFiles
     */
    RecordDecisions(final FlowFileEvidence evidence, final List<RecordCheck.Factory> checks, final String gradeField, final boolean removeOutside,
                    final NarrowedFieldGrades narrowedFieldGrades) {
        this.evidence = evidence;
        this.narrowedFieldGrades = narrowedFieldGrades;
        this.scope = evidence.scope();
        this.ladder = scope.ladder();
        this.gradeField = gradeField;
        this.filter = new PermittedFieldFilter(scope.permittedFields(), removeOutside, gradeField);
        this.checks = new ArrayList<>(checks.size());
        checks.forEach(factory -> this.checks.add(factory.forFlowFile(evidence)));
        this.flowFileGrade = gradeField == null ? ladder.find(evidence.attributes().get(PublicDataAttributes.GRADE)).orElse(null) : null;
        this.authorizedPerGrade = new long[ladder.grades().size()];
    }

    /**
     * The classification attributes as they hold for the authorized records: grades per record after any
     * fields were removed, and field grades of the permitted fields only.
     */
    Map<String, String> authorizedAttributes() {
        final Map<String, String> updated = new HashMap<>();
        if (gradeField != null) {
            final StringJoiner counts = new StringJoiner(",");
            Grade highest = null;
            for (final Grade grade : ladder.grades()) {
                if (authorizedPerGrade[grade.rank()] > 0) {
                    counts.add(grade.code() + "=" + authorizedPerGrade[grade.rank()]);
                    highest = grade;
                }
            }
            if (highest != null) {
                updated.put(PublicDataAttributes.GRADE, highest.code());
                updated.put(PublicDataAttributes.GRADE_COUNTS, counts.toString());
            }
        }
        final String fields = evidence.attributes().get(PublicDataAttributes.FIELDS);
        if (fields != null) {
            final Optional<String> narrowed = narrowedFieldGrades.narrow(fields, scope.permittedFields(), ladder);
            if (narrowed.isPresent()) {
                updated.put(PublicDataAttributes.FIELDS, narrowed.get());
            } else {
                // Field grades that cannot be read cannot be narrowed: none is better than wrong ones
                fieldsUnreadable = true;
            }
        }
        return updated;
    }

    /** Attributes of the input that would be wrong on the authorized FlowFile. */
    Set<String> staleAttributes() {
        return fieldsUnreadable ? Set.of(PublicDataAttributes.DENY_REASON, PublicDataAttributes.FIELDS) : Set.of(PublicDataAttributes.DENY_REASON);
    }

    /** The record to authorize, narrowed to the permitted fields; or null when it is denied. */
    Record decide(final Record record) {
        final Grade grade = gradeField == null ? flowFileGrade : gradeOf(record.getValue(gradeField));
        final Record kept = filter.filter(record);
        if (kept == null) {
            deny(DenyCode.FIELD_NOT_PERMITTED, null);
            for (final String path : filter.outsidePaths()) {
                if (deniedPaths.size() < NOTED_PATHS) {
                    deniedPaths.add(path);
                }
            }
            return null;
        }
        final Grade effective = effectiveGrade(grade, kept);
        for (final RecordCheck check : checks) {
            final Decision decision = check.check(kept, effective);
            if (!decision.permitted()) {
                deny(decision.code(), check);
                return null;
            }
        }
        permitted++;
        filter.countRemovals();
        authorizedPerGrade[(effective == null ? ladder.highest() : effective).rank()]++;
        if (effective != grade && gradeField != null) {
            // Fields were removed (so this is a record of our own): its grade now describes what remains
            kept.setValue(gradeField, effective.code());
        }
        return kept;
    }

    /** The grade with this code, or null; remembers the last code, as neighbouring records mostly share grades. */
    private Grade gradeOf(final Object code) {
        if (code == null) {
            return null;
        }
        final String text = code.toString();
        if (!text.equals(lastCode)) {
            lastCode = text;
            lastGrade = ladder.find(text).orElse(null);
        }
        return lastGrade;
    }

    RecordSchema keptSchema(final RecordSchema schema) {
        return filter.keptSchema(schema);
    }

    /**
     * The record's grade, or, when fields the grant does not permit were removed from it, the highest grade the
     * field grades give the fields that remain, if that is lower and classification saw every one of them.
     */
    private Grade effectiveGrade(final Grade grade, final Record kept) {
        if (grade == null || !filter.removedValues() || !grade.isAbove(scope.maximumGrade()) || !evidence.hasFieldGrades()) {
            return grade;
        }
        final Grade bound = evidence.fields().keptGrade();
        return bound != null && bound.rank() < grade.rank() && filter.allValuesListed(kept, evidence.fields()) ? bound : grade;
    }

    private void deny(final DenyCode code, final RecordCheck check) {
        denials.merge(code, 1L, Long::sum);
        if (check != null) {
            deniedBy.putIfAbsent(code, check);
        }
    }

    /** One {@code CODE: text} per code, in the order of the codes, separated by semicolons. */
    String denyReason() {
        final StringJoiner reason = new StringJoiner("; ");
        denials.forEach((code, count) -> {
            final String records = count + (count == 1 ? " record " : " records ");
            reason.add(code + ": " + records + (code == DenyCode.FIELD_NOT_PERMITTED
                    ? (count == 1 ? "holds" : "hold") + " values in fields the grant does not permit (" + String.join(", ", deniedPaths) + ")"
                    : deniedBy.get(code).summary(code, count)));
        });
        return reason.toString();
    }

    /** Records denied per code, e.g. {@code GRADE_EXCEEDS_GRANT=2,FIELD_NOT_PERMITTED=1}, in the order of the codes. */
    String denyCounts() {
        final StringJoiner counts = new StringJoiner(",");
        denials.forEach((code, count) -> counts.add(code + "=" + count));
        return counts.toString();
    }

    long denied() {
        return denials.values().stream().mapToLong(Long::longValue).sum();
    }

    String provenanceDetails() {
        final StringBuilder details = new StringBuilder();
        final long denied = denied();
        if (permitted > 0 || denied == 0) {
            details.append("PERMIT ").append(permitted).append(permitted == 1 ? " record" : " records").append(" to authorized");
        }
        if (denied > 0) {
            details.append(details.isEmpty() ? "" : ", ").append("DENY ").append(denied).append(denied == 1 ? " record" : " records").append(" to unauthorized (")
                    .append(String.join(", ", denials.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())).append(')');
        }
        if (filter.trimmedRecords() > 0) {
            details.append("; removed fields outside the grant (").append(filter.removedPaths()).append(") from ")
                    .append(filter.trimmedRecords()).append(filter.trimmedRecords() == 1 ? " record" : " records");
        }
        return details.toString();
    }
}
