package io.publicdata.nifi.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.publicdata.nifi.path.FieldPath;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierTest {

    private static final GradeLadder LADDER = GradeLadder.defaultLadder();

    @Test
    void defaultLadderFollowsThePolicy() {
        assertEquals(java.util.List.of("L1", "L2", "L3", "L4", "L5"), LADDER.codes());
        assertEquals("核心", LADDER.highest().name());
        assertEquals("一般·公开", LADDER.lowest().name());
        assertTrue(LADDER.grade("L4").isAbove(LADDER.grade("L3")));
        assertEquals(LADDER.toSpec(), GradeLadder.parse(LADDER.toSpec()).toSpec());
    }

    @Test
    void customLadder() {
        final GradeLadder ladder = GradeLadder.parse("PUBLIC=公开, INTERNAL, SECRET=秘密");
        assertEquals(3, ladder.grades().size());
        assertEquals("INTERNAL", ladder.grade("INTERNAL").name());
        assertEquals(ladder.grade("SECRET"), ladder.atRank(4), "ranks beyond the ladder map to its top");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "L1", "L1, L1", "L1=a,,L2", "L 1, L2"})
    void badLaddersSayWhy(final String spec) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradeLadder.parse(spec));
        assertTrue(e.getMessage().length() > 20, e.getMessage());
    }

    @Test
    void unknownGradeListsTheLadder() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LADDER.grade("L9"));
        assertEquals("Unknown grade 'L9'; this ladder has [L1, L2, L3, L4, L5]", e.getMessage());
    }

    @Test
    void detectorsGradePersonalInformationAsSensitive() {
        final Classifier classifier = Classifier.defaults();
        assertEquals(new FieldGrade(LADDER.grade("L3"), new java.util.TreeSet<>(Set.of(Labels.PERSONAL_ID))),
                classifier.classify("11010519491231002X"));
        assertEquals("L3", classifier.classify("请拨打13800138000联系").grade().code());
        assertEquals(Set.of(Labels.MOBILE, Labels.EMAIL), classifier.classify("13800138000 / a@b.io").labels());
        assertEquals("L2", classifier.classify("914403001922038216").grade().code(), "an organisation's code is not personal");
        assertEquals("L2", classifier.classify("北京市统计局").grade().code(), "uncovered text gets the default grade");
    }

    @Test
    void pathRulesGradeAndLabelFields() {
        final Rules rules = Rules.parse("""
            {"rules": [
              {"path": "/applicant/salary", "grade": "L4", "labels": ["FINANCIAL"]},
              {"path": "/district", "grade": "L1", "detect": false},
              {"path": "/remark", "grade": "L1"},
              {"path": "/**/secret", "grade": "L5"},
              {"path": "/contacts/*/note", "grade": "L2"}
            ]}""", LADDER);
        final Classifier classifier = new Classifier(LADDER, rules, LADDER.grade("L2"), true);
        assertEquals(new FieldGrade(LADDER.grade("L4"), new java.util.TreeSet<>(Set.of("FINANCIAL"))),
                classifier.policy(FieldPath.parse("/applicant/salary")).grade("8000"));
        assertEquals("L1", classifier.policy(FieldPath.parse("/district")).grade("13800138000").grade().code(),
                "detect=false switches detectors off for the field");
        assertEquals("L3", classifier.policy(FieldPath.parse("/remark")).grade("联系13800138000").grade().code(),
                "就高从严: a detected phone raises a field a rule put lower");
        assertEquals("L1", classifier.policy(FieldPath.parse("/remark")).grade("无").grade().code());
        assertEquals("L5", classifier.policy(FieldPath.parse("/a/b/secret")).grade("x").grade().code());
        assertEquals("L5", classifier.policy(FieldPath.parse("/secret")).grade("x").grade().code());
        assertEquals("L2", classifier.policy(FieldPath.parse("/contacts/home/note")).grade("x").grade().code());
        assertEquals("L2", classifier.policy(FieldPath.parse("/contacts/note")).grade("x").grade().code(), "default grade");
    }

    @Test
    void nameAndLabelRules() {
        final Rules rules = Rules.parse("""
            [{"name": "(?i).*salary.*", "grade": "L4"},
             {"label": "MOBILE", "grade": "L4"},
             {"label": "IP_ADDRESS", "grade": "L2"}]""", LADDER);
        final Classifier classifier = new Classifier(LADDER, rules, LADDER.grade("L2"), true);
        assertEquals("L4", classifier.policy(FieldPath.parse("/x/baseSalary")).grade("1").grade().code());
        assertEquals("L4", classifier.classify("13800138000").grade().code(), "a label rule overrides the detector's default");
        assertEquals("L2", classifier.classify("10.0.0.1").grade().code());
    }

    @Test
    void fieldNameHints() {
        final Classifier classifier = Classifier.defaults();
        assertEquals(new FieldGrade(LADDER.grade("L3"), new java.util.TreeSet<>(Set.of(Labels.PERSON_NAME))),
                classifier.policy(FieldPath.parse("/姓名")).grade("张三"));
        assertEquals(Set.of(Labels.ADDRESS), classifier.policy(FieldPath.parse("/homeAddress")).grade("北京").labels());
        assertEquals(Set.of(Labels.BIRTH_DATE), classifier.policy(FieldPath.parse("/csrq")).grade(null).labels());
        assertEquals(Set.of(), classifier.policy(FieldPath.parse("/companyName")).grade("华为").labels(), "a company name is not a person");
        final Classifier noHints = new Classifier(LADDER, Rules.none(), LADDER.grade("L2"), false);
        assertEquals("L2", noHints.policy(FieldPath.parse("/name")).grade("张三").grade().code());
    }

    @Test
    void rulesDocumentDefaultGradeWins() {
        final Rules rules = Rules.parse("{\"defaultGrade\": \"L3\", \"rules\": []}", LADDER);
        assertEquals("L3", new Classifier(LADDER, rules, LADDER.grade("L2"), true).classify("plain").grade().code());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{",
        "\"rules\"",
        "{\"rulez\": []}",
        "{\"rules\": {}}",
        "{\"rules\": [{\"grade\": \"L3\"}]}",
        "{\"rules\": [{\"path\": \"/a\", \"name\": \"a\", \"grade\": \"L3\"}]}",
        "{\"rules\": [{\"path\": \"/a\"}]}",
        "{\"rules\": [{\"path\": \"/a\", \"grade\": \"L7\"}]}",
        "{\"rules\": [{\"path\": \"a\", \"grade\": \"L3\"}]}",
        "{\"rules\": [{\"path\": \"/a//b\", \"grade\": \"L3\"}]}",
        "{\"rules\": [{\"name\": \"(\", \"grade\": \"L3\"}]}",
        "{\"rules\": [{\"path\": \"/a\", \"grade\": \"L3\", \"detect\": \"no\"}]}",
        "{\"rules\": [{\"label\": \"MOBILE\", \"grade\": \"L3\", \"detect\": false}]}",
        "{\"rules\": [{\"path\": \"/a\", \"grade\": \"L3\", \"lables\": [\"X\"]}]}",
        "{\"defaultGrade\": \"L0\", \"rules\": []}"
    })
    void invalidRulesSayWhatIsWrong(final String json) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rules.parse(json, LADDER));
        assertTrue(e.getMessage() != null && e.getMessage().length() > 15, e.getMessage());
    }

    @Test
    void ruleErrorNamesTheRule() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rules.parse("{\"rules\": [{\"path\": \"/ok\", \"grade\": \"L1\"}, {\"path\": \"/a\", \"grade\": \"L7\"}]}", LADDER));
        assertEquals("rule 2: Unknown grade 'L7'; this ladder has [L1, L2, L3, L4, L5]", e.getMessage());
    }

    @Test
    void summaryCountsRecordsAndKeepsHighestFieldGrade() {
        final ClassificationSummary summary = new ClassificationSummary(Classifier.defaults());
        final FieldPolicy phone = summary.policy(FieldPath.parse("/phone"));
        summary.field(FieldPath.parse("/phone"), phone.grade("n/a"));
        summary.field(FieldPath.parse("/phone"), phone.grade("13800138000"));
        summary.field(FieldPath.parse("/phone"), phone.grade("n/a"));
        summary.record(LADDER.grade("L3"));
        summary.record(LADDER.grade("L1"));
        summary.record(LADDER.grade("L3"));
        assertEquals("L1=1,L3=2", summary.countsText());
        assertEquals("L3", summary.highest().code());
        assertEquals(3, summary.recordCount());
        assertEquals("{\"/phone\":{\"grade\":\"L3\",\"labels\":[\"MOBILE\"]}}", summary.fields().toJson());
        assertEquals(summary.fields().byPath(), FieldGrades.fromJson(summary.fields().toJson(), LADDER).byPath());
    }

    @Test
    void emptySummaryIsLowestGrade() {
        final ClassificationSummary summary = new ClassificationSummary(Classifier.defaults());
        assertEquals("L1", summary.highest().code());
        assertEquals("", summary.countsText());
        assertEquals("{}", summary.fields().toJson());
    }

    @Test
    void rulesMadeElsewhereAreAdded() {
        final Rules document = Rules.parse("{\"defaultGrade\": \"L1\", \"rules\": [{\"path\": \"/a\", \"grade\": \"L2\"}]}", LADDER);
        final Rules more = document.withRules(java.util.List.of(new Rule(FieldPath.parse("/b/*"), null, null, LADDER.grade("L4"), Set.of("X"), true)));
        assertEquals(2, more.rules().size());
        assertEquals(document.defaultGrade(), more.defaultGrade());
        final Classifier classifier = new Classifier(LADDER, more, LADDER.grade("L2"), false);
        assertEquals("L4", classifier.policy(FieldPath.parse("/b/*")).grade("x").grade().code());
        assertEquals(Set.of("X"), classifier.policy(FieldPath.parse("/b/c")).grade("x").labels());
    }
}
