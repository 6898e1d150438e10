package io.publicdata.nifi.grant;

import io.publicdata.nifi.grant.PermittedFields.Access;
import io.publicdata.nifi.path.FieldPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PermittedFieldsTest {

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /name                     | /name                  | ALL
            /name                     | /names                 | NONE
            /name                     | /name/first            | ALL
            /applicant                | /applicant/idCard      | ALL
            /applicant/name           | /applicant             | SOME
            /applicant/name           | /applicant/idCard      | NONE
            /applicant/name           | /applicant/name        | ALL
            /applicant/*              | /applicant             | SOME
            /applicant/*              | /applicant/idCard      | ALL
            /applicant/*              | /applicant/idCard/x    | ALL
            /*/phone                  | /contacts              | SOME
            /*/phone                  | /contacts/phone        | ALL
            /*/phone                  | /contacts/relation     | NONE
            /**                       | /anything              | ALL
            /**                       | /a/b/c                 | ALL
            /**/phone                 | /phone                 | ALL
            /**/phone                 | /contacts/phone        | ALL
            /**/phone                 | /contacts              | SOME
            /**/phone                 | /a/b                   | SOME
            /a/**/z                   | /a                     | SOME
            /a/**/z                   | /a/z                   | ALL
            /a/**/z                   | /a/b/c/z               | ALL
            /a/**/z                   | /b                     | NONE
            /name,/district           | /district              | ALL
            /name,/district           | /idCard                | NONE
            /name,/applicant/name     | /applicant             | SOME
            """)
    void access(final String patterns, final String path, final Access expected) {
        assertEquals(expected, PermittedFields.of(Arrays.asList(patterns.split(","))).access(FieldPath.parse(path)));
    }
}
