package io.publicdata.nifi.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.path.FieldPath;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON form of the resource catalog (docs/catalog.md, docs/catalog.schema.json):
 * <pre>{@code
 * {"title": "…", "datasets": [{"code": "…", "name": "…", "department": "…", "domain": "…",
 *   "openType": "CONDITIONAL", "updateCycle": "DAILY",
 *   "registration": {"number": "…", "status": "REGISTERED", "date": "2025-03-01"},
 *   "items": [{"path": "/creditCode", "name": "统一社会信用代码", "grade": "L1", "labels": ["CREDIT_CODE"]}]}]}
 * }</pre>
 * Enumerated values may be written as codes or as their Chinese terms. Unknown keys, repeated keys and missing values
 * are errors that name the dataset: a typo must never weaken what the catalog says.
 */
public final class CatalogJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> DOCUMENT_KEYS = Set.of("title", "description", "datasets");
    private static final Set<String> DATASET_KEYS = Set.of("code", "name", "department", "domain", "openType", "registration",
            "updateCycle", "items", "description");
    private static final Set<String> REGISTRATION_KEYS = Set.of("number", "status", "date");
    private static final Set<String> ITEM_KEYS = Set.of("path", "name", "grade", "labels", "description");

    private CatalogJson() {
    }

    /**
     * Reads a whole catalog document.
     *
     * @throws IllegalArgumentException saying where the document is wrong
     */
    public static Catalog parse(final String json) {
        final JsonNode root = read(json, "The catalog");
        if (!root.isObject()) {
            throw new IllegalArgumentException("The catalog must be a JSON object with a \"datasets\" array");
        }
        checkKeys(root, DOCUMENT_KEYS, "the catalog");
        final JsonNode array = root.get("datasets");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("The catalog needs a \"datasets\" array");
        }
        final List<Dataset> datasets = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            datasets.add(dataset(array.get(i), "dataset " + (i + 1)));
        }
        try {
            return new Catalog(optionalText(root, "title", "the catalog"), datasets);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("The catalog is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one dataset entry, as a {@code PublicDataCatalog} service gives it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Dataset parseDataset(final String json) {
        return dataset(read(json, "The catalog entry"), "the catalog entry");
    }

    private static JsonNode read(final String json, final String what) {
        try {
            final JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException(what + " is empty");
            }
            return node;
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
    }

    private static Dataset dataset(final JsonNode node, final String position) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(position + " is not a JSON object");
        }
        final String code = node.path("code").isTextual() ? node.get("code").asText() : null;
        final String where = code == null ? position : position + " (" + code + ")";
        try {
            checkKeys(node, DATASET_KEYS, where);
            final JsonNode itemArray = node.get("items");
            if (itemArray != null && !itemArray.isArray()) {
                throw new IllegalArgumentException("\"items\" must be an array");
            }
            final List<DataItem> items = new ArrayList<>();
            if (itemArray != null) {
                for (int i = 0; i < itemArray.size(); i++) {
                    items.add(item(itemArray.get(i), "data item " + (i + 1)));
                }
            }
            return new Dataset(requiredText(node, "code", where), requiredText(node, "name", where),
                    requiredText(node, "department", where), requiredText(node, "domain", where),
                    OpenType.parse(requiredText(node, "openType", where)), registration(node.get("registration"), where),
                    UpdateCycle.parse(requiredText(node, "updateCycle", where)), items);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage(), e);
        }
    }

    private static Registration registration(final JsonNode node, final String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("\"registration\" must be an object with \"status\" (and \"number\" and \"date\" once registered)");
        }
        checkKeys(node, REGISTRATION_KEYS, "registration");
        final String date = optionalText(node, "date", "registration");
        try {
            return new Registration(optionalText(node, "number", "registration"),
                    RegistrationStatus.parse(requiredText(node, "status", "registration")),
                    date == null ? null : LocalDate.parse(date));
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("registration date '" + date + "' is not a date like 2025-03-01");
        }
    }

    private static DataItem item(final JsonNode node, final String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        checkKeys(node, ITEM_KEYS, where);
        final String path = requiredText(node, "path", where);
        final Set<String> labels = new TreeSet<>();
        final JsonNode labelArray = node.get("labels");
        if (labelArray != null) {
            if (!labelArray.isArray()) {
                throw new IllegalArgumentException(where + " (" + path + "): \"labels\" must be an array of strings");
            }
            for (final JsonNode label : labelArray) {
                if (!label.isTextual()) {
                    throw new IllegalArgumentException(where + " (" + path + "): \"labels\" must be an array of strings");
                }
                labels.add(label.asText().strip());
            }
        }
        try {
            return new DataItem(FieldPath.parse(path), optionalText(node, "name", where), requiredText(node, "grade", where + " (" + path + ")"),
                    new TreeSet<>(labels));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " (" + path + "): " + e.getMessage(), e);
        }
    }

    private static String requiredText(final JsonNode node, final String key, final String where) {
        final String value = optionalText(node, key, where);
        if (value == null) {
            throw new IllegalArgumentException(where + " has no \"" + key + "\"");
        }
        return value;
    }

    private static String optionalText(final JsonNode node, final String key, final String where) {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    private static void checkKeys(final JsonNode node, final Set<String> allowed, final String where) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String key = names.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + " has an unknown key \"" + key + "\"; allowed: " + new TreeSet<>(allowed));
            }
        }
    }

    /** One dataset as JSON: what a {@code PublicDataCatalog} service gives for it. */
    public static String write(final Dataset dataset) {
        return toNode(dataset).toString();
    }

    /** A whole catalog as JSON, in the form {@link #parse} reads. */
    public static String write(final Catalog catalog) {
        final ObjectNode root = MAPPER.createObjectNode();
        catalog.title().ifPresent(title -> root.put("title", title));
        final ArrayNode datasets = root.putArray("datasets");
        catalog.datasets().forEach(dataset -> datasets.add(toNode(dataset)));
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode toNode(final Dataset dataset) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("code", dataset.code());
        node.put("name", dataset.name());
        node.put("department", dataset.department());
        node.put("domain", dataset.domain());
        node.put("openType", dataset.openType().name());
        final ObjectNode registration = node.putObject("registration");
        final Registration r = dataset.registration();
        if (r.number() != null) {
            registration.put("number", r.number());
        }
        registration.put("status", r.status().name());
        if (r.date() != null) {
            registration.put("date", r.date().toString());
        }
        node.put("updateCycle", dataset.updateCycle().name());
        final ArrayNode items = node.putArray("items");
        for (final DataItem item : dataset.items()) {
            final ObjectNode itemNode = items.addObject();
            itemNode.put("path", item.path().toString());
            if (item.name() != null) {
                itemNode.put("name", item.name());
            }
            itemNode.put("grade", item.grade());
            if (!item.labels().isEmpty()) {
                final ArrayNode labels = itemNode.putArray("labels");
                item.labels().forEach(labels::add);
            }
        }
        return node;
    }
}
