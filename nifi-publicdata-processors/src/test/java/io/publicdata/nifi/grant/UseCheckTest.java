package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.GradeLadder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.publicdata.nifi.grant.GrantBuilder.GRANTEE;
import static io.publicdata.nifi.grant.GrantBuilder.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UseCheckTest {

    private static final GrantScope SCOPE = new GrantScope(grant().build(), GradeLadder.defaultLadder());
    private static final Instant DURING = Instant.parse("2025-06-30T04:00:00Z");
    private static final UseContext USE = new UseContext(GRANTEE, "交通运输", null, "交通规划", "GOV-TRAFFIC-001");

    @Test
    void theFirstDenialDecidesAndLaterChecksDoNotRun() {
        final List<String> ran = new ArrayList<>();
        final UseCheck first = (scope, use, at) -> {
            ran.add("first");
            return Decision.PERMIT;
        };
        final UseCheck denying = (scope, use, at) -> {
            ran.add("denying");
            return Decision.deny(DenyCode.DATASET_NOT_GRANTED, "test");
        };
        final UseCheck last = (scope, use, at) -> {
            ran.add("last");
            return Decision.PERMIT;
        };
        assertEquals("DATASET_NOT_GRANTED: test", UseCheck.firstDenial(List.of(first, denying, last), SCOPE, USE, DURING).denyReason());
        assertEquals(List.of("first", "denying"), ran);
        assertSame(Decision.PERMIT, UseCheck.firstDenial(List.of(first, last), SCOPE, USE, DURING));
    }

    @Test
    void theTermComesBeforeTheUseContext() {
        final UseContext stranger = new UseContext("someone else", "交通运输", null, "交通规划", "GOV-TRAFFIC-001");
        final Instant after = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(DenyCode.GRANT_EXPIRED, UseCheck.firstDenial(List.of(UseCheck.TERM, UseCheck.SCOPE), SCOPE, stranger, after).code());
        assertEquals(DenyCode.GRANTEE_MISMATCH, UseCheck.firstDenial(List.of(UseCheck.TERM, UseCheck.SCOPE), SCOPE, stranger, DURING).code());
        assertSame(Decision.PERMIT, UseCheck.firstDenial(List.of(UseCheck.TERM, UseCheck.SCOPE), SCOPE, USE, DURING));
    }

    @Test
    void anUnusableGrantCarriesItsDenial() {
        final ResolvedGrant unusable = new ResolvedGrant.Unusable(null, Decision.deny(DenyCode.SIGNATURE_INVALID, "the grant document is not signed"));
        assertEquals(null, unusable.grantId());
        assertEquals("GR-2025-0001", new ResolvedGrant.Usable(SCOPE).grantId());
        assertThrows(IllegalArgumentException.class, () -> new ResolvedGrant.Unusable("GR-1", Decision.PERMIT));
    }
}
