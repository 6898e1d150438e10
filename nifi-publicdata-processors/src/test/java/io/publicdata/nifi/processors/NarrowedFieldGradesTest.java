package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.PermittedFields;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NarrowedFieldGradesTest {

    private static final GradeLadder LADDER = GradeLadder.defaultLadder();
    private static final String FIELDS = "{\"/id\":{\"grade\":\"L2\",\"labels\":[]},\"/idCard\":{\"grade\":\"L4\",\"labels\":[\"PERSONAL_ID\"]},"
            + "\"/contact/phone\":{\"grade\":\"L3\",\"labels\":[\"MOBILE\"]}}";

    @Test
    void keepsTheGradesOfTheFieldsPermittedWholeEachTimeAndForEachGrantItsOwn() {
        final NarrowedFieldGrades narrowed = new NarrowedFieldGrades();
        final PermittedFields idOnly = PermittedFields.of(List.of("/id", "/contact/name"));
        final PermittedFields all = PermittedFields.of(List.of("/**"));

        final Optional<String> first = narrowed.narrow(FIELDS, idOnly, LADDER);
        assertEquals(Optional.of("{\"/id\":{\"grade\":\"L2\",\"labels\":[]}}"), first);
        assertEquals(first, narrowed.narrow(FIELDS, idOnly, LADDER), "remembered");
        // Other permitted fields with the same text: their own result, not the remembered one
        final Optional<String> everything = narrowed.narrow(FIELDS, all, LADDER);
        assertEquals(3, everything.orElseThrow().split("\"grade\"").length - 1);
        assertEquals(everything, new NarrowedFieldGrades().narrow(FIELDS, all, LADDER));
    }

    @Test
    void fieldGradesThatCannotBeReadGiveNoneEveryTime() {
        final NarrowedFieldGrades narrowed = new NarrowedFieldGrades();
        final PermittedFields all = PermittedFields.of(List.of("/**"));
        for (final String unreadable : List.of("not json", "{\"/id\":{\"grade\":\"TOP\"}}", "{\"id\":{\"grade\":\"L2\"}}", "[]")) {
            assertEquals(Optional.empty(), narrowed.narrow(unreadable, all, LADDER), unreadable);
            assertEquals(Optional.empty(), narrowed.narrow(unreadable, all, LADDER), unreadable + ", again");
        }
    }

    @Test
    void remembersBoundedlyAndStillAnswersRightBeyondTheBound() {
        final NarrowedFieldGrades narrowed = new NarrowedFieldGrades();
        final PermittedFields all = PermittedFields.of(List.of("/**"));
        for (int i = 0; i < NarrowedFieldGrades.MAXIMUM_REMEMBERED * 3; i++) {
            final String fields = "{\"/f" + i + "\":{\"grade\":\"L1\",\"labels\":[]}}";
            assertEquals(Optional.of(fields), narrowed.narrow(fields, all, LADDER));
        }
        assertEquals(Optional.of("{\"/f0\":{\"grade\":\"L1\",\"labels\":[]}}"), narrowed.narrow("{\"/f0\":{\"grade\":\"L1\",\"labels\":[]}}", all, LADDER));
    }
}
