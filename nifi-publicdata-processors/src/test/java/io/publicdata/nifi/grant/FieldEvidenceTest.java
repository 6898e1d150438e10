package io.publicdata.nifi.grant;

import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldEvidenceTest {

    private static final GradeLadder LADDER = GradeLadder.defaultLadder();
    private static final FieldGrades FIELDS = FieldGrades.fromJson("""
            {"/name": {"grade": "L3", "labels": ["PERSON_NAME"]},
             "/idCard": {"grade": "L3", "labels": ["PERSONAL_ID"]},
             "/applicant/bankCard": {"grade": "L4", "labels": ["BANK_CARD"]},
             "/district": {"grade": "L1", "labels": []}}""", LADDER);

    private static final GrantScope PROTECTING = new GrantScope(grant().maximumGrade("L4")
            .protect("L3", ProtectionMethod.MASK, ProtectionMethod.PSEUDONYMIZE, ProtectionMethod.ENCRYPT)
            .protect("L4", ProtectionMethod.ENCRYPT).build(), LADDER);

    @Test
    void recordsBelowEveryRequirementNeedNoProtection() {
        final FieldEvidence evidence = new FieldEvidence(PROTECTING, null, null);
        assertSame(Decision.PERMIT, evidence.protection(LADDER.grade("L2")));
    }

    @Test
    void everyPermittedFieldOfARequiredGradeMustBeProtected() {
        final FieldEvidence unprotected = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK"));
        final Decision decision = unprotected.protection(LADDER.grade("L3"));
        assertEquals(DenyCode.PROTECTION_REQUIRED, decision.code());
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected, "
                + "/idCard (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected", decision.denyReason(),
                "a value of an L3 record is at most L3, whatever a neighbouring record made its field");

        final FieldEvidence l3Protected = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", "pseudonymize"));
        assertSame(Decision.PERMIT, l3Protected.protection(LADDER.grade("L3"), path -> !path.equals(FieldPath.parse("/applicant/bankCard"))),
                "an L3 record without a bank card needs no protection of /applicant/bankCard");
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected",
                l3Protected.protection(LADDER.grade("L3")).denyReason(), "an L3 record with a bank card does");
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L4) needs ENCRYPT but is unprotected", l3Protected.protection(LADDER.grade("L4")).denyReason());

        final FieldEvidence masked = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", "ENCRYPT", "/applicant/bankCard", "MASK"));
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L4) needs ENCRYPT but is MASK", masked.protection(LADDER.grade("L4")).denyReason());
        final FieldEvidence unknownMethod = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", "ENCRYPT", "/applicant/bankCard", "ROT13"));
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L4) needs ENCRYPT but is protected by an unknown method", unknownMethod.protection(LADDER.grade("L4")).denyReason());

        final FieldEvidence all = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", "ENCRYPT", "/applicant/bankCard", "ENCRYPT"));
        assertSame(Decision.PERMIT, all.protection(LADDER.grade("L4")));
    }

    @Test
    void eachRecordIsJudgedFromItsOwnValues() {
        // The attack: an L3 record's unprotected L3 bank card passed because a neighbouring record made the field L4
        final FieldEvidence evidence = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", "MASK"));
        final Decision l3WithCard = evidence.protection(LADDER.grade("L3"), path -> true);
        assertEquals("PROTECTION_REQUIRED: /applicant/bankCard (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected", l3WithCard.denyReason());
        assertSame(Decision.PERMIT, evidence.protection(LADDER.grade("L3"), path -> !path.toString().equals("/applicant/bankCard")));

        // A field where some values were left in clear is not protected, whatever was done to the others
        final FieldEvidence partial = new FieldEvidence(PROTECTING, FIELDS, methods("/name", "MASK", "/idCard", FieldEvidence.PARTIAL,
                "/applicant/bankCard", "ENCRYPT"));
        assertEquals("PROTECTION_REQUIRED: /idCard (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is partly in clear",
                partial.protection(LADDER.grade("L3")).denyReason());
        assertEquals(java.util.Map.of(FieldPath.parse("/a"), "PARTIAL", FieldPath.parse("/b"), "MASK"),
                FieldEvidence.protectedPaths("{\"/a\": {\"method\": \"PARTIAL\", \"methods\": [\"MASK\"]}, "
                        + "\"/b\": {\"method\": \"MASK\", \"methods\": [\"MASK\", \"ENCRYPT\"]}}"));
    }

    @Test
    void fieldsOutsideTheGrantNeedNoProtection() {
        final GrantScope onlyName = new GrantScope(grant().fields("/name", "/district").protect("L3", ProtectionMethod.MASK).build(), LADDER);
        assertSame(Decision.PERMIT, new FieldEvidence(onlyName, FIELDS, methods("/name", "MASK")).protection(LADDER.grade("L3")));
    }

    @Test
    void withoutFieldGradesNothingShowsProtection() {
        assertEquals("PROTECTION_REQUIRED: grade L3 must be protected (MASK|PSEUDONYMIZE|ENCRYPT), but there are no field grades "
                + "(publicdata.fields) to show which fields hold it", new FieldEvidence(PROTECTING, null, Map.of()).protection(LADDER.grade("L3")).denyReason());
        final FieldEvidence low = new FieldEvidence(PROTECTING, FieldGrades.fromJson("{\"/district\": {\"grade\": \"L1\"}}", LADDER), Map.of());
        assertEquals("PROTECTION_REQUIRED: grade L4 must be protected (ENCRYPT), but the field grades (publicdata.fields) list no field of that grade",
                low.protection(LADDER.grade("L4")).denyReason());
        assertEquals(DenyCode.PROTECTION_REQUIRED, low.protection(null).code(), "no grade counts as the top grade");
    }

    @Test
    void listsAtMostFiveFields() {
        final StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 7; i++) {
            json.append(i == 0 ? "" : ",").append("\"/f").append(i).append("\":{\"grade\":\"L3\"}");
        }
        final FieldEvidence evidence = new FieldEvidence(PROTECTING, FieldGrades.fromJson(json.append("}").toString(), LADDER), Map.of());
        assertTrue(evidence.protection(LADDER.grade("L3")).reason().endsWith("/f4 (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected, and 2 more fields"));
    }

    @Test
    void keptGradeBoundsWhatRemainsAfterRemoval() {
        final GrantScope publicFields = new GrantScope(grant().fields("/name", "/district").build(), LADDER);
        assertEquals(LADDER.grade("L3"), new FieldEvidence(publicFields, FIELDS, null).keptGrade());
        final GrantScope onlyDistrict = new GrantScope(grant().fields("/district", "/tag").build(), LADDER);
        assertEquals(LADDER.grade("L1"), new FieldEvidence(onlyDistrict, FIELDS, null).keptGrade());
        final GrantScope nothingListed = new GrantScope(grant().fields("/tag").build(), LADDER);
        assertEquals(LADDER.grade("L1"), new FieldEvidence(nothingListed, FIELDS, null).keptGrade(), "no listed field kept: nothing of grade");
        assertNull(new FieldEvidence(onlyDistrict, null, null).keptGrade(), "unknown without field grades");
    }

    @Test
    void listsPathsAndTheirAncestors() {
        final FieldEvidence evidence = new FieldEvidence(PROTECTING, FIELDS, null);
        assertTrue(evidence.lists(FieldPath.parse("/applicant")));
        assertTrue(evidence.lists(FieldPath.parse("/applicant/bankCard")));
        assertTrue(evidence.lists(FieldPath.parse("/name")));
        assertFalse(evidence.lists(FieldPath.parse("/applicant/bank")));
        assertFalse(evidence.lists(FieldPath.parse("/phone")));
    }

    @Test
    void parsesProtectedFields() {
        assertEquals(methods("/idCard", "MASK", "/phone", "ENCRYPT"),
                FieldEvidence.protectedPaths("{\"/idCard\": \"MASK\", \"/phone\": {\"method\": \"ENCRYPT\", \"keyId\": \"k1\"}}"));
        assertEquals("Protected fields (publicdata.protected) must be a JSON object of field path to method",
                assertThrows(IllegalArgumentException.class, () -> FieldEvidence.parseProtected("[]")).getMessage());
        assertEquals("Protected field '/x' names no method",
                assertThrows(IllegalArgumentException.class, () -> FieldEvidence.parseProtected("{\"/x\": 3}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldEvidence.parseProtected("{"))
                .getMessage().startsWith("Protected fields (publicdata.protected) are not valid JSON"));
    }

    private static Map<FieldPath, String> methods(final String... pathsAndMethods) {
        final Map<FieldPath, String> methods = new java.util.HashMap<>();
        for (int i = 0; i < pathsAndMethods.length; i += 2) {
            methods.put(FieldPath.parse(pathsAndMethods[i]), pathsAndMethods[i + 1]);
        }
        return methods;
    }
}
