package io.publicdata.nifi.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record, array or map as one JSON text, for a method that protects it whole (ENCRYPT, PSEUDONYMIZE): members sorted
 * by name, no whitespace, so that the same content always gives the same text (and the same pseudonym). Numbers stay
 * numbers, dates and times become their ISO text, bytes Base64.
 */
final class ContainerJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ContainerJson() {
    }

    static String of(final Object container) {
        try {
            return MAPPER.writeValueAsString(node(container));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("A record could not be written as JSON", e);
        }
    }

    /** What a container is, for messages. */
    static String kind(final Object container) {
        return container instanceof Record ? "a record" : container instanceof Map ? "a map" : "an array";
    }

    private static JsonNode node(final Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case Record record -> {
                final Map<String, Object> sorted = new TreeMap<>();
                for (final String name : record.getSchema().getFieldNames()) {
                    sorted.put(name, record.getValue(name));
                }
                yield object(sorted);
            }
            case Map<?, ?> map -> {
                final Map<String, Object> sorted = new TreeMap<>();
                map.forEach((key, element) -> sorted.put(String.valueOf(key), element));
                yield object(sorted);
            }
            case Object[] array -> {
                final ArrayNode node = NODES.arrayNode();
                for (final Object element : array) {
                    node.add(node(element));
                }
                yield node;
            }
            case List<?> list -> node(list.toArray());
            case String text -> NODES.textNode(text);
            case Boolean flag -> NODES.booleanNode(flag);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Short number -> NODES.numberNode(number);
            case Byte number -> NODES.numberNode(number);
            case BigInteger number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Float number -> NODES.numberNode(number);
            case byte[] bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            default -> NODES.textNode(value.toString());
        };
    }

    private static ObjectNode object(final Map<String, Object> members) {
        final ObjectNode node = NODES.objectNode();
        members.forEach((name, value) -> node.set(name, node(value)));
        return node;
    }
}
