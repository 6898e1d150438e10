package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.components.state.StateMap;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the use requests this processor accepted until each expires, so that none is accepted again by someone
 * else (a replay). The record is NiFi's cluster state (a node's local state when NiFi is not clustered), updated by
 * compare-and-set, so concurrent tasks and other nodes see each accepted request; a copy in memory answers repeated
 * presentations without reading the state. Memory is bounded: a request is remembered only for its validity, which
 * the processor bounds, and at most {@code maximum} at a time; when that many unexpired requests are remembered, new
 * ones are refused (fail closed) rather than forgotten.
 *
 * <p>Each accepted request has a holder: the FlowFile that used it ({@link RequestReuse#ONE_FLOWFILE}; the same
 * FlowFile may present it again after a rollback) or the digest of the signed document ({@link RequestReuse#UNTIL_EXPIRY}).
 * Another holder presenting the id is a replay.
 */
final class RequestReplayMemory {

    private static final String PREFIX = "request.";
    private static final int ATTEMPTS = 10;

    private final StateManager stateManager;
    private final RequestReuse reuse;
    private final int maximum;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();

    private record Accepted(long validUntilMillis, String holder) {

        static Accepted parse(final String value) {
            final int space = value.indexOf(' ');
            return new Accepted(Long.parseLong(value.substring(0, space)), value.substring(space + 1));
        }

        String format() {
            return validUntilMillis + " " + holder;
        }

        boolean expiredAt(final long millis) {
            return millis >= validUntilMillis;
        }
    }

    RequestReplayMemory(final StateManager stateManager, final RequestReuse reuse, final int maximum) {
        this.stateManager = stateManager;
        this.reuse = reuse;
        this.maximum = maximum;
    }

    /**
     * Accepts the request for this holder, or refuses it as a replay.
     *
     * @param validUntil the end of the request's validity: it is remembered until then
     * @return PERMIT, {@link DenyCode#REQUEST_REPLAYED}, or {@link DenyCode#REQUEST_UNRECORDED} when it cannot be remembered
     */
    Decision claim(final String requestId, final Instant validUntil, final String holder, final Instant at) {
        final long now = at.toEpochMilli();
        final Accepted known = accepted.get(requestId);
        if (known != null && !known.expiredAt(now)) {
            return decide(requestId, known, holder);
        }
        synchronized (this) {
            try {
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    final StateMap state = stateManager.getState(Scope.CLUSTER);
                    final String recorded = state.get(PREFIX + requestId);
                    if (recorded != null && !Accepted.parse(recorded).expiredAt(now)) {
                        final Accepted other = Accepted.parse(recorded);
                        accepted.put(requestId, other);
                        return decide(requestId, other, holder);
                    }
                    final Map<String, String> updated = new HashMap<>();
                    state.toMap().forEach((key, value) -> {
                        if (!key.startsWith(PREFIX) || !Accepted.parse(value).expiredAt(now)) {
                            updated.put(key, value);
                        }
                    });
                    if (updated.size() >= maximum) {
                        return Decision.deny(DenyCode.REQUEST_UNRECORDED, "request " + requestId + " cannot be remembered against replays: "
                                + updated.size() + " unexpired requests are remembered, the most this processor keeps (Maximum Remembered Requests)");
                    }
                    final Accepted mine = new Accepted(validUntil.toEpochMilli(), holder);
                    updated.put(PREFIX + requestId, mine.format());
                    // Compare-and-set even for the first write: NiFi's providers create the state only if no other
                    // node or task has created it since it was read as empty
                    if (stateManager.replace(state, updated, Scope.CLUSTER)) {
                        accepted.values().removeIf(entry -> entry.expiredAt(now));
                        accepted.put(requestId, mine);
                        return Decision.PERMIT;
                    }
                }
                return Decision.deny(DenyCode.REQUEST_UNRECORDED, "request " + requestId + " cannot be remembered against replays: the state "
                        + "kept changing under " + ATTEMPTS + " attempts to record it");
            } catch (final IOException | RuntimeException e) {
                return Decision.deny(DenyCode.REQUEST_UNRECORDED, "request " + requestId + " cannot be remembered against replays: the state "
                        + "is unavailable (" + e.getMessage() + ")");
            }
        }
    }

    private Decision decide(final String requestId, final Accepted known, final String holder) {
        if (known.holder().equals(holder)) {
            return Decision.PERMIT;
        }
        return Decision.deny(DenyCode.REQUEST_REPLAYED, reuse == RequestReuse.ONE_FLOWFILE
                ? "request " + requestId + " was already used by another FlowFile; a request authorizes one"
                : "request id " + requestId + " was already used by another signed request; an id is accepted once");
    }
}
