package io.publicdata.nifi.classify;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Personal information that no value pattern can find (a name, an address, a birth date) but whose
 * field names give it away, in English, pinyin initials and Chinese. Used only while detection is on.
 */
final class FieldNameHints {

    /** Hints grade like the detectors of personal information: 一般·敏感 on the default ladder. */
    static final int RANK = 2;

    private record Hint(Pattern name, String label) {
    }

    private static final List<Hint> HINTS = List.of(
            new Hint(Pattern.compile("(?i)(?:full_?|real_?|person_?|legal_?person_?|contact_?|applicant_?|holder_?|owner_?)?name"
                    + "|xm|姓名|联系人|法定代表人|户主"), Labels.PERSON_NAME),
            new Hint(Pattern.compile("(?i).*(?:address|addr)|dz|zz|.*(?:住址|地址|住所)"), Labels.ADDRESS),
            new Hint(Pattern.compile("(?i)(?:date_?of_?)?birth(?:_?date|day)?|dob|csrq|出生日期|出生年月|生日"), Labels.BIRTH_DATE));

    private FieldNameHints() {
    }

    /** The label a field name hints at, or null. */
    static String labelFor(final String fieldName) {
        for (final Hint hint : HINTS) {
            if (hint.name.matcher(fieldName).matches()) {
                return hint.label;
            }
        }
        return null;
    }
}
