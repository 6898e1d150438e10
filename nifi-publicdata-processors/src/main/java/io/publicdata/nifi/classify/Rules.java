package io.publicdata.nifi.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.publicdata.nifi.path.FieldPath;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parsed classification rules document (分类分级规则). Its JSON form:
 * <pre>{@code
 * {
 *   "defaultGrade": "L2",
 *   "rules": [
 *     {"path": "/applicant/idCard", "grade": "L3", "labels": ["PERSONAL_ID"]},
 *     {"name": "(?i).*salary.*",    "grade": "L4", "labels": ["FINANCIAL"]},
 *     {"label": "MOBILE",           "grade": "L4"},
 *     {"path": "/orderNo",          "grade": "L1", "detect": false}
 *   ]
 * }
 * }</pre>
 * A bare JSON array of rules is accepted too. Unknown keys are errors, so a typo never silently
 * weakens a rule.
 */
public final class Rules {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> DOCUMENT_KEYS = Set.of("defaultGrade", "rules", "description");
    private static final Set<String> RULE_KEYS = Set.of("path", "name", "label", "grade", "labels", "detect", "description");

    private static final Rules NONE = new Rules(List.of(), null);

    private final List<Rule> rules;
    private final Grade defaultGrade;

    private Rules(final List<Rule> rules, final Grade defaultGrade) {
        this.rules = List.copyOf(rules);
        this.defaultGrade = defaultGrade;
    }

    public static Rules none() {
        return NONE;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * These rules followed by more (e.g. path rules made of a catalog's data items, {@code new Rule(FieldPath.parse(..),
     * null, null, grade, labels, true)}); the default grade stays this document's.
     */
    public Rules withRules(final List<Rule> more) {
        final List<Rule> all = new ArrayList<>(rules);
        all.addAll(more);
        return new Rules(all, defaultGrade);
    }

    /** The document's own default grade for uncovered fields, when it names one. */
    public Optional<Grade> defaultGrade() {
        return Optional.ofNullable(defaultGrade);
    }

    /**
     * Parses a rules document against a grade ladder.
     *
     * @throws IllegalArgumentException saying which rule is wrong and why
     */
    public static Rules parse(final String json, final GradeLadder ladder) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("Rules are not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null) {
            throw new IllegalArgumentException("Rules document is empty");
        }
        final JsonNode ruleArray;
        Grade defaultGrade = null;
        if (root.isArray()) {
            ruleArray = root;
        } else if (root.isObject()) {
            checkKeys(root, DOCUMENT_KEYS, "the rules document");
            ruleArray = root.path("rules");
            if (!ruleArray.isArray()) {
                throw new IllegalArgumentException("Rules document needs a \"rules\" array");
            }
            if (root.has("defaultGrade")) {
                defaultGrade = grade(root.get("defaultGrade"), ladder, "defaultGrade");
            }
        } else {
            throw new IllegalArgumentException("Rules must be a JSON object with a \"rules\" array, or an array of rules");
        }
        final List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < ruleArray.size(); i++) {
            rules.add(parseRule(ruleArray.get(i), ladder, "rule " + (i + 1)));
        }
        return new Rules(rules, defaultGrade);
    }

    private static Rule parseRule(final JsonNode node, final GradeLadder ladder, final String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        checkKeys(node, RULE_KEYS, where);
        final String path = text(node, "path", where);
        final String name = text(node, "name", where);
        final String label = text(node, "label", where);
        if ((path == null ? 0 : 1) + (name == null ? 0 : 1) + (label == null ? 0 : 1) != 1) {
            throw new IllegalArgumentException(where + " must match by exactly one of \"path\", \"name\" or \"label\"");
        }
        if (!node.has("grade")) {
            throw new IllegalArgumentException(where + " has no \"grade\"; use one of " + ladder.codes());
        }
        final Grade grade = grade(node.get("grade"), ladder, where);
        final Set<String> labels = new LinkedHashSet<>();
        final JsonNode labelNode = node.get("labels");
        if (labelNode != null) {
            if (!labelNode.isArray()) {
                throw new IllegalArgumentException(where + ": \"labels\" must be an array of strings");
            }
            labelNode.forEach(l -> labels.add(l.asText()));
        }
        final JsonNode detect = node.get("detect");
        if (detect != null && !detect.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"detect\" must be true or false");
        }
        if (label != null && (!labels.isEmpty() || detect != null)) {
            throw new IllegalArgumentException(where + ": a label rule only sets a grade; \"labels\" and \"detect\" belong to path and name rules");
        }
        try {
            return new Rule(path == null ? null : FieldPath.parse(path), name == null ? null : Pattern.compile(name),
                    label, grade, labels, detect == null || detect.asBoolean());
        } catch (final PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": \"name\" is not a valid regular expression: " + e.getDescription());
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static void checkKeys(final JsonNode node, final Set<String> allowed, final String where) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String key = names.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + " has unknown key \"" + key + "\"; allowed: " + allowed);
            }
        }
    }

    private static String text(final JsonNode node, final String key, final String where) {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a non-empty string");
        }
        return value.asText();
    }

    private static Grade grade(final JsonNode node, final GradeLadder ladder, final String where) {
        try {
            return ladder.grade(node.asText());
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }
}
