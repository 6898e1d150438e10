package io.publicdata.nifi.protect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.path.FieldPath;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which method protects which field: by field path first, then by the labels classification found in the field
 * (the strongest method of its labels), then by its grade. A field none of them names stays in clear.
 *
 * <p>Field methods are a JSON object: a key starting with {@code /} is a {@link FieldPath} (wildcards allowed; the
 * exact path wins, else the strongest method of the patterns that match), any other key a label; a value
 * is a method name or an object with {@code method} and its options:</p>
 * <pre>{"/mobile": "ENCRYPT", "PERSON_NAME": {"method": "MASK", "keepFirst": 1, "keepLast": 0},
 *  "/birthDate": {"method": "GENERALIZE", "datePrecision": "MONTH"}}</pre>
 * <p>Methods by grade read {@code L3=MASK, L4=ENCRYPT, L5=DROP}.</p>
 */
public final class ProtectionRules {

    public static final String DEFAULT_BY_GRADE = "L3=MASK, L4=ENCRYPT, L5=DROP";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Set<String> OPTIONS = Set.of("method", "keepFirst", "keepLast", "maskCharacter", "datePrecision", "rangeWidth", "addressLevels");

    private final Map<FieldPath, MethodSpec> byPath;
    /** The entries of byPath with a wildcard, in the order they were given. */
    private final List<Map.Entry<FieldPath, MethodSpec>> byPattern;
    private final Map<String, MethodSpec> byLabel;
    private final Map<Grade, MethodSpec> byGrade;

    public ProtectionRules(final Map<FieldPath, MethodSpec> byPath, final Map<String, MethodSpec> byLabel, final Map<Grade, MethodSpec> byGrade) {
        this.byPath = Map.copyOf(byPath);
        this.byPattern = byPath.entrySet().stream().filter(entry -> !entry.getKey().isFieldNamesOnly())
                .map(entry -> Map.entry(entry.getKey(), entry.getValue())).toList();
        this.byLabel = Map.copyOf(byLabel);
        this.byGrade = Map.copyOf(byGrade);
    }

    /**
     * Reads the rules.
     *
     * @param fieldMethods  the JSON object described above; null or blank for none
     * @param byGradeSpec   e.g. {@link #DEFAULT_BY_GRADE}; blank for none
     * @param maskCharacter the mask character where a MASK entry names none
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ProtectionRules parse(final String fieldMethods, final String byGradeSpec, final GradeLadder ladder, final int maskCharacter) {
        final Map<FieldPath, MethodSpec> byPath = new LinkedHashMap<>();
        final Map<String, MethodSpec> byLabel = new HashMap<>();
        if (fieldMethods != null && !fieldMethods.isBlank()) {
            final JsonNode root;
            try {
                root = MAPPER.readTree(fieldMethods);
            } catch (final JsonProcessingException e) {
                throw new IllegalArgumentException("Field methods are not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("Field methods must be a JSON object of field path or label to method");
            }
            final Iterator<Map.Entry<String, JsonNode>> entries = root.fields();
            while (entries.hasNext()) {
                final Map.Entry<String, JsonNode> entry = entries.next();
                final String key = entry.getKey().strip();
                final MethodSpec spec = spec(key, entry.getValue(), maskCharacter);
                if (key.startsWith("/")) {
                    final FieldPath path;
                    try {
                        path = FieldPath.parse(key);
                    } catch (final IllegalArgumentException e) {
                        throw new IllegalArgumentException("Field methods: " + e.getMessage());
                    }
                    if (path.isRoot()) {
                        throw new IllegalArgumentException("Field methods: '/' names no field; use /** for every field");
                    }
                    byPath.put(path, spec);
                } else if (LABEL.matcher(key).matches()) {
                    byLabel.put(key, spec);
                } else {
                    // A misspelt path must not silently protect nothing
                    throw new IllegalArgumentException("Field methods: '" + key + "' is neither a field path (paths start with '/', e.g. /"
                            + key + ") nor a label (labels are upper case, e.g. MOBILE)");
                }
            }
        }
        final Map<Grade, MethodSpec> byGrade = new HashMap<>();
        if (byGradeSpec != null && !byGradeSpec.isBlank()) {
            for (final String pair : byGradeSpec.split(",")) {
                final String[] parts = pair.split("=", 2);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("Methods by grade: '" + pair.strip() + "' is not GRADE=METHOD, e.g. L4=ENCRYPT");
                }
                final Grade grade = ladder.find(parts[0].strip()).orElseThrow(() -> new IllegalArgumentException(
                        "Methods by grade: '" + parts[0].strip() + "' is not a grade of the ladder " + ladder.codes()));
                byGrade.put(grade, MethodSpec.of(method(parts[1])));
            }
        }
        return new ProtectionRules(byPath, byLabel, byGrade);
    }

    /**
     * The method Field Methods name for this place: the entry for exactly this path, else the strongest of the entries
     * whose pattern matches it; null when none does.
     */
    public MethodSpec forPath(final FieldPath path) {
        final MethodSpec exact = byPath.get(path);
        if (exact != null || byPattern.isEmpty()) {
            return exact;
        }
        MethodSpec strongest = null;
        for (final Map.Entry<FieldPath, MethodSpec> entry : byPattern) {
            if (entry.getKey().matches(path) && (strongest == null || entry.getValue().strength() > strongest.strength())) {
                strongest = entry.getValue();
            }
        }
        return strongest;
    }

