package io.publicdata.nifi.classify;

import io.publicdata.nifi.path.FieldPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Grades field values (分类分级): rules first, then detectors and field-name hints, the highest grade
 * winning (就高从严), and a default grade (never the lowest unless configured) for fields nothing covers.
 * Immutable and thread-safe; per-FlowFile state lives in {@link ClassificationSummary}.
 */
public final class Classifier {

    private static final FieldPath VALUE = FieldPath.ROOT.child("value");

    private final GradeLadder ladder;
    private final Grade defaultGrade;
    private final boolean nameHints;
    private final List<Rule> fieldRules;
    private final Map<String, Grade> labelGrades;
    private final List<Detector> detectors;

    /**
     * @param ladder       the grade ladder
     * @param rules        rules (may be {@link Rules#none()})
     * @param defaultGrade grade of fields no rule, detector or hint covers; the rules document's own
     *                     default grade, when it has one, takes precedence
     * @param nameHints    whether field names such as {@code name}, {@code 地址} label fields
     */
    public Classifier(final GradeLadder ladder, final Rules rules, final Grade defaultGrade, final boolean nameHints) {
        this.ladder = ladder;
        this.defaultGrade = rules.defaultGrade().orElse(defaultGrade);
        this.nameHints = nameHints;
        this.detectors = Detectors.builtIn();
        final List<Rule> byField = new ArrayList<>();
        final Map<String, Grade> byLabel = new HashMap<>();
        for (final Detector detector : detectors) {
            byLabel.put(detector.label(), ladder.atRank(detector.defaultRank()));
        }
        for (final String label : List.of(Labels.PERSON_NAME, Labels.ADDRESS, Labels.BIRTH_DATE)) {
            byLabel.put(label, ladder.atRank(FieldNameHints.RANK));
        }
        for (final Rule rule : rules.rules()) {
            if (rule.label() != null) {
                byLabel.put(rule.label(), rule.grade());
            } else {
                byField.add(rule);
            }
        }
        this.fieldRules = List.copyOf(byField);
        this.labelGrades = Map.copyOf(byLabel);
    }

    /** A classifier with the default ladder, no rules, default grade L2 and field-name hints on. */
    public static Classifier defaults() {
        final GradeLadder ladder = GradeLadder.defaultLadder();
        return new Classifier(ladder, Rules.none(), ladder.grade("L2"), true);
    }

    public GradeLadder ladder() {
        return ladder;
    }

    public Grade defaultGrade() {
        return defaultGrade;
    }

    public List<Detector> detectors() {
        return detectors;
    }

    /** The grade a label carries: a label rule's grade, else the detector's or hint's default. */
    public Grade gradeOf(final String label) {
        return labelGrades.get(label);
    }

    /**
     * Works out, once per place, what the rules and hints say about it; the returned policy then grades each of
     * its values. Name rules and hints read the name of the field the place belongs to (for a map's entries
     * {@code /m/*}, the map's field {@code m}).
     */
    public FieldPolicy policy(final FieldPath path) {
        final String fieldName = path.fieldName() == null ? "" : path.fieldName();
        Grade ruleGrade = null;
        final TreeSet<String> labels = new TreeSet<>();
        boolean detect = true;
        for (final Rule rule : fieldRules) {
            if (rule.matchesField(path)) {
                ruleGrade = Grade.max(ruleGrade, rule.grade());
                labels.addAll(rule.labels());
                detect &= rule.detect();
            }
        }
        if (detect && nameHints) {
            final String hinted = FieldNameHints.labelFor(fieldName);
            if (hinted != null) {
                labels.add(hinted);
            }
        }
        Grade grade = ruleGrade;
        for (final String label : labels) {
            grade = Grade.max(grade, labelGrades.get(label));
        }
        final FieldGrade fixed = grade == null ? null : new FieldGrade(grade, labels);
        return new FieldPolicy(this, fixed, detect);
    }

    /** Grades a single text the way a field without rules would be graded; for tools and tests. */
    public FieldGrade classify(final String text) {
        return policy(VALUE).grade(text);
    }
}
