package io.publicdata.nifi.classify;

import java.util.List;
import java.util.TreeSet;

/**
 * How one field path is graded: what rules and hints fix in advance, and whether detectors look at
 * its values. Remembers the grade of each combination of detected labels, so it is meant for one
 * thread (one FlowFile) at a time.
 */
public final class FieldPolicy {

    private final Classifier classifier;
    private final FieldGrade fixed;
    private final FieldGrade nothingFound;
    private final boolean detect;
    private final FieldGrade[] byDetectedMask;

    FieldPolicy(final Classifier classifier, final FieldGrade fixed, final boolean detect) {
        this.classifier = classifier;
        this.fixed = fixed;
        this.detect = detect;
        this.nothingFound = fixed != null ? fixed : new FieldGrade(classifier.defaultGrade(), new TreeSet<>());
        this.byDetectedMask = new FieldGrade[1 << classifier.detectors().size()];
    }

    /** Whether detectors examine this field's values. */
    public boolean detects() {
        return detect;
    }

    /**
     * The grade of one value of this field.
     *
     * @param text the value as text, or null when it is not textual (a boolean, a decimal, a date)
     */
    public FieldGrade grade(final String text) {
        if (!detect || text == null || text.isEmpty()) {
            return nothingFound;
        }
        final List<Detector> detectors = classifier.detectors();
        final TextShape shape = TextShape.of(text);
        int mask = 0;
        for (int i = 0; i < detectors.size(); i++) {
            final Detector detector = detectors.get(i);
            if (detector.mayOccurIn(shape) && detector.foundIn(text)) {
                mask |= 1 << i;
            }
        }
        if (mask == 0) {
            return nothingFound;
        }
        FieldGrade grade = byDetectedMask[mask];
        if (grade == null) {
            grade = combine(mask, detectors);
            byDetectedMask[mask] = grade;
        }
        return grade;
    }

    private FieldGrade combine(final int mask, final List<Detector> detectors) {
        final TreeSet<String> labels = new TreeSet<>();
        Grade grade = fixed == null ? null : fixed.grade();
        if (fixed != null) {
            labels.addAll(fixed.labels());
        }
        for (int i = 0; i < detectors.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                final String label = detectors.get(i).label();
                labels.add(label);
                grade = Grade.max(grade, classifier.gradeOf(label));
            }
        }
        return new FieldGrade(grade, labels);
    }
}
