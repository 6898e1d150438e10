package io.publicdata.nifi.grant;

import java.util.Objects;

/**
 * The grant a processor enforces, as it stands once configured: usable (a scope to check uses and records against)
 * or unusable with the denial every use gets (a document that does not verify, a grant the ladder cannot read).
 */
public sealed interface ResolvedGrant {

    /** The grant's id; null when not even that could be read, e.g. from a document whose signature does not verify. */
    String grantId();

    /** A grant that decides uses and records. */
    record Usable(GrantScope scope) implements ResolvedGrant {

        public Usable {
            Objects.requireNonNull(scope, "scope");
        }

        @Override
        public String grantId() {
            return scope.grant().id();
        }
    }

    /**
     * A grant that cannot be used: every use is denied with this decision.
     *
     * @param grantId the grant's id when it was read, else null
     * @param denial  the denial, e.g. {@link DenyCode#SIGNATURE_INVALID}
     */
    record Unusable(String grantId, Decision denial) implements ResolvedGrant {

        public Unusable {
            Objects.requireNonNull(denial, "denial");
            if (denial.permitted()) {
                throw new IllegalArgumentException("An unusable grant needs a denial");
            }
        }
    }
}
