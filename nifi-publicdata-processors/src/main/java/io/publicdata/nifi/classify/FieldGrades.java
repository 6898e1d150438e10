package io.publicdata.nifi.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.publicdata.nifi.path.FieldPath;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field path → {@link FieldGrade} for a whole FlowFile: the {@code publicdata.fields} attribute.
 *
 * <p>Paths are {@link FieldPath}s: {@code /applicant/idCard}; every element of the array {@code contacts} shares
 * {@code /contacts/phone}; the keys and values of a map share {@code /byPerson/*} (never a key). The JSON form is
 * {@code {"/applicant/idCard":{"grade":"L3","labels":["PERSONAL_ID"]}}}.
 */
public final class FieldGrades {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<FieldPath, FieldGrade> byPath;

    public FieldGrades(final Map<FieldPath, FieldGrade> byPath) {
        this.byPath = Collections.unmodifiableMap(new TreeMap<>(byPath));
    }

    public Map<FieldPath, FieldGrade> byPath() {
        return byPath;
    }

    public FieldGrade get(final FieldPath path) {
        return byPath.get(path);
    }

    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    public String toJson() {
        final ObjectNode root = MAPPER.createObjectNode();
        byPath.forEach((path, field) -> {
            final ObjectNode node = root.putObject(path.toString());
            node.put("grade", field.grade().code());
            final ArrayNode labels = node.putArray("labels");
            field.labels().forEach(labels::add);
        });
        return root.toString();
    }

    /**
     * Reads the {@code publicdata.fields} JSON written by ClassifyRecord.
     *
     * @throws IllegalArgumentException when the text is not that JSON or names a grade the ladder lacks
     */
    public static FieldGrades fromJson(final String json, final GradeLadder ladder) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            // The parser's own message quotes the text it stopped at: only where is said
            throw new IllegalArgumentException("Field grades are not valid JSON (" + where(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Field grades must be a JSON object of field path to {grade, labels}");
        }
        final Map<FieldPath, FieldGrade> fields = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> entry = it.next();
            final JsonNode grade = entry.getValue().get("grade");
            if (grade == null || !grade.isTextual()) {
                throw new IllegalArgumentException("Field '" + entry.getKey() + "' has no grade");
            }
            final FieldPath path;
            try {
                path = FieldPath.parse(entry.getKey());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("Field grades: " + e.getMessage());
            }
            final TreeSet<String> labels = new TreeSet<>();
            final JsonNode labelNode = entry.getValue().get("labels");
            if (labelNode != null && labelNode.isArray()) {
                labelNode.forEach(label -> labels.add(label.asText()));
            }
            fields.put(path, new FieldGrade(ladder.grade(grade.asText()), labels));
        }
        return new FieldGrades(fields);
    }

    private static String where(final JsonProcessingException e) {
        return e.getLocation() == null ? "at an unknown place" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
