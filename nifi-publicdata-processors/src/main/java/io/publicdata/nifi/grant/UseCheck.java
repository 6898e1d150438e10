package io.publicdata.nifi.grant;

import java.time.Instant;

/**
 * One check of a use against a grant, made once per FlowFile before any record is read: the grant's status and
 * term, the use context against the scope, a revocation list, a catalog. Implementations are immutable and
 * thread-safe; they name no data value in a reason.
 */
@FunctionalInterface
public interface UseCheck {

    /**
     * @param scope the grant, usable
     * @param use   who uses the data and for what
     * @param at    the instant of the use
     * @return {@link Decision#PERMIT} to let the next check decide, or the denial
     */
    Decision check(GrantScope scope, UseContext use, Instant at);

    /** The grant's status and term ({@link GrantScope#checkTerm}). */
    UseCheck TERM = (scope, use, at) -> scope.checkTerm(at);

    /** The use context against the grant's grantee, domains, scenarios, purposes and datasets ({@link GrantScope#checkUseContext}). */
    UseCheck SCOPE = (scope, use, at) -> scope.checkUseContext(use);

    /**
     * Runs checks in order.
     *
     * @return the first denial, or {@link Decision#PERMIT} when every check permits
     */
    static Decision firstDenial(final Iterable<? extends UseCheck> checks, final GrantScope scope, final UseContext use, final Instant at) {
        for (final UseCheck check : checks) {
            final Decision decision = check.check(scope, use, at);
            if (!decision.permitted()) {
                return decision;
            }
        }
        return Decision.PERMIT;
    }
}
