package io.publicdata.nifi.classify;

import io.publicdata.nifi.path.FieldPath;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What classification found in one FlowFile: records per grade, and each field path's highest grade
 * and labels. One per FlowFile, used by one thread; it caches each path's {@link FieldPolicy}.
 */
public final class ClassificationSummary {

    private final Classifier classifier;
    private final Map<FieldPath, FieldPolicy> policies = new HashMap<>();
    private final Map<FieldPath, FieldGrade> fields = new HashMap<>();
    private final long[] recordsPerGrade;

    public ClassificationSummary(final Classifier classifier) {
        this.classifier = classifier;
        this.recordsPerGrade = new long[classifier.ladder().grades().size()];
    }

    public GradeLadder ladder() {
        return classifier.ladder();
    }

    public FieldPolicy policy(final FieldPath path) {
        return policies.computeIfAbsent(path, classifier::policy);
    }

    /** Notes a field's grade (the field's highest grade over all records is kept). */
    public void field(final FieldPath path, final FieldGrade grade) {
        final FieldGrade known = fields.get(path);
        if (known == grade) {
            return;
        }
        final FieldGrade merged = known == null ? grade : known.merge(grade);
        if (merged != known) {
            fields.put(path, merged);
        }
    }

    /** Counts one record of the given grade. */
    public void record(final Grade grade) {
        recordsPerGrade[grade.rank()]++;
    }

    public FieldGrades fields() {
        return new FieldGrades(fields);
    }

    public long recordCount() {
        long total = 0;
        for (final long n : recordsPerGrade) {
            total += n;
        }
        return total;
    }

    /** The highest grade of any record, or the ladder's lowest when there were no records. */
    public Grade highest() {
        for (int rank = recordsPerGrade.length - 1; rank >= 0; rank--) {
            if (recordsPerGrade[rank] > 0) {
                return classifier.ladder().atRank(rank);
            }
        }
        return classifier.ladder().lowest();
    }

    /** Records per grade, least sensitive first, grades without records left out. */
    public Map<Grade, Long> counts() {
        final Map<Grade, Long> counts = new LinkedHashMap<>();
        for (int rank = 0; rank < recordsPerGrade.length; rank++) {
            if (recordsPerGrade[rank] > 0) {
                counts.put(classifier.ladder().atRank(rank), recordsPerGrade[rank]);
            }
        }
        return counts;
    }

    /** Counts in the {@code publicdata.grade.counts} form, e.g. {@code L1=120,L3=8}. */
    public String countsText() {
        final StringJoiner joiner = new StringJoiner(",");
        counts().forEach((grade, n) -> joiner.add(grade.code() + "=" + n));
        return joiner.toString();
    }
}
