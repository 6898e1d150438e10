package io.publicdata.nifi.classify;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What classification found for one field path: its grade and the labels that put it there.
 * Never holds a value, so it may travel in FlowFile attributes and provenance.
 */
public record FieldGrade(Grade grade, SortedSet<String> labels) {

    public FieldGrade {
        Objects.requireNonNull(grade, "grade");
        labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    }

    /** Combines two findings for the same field: the higher grade wins (就高从严), labels add up. */
    public FieldGrade merge(final FieldGrade other) {
        if (other == null || other == this || (other.grade.rank() <= grade.rank() && labels.containsAll(other.labels))) {
            return this;
        }
        final TreeSet<String> union = new TreeSet<>(labels);
        union.addAll(other.labels);
        return new FieldGrade(Grade.max(grade, other.grade), union);
    }
}
