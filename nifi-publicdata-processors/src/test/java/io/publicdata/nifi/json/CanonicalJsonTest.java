package io.publicdata.nifi.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String canonical(final String json) throws IOException {
        return new String(CanonicalJson.bytes(MAPPER.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void sortsMembersDropsWhitespaceAndKeepsArrayOrder() throws IOException {
        assertEquals("{\"a\":[3,1,2],\"b\":{\"x\":null,\"y\":true,\"z\":false},\"c\":-9007199254740991}",
                canonical("{ \"c\": -9007199254740991, \"b\": {\"z\": false, \"y\": true, \"x\": null},\n \"a\": [3, 1, 2] }"));
    }

    @Test
    void escapesStringsAsEcmaScriptDoes() throws IOException {
        // RFC 8785 section 3.2.2.2: short escapes where they exist, lower-case \\u00xx for the other control characters
        assertEquals("[\"\\\"\\\\/\\b\\t\\n\\f\\r\\u000b\\u001f€数据\uD83D\uDE00\"]",
                canonical("[\"\\\"\\\\\\/\\b\\t\\n\\f\\r\\u000B\\u001F\\u20ac数据\\uD83D\\uDE00\"]"));
    }

    @Test
    void sortsByUtf16CodeUnits() throws IOException {
        assertEquals("{\"a\":1,\"\uD83D\uDE00\":2,\"\uE000\":3}", canonical("{\"\uE000\": 3, \"\uD83D\uDE00\": 2, \"a\": 1}"));
    }

    @Test
    void refusesWhatItCannotWriteExactly() {
        assertThrows(IllegalArgumentException.class, () -> canonical("[1.5]"));
        assertThrows(IllegalArgumentException.class, () -> canonical("[9007199254740992]"));
        assertThrows(IllegalArgumentException.class, () -> canonical("[\"\\ud800\"]"));
    }
}
