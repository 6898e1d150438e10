package io.publicdata.nifi.processors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesWithMemberTest {

    @Test
    void behavesLikeTheValuesPlusOneMember() {
        final Map<String, Object> original = new LinkedHashMap<>();
        original.put("a", 1);
        original.put("b", null);
        final Map<String, Object> values = new ValuesWithMember(Collections.unmodifiableMap(original), "_grade", "L3");

        final Map<String, Object> expected = new LinkedHashMap<>(original);
        expected.put("_grade", "L3");
        assertEquals(expected, values);
        assertEquals(3, values.size());
        assertEquals("L3", values.get("_grade"));
        assertEquals(1, values.get("a"));
        assertNull(values.get("b"));
        assertTrue(values.containsKey("b"));
        assertFalse(values.containsKey("c"));
        assertEquals(List.of("a", "b", "_grade"), new ArrayList<>(values.keySet()));
        assertEquals(java.util.Arrays.asList(1, null, "L3"), new ArrayList<>(values.values()));
        assertThrows(UnsupportedOperationException.class, () -> values.put("c", 2));
    }
}
