package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protection floor: what it is by default, that a deployment can only raise it, and that a grant can only add to it. */
class ProtectionFloorTest {

    private static final GradeLadder LADDER = GradeLadder.defaultLadder();

    @Test
    void theBuiltInFloorKeepsL5InAndL4Protected() {
        final ProtectionFloor floor = ProtectionFloor.builtIn(LADDER);
        assertEquals("L4=PSEUDONYMIZE|ENCRYPT|FPE|DROP, L5=DENY", floor.describe());
        assertTrue(floor.neverLeaves(LADDER.grade("L5")));
        assertFalse(floor.neverLeaves(LADDER.grade("L4")));
        assertEquals(ProtectionFloor.PROTECTED_ONLY, floor.accepted(LADDER.grade("L4")));
        assertEquals(Set.of(), floor.accepted(LADDER.grade("L3")));
        assertEquals(Set.of(), floor.accepted(LADDER.grade("L5")), "a grade that never leaves accepts nothing");
        // Other ladders: the top never leaves, the grade below it is protected when there are at least three
        assertEquals("IMPORTANT=PSEUDONYMIZE|ENCRYPT|FPE|DROP, CORE=DENY", ProtectionFloor.builtIn(GradeLadder.parse("GENERAL=一般, IMPORTANT=重要, CORE=核心")).describe());
        assertEquals("secret=DENY", ProtectionFloor.builtIn(GradeLadder.parse("open, secret")).describe());
        assertEquals(ProtectionFloor.builtIn(LADDER).describe(), ProtectionFloor.parse(" ", LADDER).describe());
    }

    @Test
    void aDeploymentCanRaiseTheFloor() {
        final ProtectionFloor raised = ProtectionFloor.parse("L3=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L4=ENCRYPT, L5=DENY", LADDER);
        assertEquals("L3=PSEUDONYMIZE|ENCRYPT|FPE|DROP, L4=ENCRYPT, L5=DENY", raised.describe());
        assertEquals("L4=DENY", ProtectionFloor.parse("L4=DENY", LADDER).describe(), "L4 never leaving makes L5 never leave too");
        assertTrue(ProtectionFloor.parse("L4=deny", LADDER).neverLeaves(LADDER.grade("L5")));
    }

    @Test
    void noDeploymentCanLowerIt() {
        assertEquals("The protection floor can only be raised: grade L4 accepts at most PSEUDONYMIZE|ENCRYPT|FPE|DROP, not MASK",
                assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L4=MASK, L5=DENY", LADDER)).getMessage());
        assertEquals("The protection floor can only be raised: grade L5 never leaves (L5=DENY)",
                assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L4=ENCRYPT, L5=ENCRYPT", LADDER)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L3=ENCRYPT", LADDER)).getMessage()
                .contains("grade L5 never leaves"), "leaving L5 out lets it leave: refused");
        assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L9=DENY", LADDER));
        assertEquals("Grade L5 is listed twice",
                assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L5=DENY, L5=ENCRYPT", LADDER)).getMessage());
        assertEquals("'L4' is not GRADE=METHOD|METHOD or GRADE=DENY, e.g. L4=ENCRYPT|DROP",
                assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L4", LADDER)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse("L4=SHRED, L5=DENY", LADDER));
    }

    /** Every set of methods a deployment could write for L4: valid exactly when it accepts no more than the built-in floor. */
    @Test
    void everyL4FloorIsValidExactlyWhenItRaises() {
        int checked = 0;
        for (final Set<ProtectionMethod> methods : subsets()) {
            if (methods.isEmpty()) {
                continue;
            }
            final String text = "L4=" + methods.stream().map(Enum::name).collect(Collectors.joining("|")) + ", L5=DENY";
            if (ProtectionFloor.PROTECTED_ONLY.containsAll(methods)) {
                assertEquals(methods, ProtectionFloor.parse(text, LADDER).accepted(LADDER.grade("L4")), text);
            } else {
                assertThrows(IllegalArgumentException.class, () -> ProtectionFloor.parse(text, LADDER), text);
            }
            checked++;
        }
        assertEquals(127, checked);
    }

    /**
     * Every requirement a grant could state for L3 (inherited by L4 and L5) and for L4, against the floor: what is
     * accepted for each grade is never more than the floor accepts, is what both accept, and L5 never leaves. A grant,
     * signed or not, can only add requirements.
     */
    @Test
    void everyGrantOnlyAddsToTheFloor() {
        final ProtectionFloor floor = ProtectionFloor.builtIn(LADDER);
        final Grade l3 = LADDER.grade("L3");
        final Grade l4 = LADDER.grade("L4");
        final Grade l5 = LADDER.grade("L5");
        int checked = 0;
        for (final Set<ProtectionMethod> forL3 : subsets()) {
            for (final Set<ProtectionMethod> forL4 : List.of(Set.<ProtectionMethod>of(), EnumSet.of(ProtectionMethod.MASK),
                    EnumSet.of(ProtectionMethod.ENCRYPT, ProtectionMethod.MASK), EnumSet.allOf(ProtectionMethod.class))) {
                GrantBuilder builder = grant().maximumGrade("L5");
                if (!forL3.isEmpty()) {
                    builder = builder.protect("L3", forL3.toArray(ProtectionMethod[]::new));
                }
                if (!forL4.isEmpty()) {
                    builder = builder.protect("L4", forL4.toArray(ProtectionMethod[]::new));
                }
                final GrantScope scope = new GrantScope(builder.build(), LADDER, floor);
                final Set<ProtectionMethod> grantL4 = !forL4.isEmpty() ? forL4 : forL3;
                final Set<ProtectionMethod> expectedL4 = EnumSet.copyOf(ProtectionFloor.PROTECTED_ONLY);
                if (!grantL4.isEmpty()) {
                    expectedL4.retainAll(grantL4);
                }
                assertEquals(expectedL4, scope.requiredProtection(l4), forL3 + " / " + forL4);
                assertTrue(scope.protectionRequired(l4));
                assertTrue(ProtectionFloor.PROTECTED_ONLY.containsAll(scope.requiredProtection(l4)));
                assertEquals(forL3, scope.requiredProtection(l3), "below the floor the grant decides alone");
                assertTrue(scope.neverLeaves(l5));
                checked++;
            }
        }
        assertEquals(128 * 4, checked);
    }

    private static List<Set<ProtectionMethod>> subsets() {
        final ProtectionMethod[] methods = ProtectionMethod.values();
        final List<Set<ProtectionMethod>> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << methods.length; mask++) {
            final Set<ProtectionMethod> subset = EnumSet.noneOf(ProtectionMethod.class);
            for (int i = 0; i < methods.length; i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(methods[i]);
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }
}
