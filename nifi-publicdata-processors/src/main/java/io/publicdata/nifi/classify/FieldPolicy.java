package io.publicdata.nifi.classify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How one field path is graded: what rules and hints fix in advance, and whether detectors look at
 * its values. Remembers the grades of recent values and of each combination of detected labels, so it is
 * meant for one thread (one FlowFile) at a time; what it remembers is bounded.
 */
public final class FieldPolicy {

    private static final int MEMO_LIMIT = 256;
    private static final int MEMO_MAX_LENGTH = 64;
    private static final int MEMO_TRIAL = 32;

    private final Classifier classifier;
    private final FieldGrade fixed;
    private final FieldGrade nothingFound;
    private final boolean detect;
    private final FieldGrade[] byDetectedMask;
    private final Hit hit = new Hit();
    /** Grades of values already seen: many fields repeat a few values (districts, services, remarks). */
    private Map<String, FieldGrade> memo = new HashMap<>();
    private int memoHits;
    private int memoMisses;
    private final TextShape shape = new TextShape();

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
        if (memo != null) {
            final FieldGrade known = memo.get(text);
            if (known != null) {
                memoHits++;
                return known;
            }
            if (++memoMisses == MEMO_TRIAL && memoHits < memoMisses) {
                // Mostly distinct values (IDs, phones): looking them up costs more than it saves
                memo = null;
            }
        }
        final FieldGrade grade = detect(text);
        if (memo != null && memo.size() < MEMO_LIMIT && text.length() <= MEMO_MAX_LENGTH) {
            memo.put(text, grade);
        }
        return grade;
    }

    private FieldGrade detect(final String text) {
        final List<Detector> detectors = classifier.detectors();
        final TextShape shape = this.shape.reset(text);
        if (!shape.mayHoldIdentifier()) {
            return nothingFound;
        }
        int mask = 0;
        for (int i = 0; i < detectors.size(); i++) {
            final Detector detector = detectors.get(i);
            if (detector.mayOccurIn(shape)) {
                hit.found = false;
                detector.find(shape, hit);
                if (hit.found) {
                    mask |= 1 << i;
                }
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

    /** Notes that a detector found something; reused for every value to spare an allocation per detector. */
    private static final class Hit implements Detector.SpanSink {
        private boolean found;

        @Override
        public void accept(final int start, final int end) {
            found = true;
        }
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