    /** The method for a place that classification graded so; null to leave it in clear. */
    public MethodSpec resolve(final FieldPath path, final FieldGrade grade) {
        final MethodSpec named = forPath(path);
        if (named != null || grade == null) {
            return named;
        }
        MethodSpec strongest = null;
        for (final String label : grade.labels()) {
            final MethodSpec spec = byLabel.get(label);
            if (spec != null && (strongest == null || spec.strength() > strongest.strength())) {
                strongest = spec;
            }
        }
        return strongest != null ? strongest : byGrade.get(grade.grade());
    }

    /** Whether any rule may need a key. */
    public boolean needsKey() {
        return Stream.of(byPath.values(), byLabel.values(), byGrade.values()).flatMap(java.util.Collection::stream).anyMatch(MethodSpec::needsKey);
    }

    /** Whether any rule names this method. */
    public boolean uses(final ProtectionMethod method) {
        return Stream.of(byPath.values(), byLabel.values(), byGrade.values()).flatMap(java.util.Collection::stream)
                .anyMatch(spec -> spec.method() == method);
    }

    private static ProtectionMethod method(final String name) {
        return ProtectionMethod.find(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name.strip() + "' is not a protection method; use one of " + java.util.Arrays.toString(ProtectionMethod.values())));
    }

    private static MethodSpec spec(final String key, final JsonNode value, final int maskCharacter) {
        if (value.isTextual()) {
            return MethodSpec.of(method(value.asText()));
        }
        if (!value.isObject() || !value.path("method").isTextual()) {
            throw new IllegalArgumentException("Field methods: '" + key + "' must name a method, e.g. \"MASK\" or {\"method\": \"MASK\", \"keepLast\": 4}");
        }
        value.fieldNames().forEachRemaining(option -> {
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("Field methods: '" + key + "' has an unknown option '" + option + "'; options are " + OPTIONS);
            }
        });
        final ProtectionMethod method = method(value.get("method").asText());
        Masking masking = null;
        if (value.has("keepFirst") || value.has("keepLast") || value.has("maskCharacter")) {
            final String mask = value.path("maskCharacter").asText("");
            if (value.has("maskCharacter") && mask.codePointCount(0, mask.length()) != 1) {
                throw new IllegalArgumentException("Field methods: '" + key + "' maskCharacter must be one character");
            }
            masking = new Masking(count(key, value, "keepFirst"), count(key, value, "keepLast"),
                    mask.isEmpty() ? maskCharacter : mask.codePointAt(0), false);
        }
        Generalization generalization = null;
        if (value.has("datePrecision") || value.has("rangeWidth") || value.has("addressLevels")) {
            try {
                generalization = new Generalization(
                        Generalization.DatePrecision.valueOf(value.path("datePrecision").asText(Generalization.DEFAULT.datePrecision().name()).toUpperCase(Locale.ROOT)),
                        value.has("rangeWidth") ? new BigDecimal(value.get("rangeWidth").asText()) : Generalization.DEFAULT.rangeWidth(),
                        value.has("addressLevels") ? value.get("addressLevels").asInt(-1) : Generalization.DEFAULT.addressLevels());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("Field methods: '" + key + "' has invalid generalisation options: " + e.getMessage());
            }
        }
        return new MethodSpec(method, masking, generalization);
    }

    private static int count(final String key, final JsonNode value, final String option) {
        final JsonNode count = value.get(option);
        if (count == null) {
            return 0;
        }
        if (!count.canConvertToInt() || count.asInt() < 0) {
            throw new IllegalArgumentException("Field methods: '" + key + "' " + option + " must be a whole number of characters");
        }
        return count.asInt();
    }
}
