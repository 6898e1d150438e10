package io.publicdata.nifi.grant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionRequirementsTest {

    @Test
    void readsPairsInTheOrderWritten() {
        final Map<String, Set<ProtectionMethod>> requirements = ProtectionRequirements.parse(" L3 = mask|Pseudonymize|ENCRYPT , L4=ENCRYPT,");
        assertEquals(List.of("L3", "L4"), List.copyOf(requirements.keySet()));
        assertEquals(EnumSet.of(ProtectionMethod.MASK, ProtectionMethod.PSEUDONYMIZE, ProtectionMethod.ENCRYPT), requirements.get("L3"));
        assertEquals(Set.of(ProtectionMethod.ENCRYPT), requirements.get("L4"));
        assertEquals("L3=MASK|PSEUDONYMIZE|ENCRYPT, L4=ENCRYPT", ProtectionRequirements.format(requirements));
    }

    @Test
    void nothingIsNoRequirement() {
        assertTrue(ProtectionRequirements.parse(null).isEmpty());
        assertTrue(ProtectionRequirements.parse("  ").isEmpty());
        assertEquals("", ProtectionRequirements.format(Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            L3                 # 'L3' is not GRADE=METHOD|METHOD, e.g. L3=MASK|ENCRYPT
            =MASK              # '=MASK' is not GRADE=METHOD|METHOD, e.g. L3=MASK|ENCRYPT
            L3=SHRED           # Protection method 'SHRED' is not one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]
            L3=                # Protection method '' is not one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]
            L3=MASK||ENCRYPT   # Protection method '' is not one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]
            L3=MASK; L4=DROP   # Protection method 'MASK; L4=DROP' is not one of [MASK, REDACT, PSEUDONYMIZE, ENCRYPT, FPE, GENERALIZE, DROP]
            L3=MASK, L3=DROP   # Grade L3 is listed twice
            """)
    void refusesWhatItCannotRead(final String text, final String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ProtectionRequirements.parse(text)).getMessage());
    }

    /** A grant's requirements written as text and read back are the same requirements. */
    @Test
    void theTextFormRoundTrips() {
        final Grant grant = GrantBuilder.grant().maximumGrade("L5").protect("L3", ProtectionMethod.MASK, ProtectionMethod.FPE)
                .protect("L5", ProtectionMethod.ENCRYPT).build();
        assertEquals(grant.requiredProtection(), ProtectionRequirements.parse(ProtectionRequirements.format(grant.requiredProtection())));
    }
}
