package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.UseContext;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the use context of a FlowFile comes from: who uses the data and for what. Made once when the processor
 * starts ({@link UseContextProperties}); immutable and thread-safe, shared by all tasks.
 */
interface UseContextSource {

    /**
     * The use context of a FlowFile, or why there is none that can be trusted. Records nothing: a use is recorded only
     * when its {@link Known#claim} is called.
     *
     * @param attributes the FlowFile's attributes (with its uuid), or those given to verify a configuration
     * @param scope      the grant the use will be checked against
     * @param at         the instant of the use
     */
    Result contextOf(Map<String, String> attributes, GrantScope scope, Instant at);

    /** A use context, or the denial of a FlowFile whose use context cannot be established. */
    sealed interface Result {
    }

    /**
     * @param context    the use context
     * @param provenance what provenance may say of where it came from (never a value of the data), e.g. a request id and
     *                   purpose; empty when there is nothing to say
     * @param scope      the grant as it applies to this use, e.g. narrowed to the fields a request asks for; null for the grant as it is
     * @param claim      called once the use checks permitted the use: records the use (e.g. against replays) and may still deny it
     */
    record Known(UseContext context, String provenance, GrantScope scope, Supplier<Decision> claim) implements Result {
        public Known {
            Objects.requireNonNull(context, "context");
            provenance = provenance == null ? "" : provenance;
            claim = claim == null ? () -> Decision.PERMIT : claim;
        }

        /** A use context as it is, with nothing to claim. */
        public Known(final UseContext context) {
            this(context, "", null, null);
        }
    }

    /** @param denial why the FlowFile's use context cannot be established */
    record Refused(Decision denial) implements Result {
        public Refused {
            if (denial.permitted()) {
                throw new IllegalArgumentException("A refused use context needs a denial");
            }
        }
    }
}
