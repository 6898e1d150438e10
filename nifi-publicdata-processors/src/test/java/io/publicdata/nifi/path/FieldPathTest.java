package io.publicdata.nifi.path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/applicant/idCard", "/byPerson/*", "/byPerson/*/name", "/**", "/**/phone", "/a/**/z",
        "/applicant\\/name", "/\\*", "/\\*\\*", "/a\\\\b", "/姓名/手机号", "/\"\"", "/a/\"\"/b", "/\\\"\\\"", "/a b/c"})
    void formatReadsBackToTheSamePath(final String text) {
        final FieldPath path = FieldPath.parse(text);
        assertEquals(text, path.toString());
        assertEquals(path, FieldPath.parse(path.toString()));
    }

    @Test
    void namesAreEscapedSoThatNoNameReadsAsAnotherPath() {
        final FieldPath slashInName = FieldPath.ROOT.child("applicant/name");
        final FieldPath nested = FieldPath.ROOT.child("applicant").child("name");
        assertEquals("/applicant\\/name", slashInName.toString());
        assertEquals("/applicant/name", nested.toString());
        assertNotEquals(slashInName, nested);
        assertEquals(slashInName, FieldPath.parse(slashInName.toString()));

        final FieldPath starName = FieldPath.ROOT.child("*");
        assertEquals("/\\*", starName.toString());
        assertNotEquals(FieldPath.ROOT.entries(), starName, "a field named * is not a map's entries");
        assertFalse(FieldPath.ROOT.child("a").matches(FieldPath.ROOT.child("a").entries()));
        assertEquals("/\\*\\*/x", FieldPath.ROOT.child("**").child("x").toString());
        assertFalse(FieldPath.ROOT.child("**").hasAnyDepth());
        assertEquals("/a\\\\\\/b", FieldPath.ROOT.child("a\\/b").toString());
        assertEquals(FieldPath.ROOT.child("a\\/b"), FieldPath.parse("/a\\\\\\/b"));
        assertEquals("/\"\"", FieldPath.ROOT.child("").toString());
        assertEquals(FieldPath.ROOT.child(""), FieldPath.parse("/\"\""));
        assertEquals(FieldPath.ROOT.child("\"\""), FieldPath.parse("/\\\"\\\""));
        assertEquals("x", FieldPath.parse("/\\x").fieldName(), "any character may be escaped");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        a/b           | must start with '/'
        ''            | must start with '/'
        /a//b         | has an empty segment
        /a/           | has an empty segment
        /a*           | '*' stands only for a whole segment
        /***          | '*' stands only for a whole segment
        /a\\          | ends with an escape character
        """)
    void malformedPathsAreRefusedSayingWhy(final String text, final String problem) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(text));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void nullIsNoPath() {
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        /a            | /a            | true
        /a            | /b            | false
        /a            | /a/b          | false
        /*            | /a            | true
        /*            | /a/b          | false
        /a/*          | /a/*          | true
        /a/*          | /a/b          | true
        /a/*/name     | /a/*/name     | true
        /a/x          | /a/*          | false
        /**           | /a/b/c        | true
        /**           | /             | true
        /**/phone     | /phone        | true
        /**/phone     | /a/*/phone    | true
        /**/phone     | /a/phones     | false
        /a/**/z       | /a/z          | true
        /a/**/z       | /a/b/c/z      | true
        /a/**/z       | /b/z          | false
        /\\*          | /*            | false
        /\\*          | /\\*          | true
        """)
    void patternsMatchPlaces(final String pattern, final String place, final boolean matches) {
        assertEquals(matches, FieldPath.parse(pattern).matches(FieldPath.parse(place)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        /a            | /a/b          | true  | false
        /a            | /a            | true  | false
        /a/b          | /a            | false | true
        /a/*/name     | /a            | false | true
        /a/*/name     | /a/*          | false | true
        /**/phone     | /a            | false | true
        /**           | /a            | true  | false
        /a/b          | /c            | false | false
        """)
    void patternsCoverAncestorsAndDescendants(final String pattern, final String place, final boolean selfOrAncestor, final boolean below) {
        assertEquals(selfOrAncestor, FieldPath.parse(pattern).matchesSelfOrAncestorOf(FieldPath.parse(place)));
        assertEquals(below, FieldPath.parse(pattern).matchesSomethingBelow(FieldPath.parse(place)));
    }

    @Test
    void buildsAndTakesApartPaths() {
        final FieldPath entries = FieldPath.ROOT.child("byPerson").entries();
        assertEquals("/byPerson/*", entries.toString());
        assertEquals("byPerson", entries.fieldName(), "the entries belong to the map's field");
        assertEquals(FieldPath.parse("/byPerson"), entries.parent());
        assertEquals(2, entries.depth());
        assertTrue(FieldPath.ROOT.isRoot());
        assertEquals(FieldPath.ROOT, FieldPath.ROOT.parent());
        assertTrue(entries.child("name").startsWith(entries));
        assertFalse(entries.startsWith(entries.child("name")));
        assertFalse(entries.isFieldNamesOnly());
        assertEquals(List.of("a", "b/c"), FieldPath.ROOT.child("a").child("b/c").fieldNames());
        assertThrows(IllegalStateException.class, entries::fieldNames);
    }

    @Test
    void listsSplitOnUnescapedCommas() {
        assertEquals(List.of(FieldPath.parse("/district"), FieldPath.parse("/applicant/city"), FieldPath.ROOT.child("a,b")),
                FieldPath.parseList(" /district, /applicant/city ,, /a\\,b "));
        assertEquals(List.of(), FieldPath.parseList(""));
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parseList("/a, b"));
    }

    @Test
    void ordersByText() {
        assertTrue(FieldPath.parse("/a").compareTo(FieldPath.parse("/b")) < 0);
        assertEquals(0, FieldPath.parse("/a/*").compareTo(FieldPath.ROOT.child("a").entries()));
    }
}
