package io.publicdata.nifi.risk;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EquivalenceClassesTest {

    @Test
    void measuresKAndL() {
        final EquivalenceClasses classes = new EquivalenceClasses(100);
        classes.add(List.of("朝阳区", "1980"), "高血压");
        classes.add(List.of("朝阳区", "1980"), "糖尿病");
        classes.add(List.of("朝阳区", "1980"), "高血压");
        classes.add(List.of("海淀区", "1975"), "哮喘");
        classes.add(List.of("海淀区", "1975"), "哮喘");

        final RiskReport report = classes.report(2, 2);
        assertEquals(new RiskReport(5, 2, 2, 1, 1, 2), report, "k=2, but 海淀区/1975 has one diagnosis only");
        assertFalse(report.acceptable());
        assertTrue(classes.report(2, 1).acceptable());
        assertFalse(classes.report(3, 1).acceptable());
        assertTrue(classes.meets(List.of("朝阳区", "1980"), 3, 2));
        assertFalse(classes.meets(List.of("海淀区", "1975"), 2, 2));
        assertEquals(3, classes.sizeOf(List.of("朝阳区", "1980")));
        assertEquals(0, classes.sizeOf(List.of("西城区", "1990")));
        assertEquals("k-anonymity 2 (minimum 2), l-diversity 1 (minimum 2) over 5 records in 2 classes; 1 class holding 2 records below threshold",
                report.describe(2, 2));
    }

    @Test
    void missingValuesFormTheirOwnClass() {
        final EquivalenceClasses classes = new EquivalenceClasses(10);
        classes.add(Arrays.asList("朝阳区", null), null);
        classes.add(Arrays.asList("朝阳区", null), null);
        classes.add(List.of("朝阳区", "1980"), null);
        assertEquals(1, classes.report(1, 0).k());
        assertEquals(2, classes.sizeOf(Arrays.asList("朝阳区", null)));
    }

    @Test
    void emptyDataSet() {
        assertEquals(new RiskReport(0, 0, 0, 0, 0, 0), new EquivalenceClasses(1).report(5, 0));
    }

    @Test
    void classLimitBoundsMemory() {
        final EquivalenceClasses classes = new EquivalenceClasses(2);
        classes.add(List.of("a"), null);
        classes.add(List.of("b"), null);
        classes.add(List.of("a"), null);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> classes.add(List.of("c"), null));
        assertTrue(e.getMessage().startsWith("More than 2 equivalence classes"), e.getMessage());
    }
}
