package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.components.state.StateMap;
import org.apache.nifi.state.MockStateManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestReplayMemoryTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Instant UNTIL = NOW.plusSeconds(600);

    /** Two nodes read the empty state at once; the second to write must see the first's request, not overwrite it. */
    @Test
    void twoNodesClaimingTheSameRequestOnAnEmptyStateAcceptItOnce() {
        final MockStateManager shared = new MockStateManager(new Object());
        shared.setIgnoreAnnotations(true);
        final StateMap empty = read(shared);
        final RequestReplayMemory first = new RequestReplayMemory(shared, RequestReuse.ONE_FLOWFILE, 100);
        final RequestReplayMemory second = new RequestReplayMemory(new ReadsOnceFrom(shared, empty), RequestReuse.ONE_FLOWFILE, 100);

        assertEquals(Decision.PERMIT, first.claim("RQ-1", UNTIL, "flowfile-a", NOW));
        final Decision replay = second.claim("RQ-1", UNTIL, "flowfile-b", NOW);

        assertEquals(DenyCode.REQUEST_REPLAYED, replay.code());
        assertTrue(read(shared).toMap().get("request.RQ-1").endsWith(" flowfile-a"), "the first node's claim stays recorded");
    }

    private static StateMap read(final StateManager state) {
        try {
            return state.getState(Scope.CLUSTER);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A state manager whose first read returns a snapshot taken earlier: another node wrote in between. */
    private static final class ReadsOnceFrom implements StateManager {
        private final StateManager delegate;
        private StateMap stale;

        ReadsOnceFrom(final StateManager delegate, final StateMap stale) {
            this.delegate = delegate;
            this.stale = stale;
        }

        @Override
        public StateMap getState(final Scope scope) throws IOException {
            final StateMap snapshot = stale;
            stale = null;
            return snapshot != null ? snapshot : delegate.getState(scope);
        }

        @Override
        public void setState(final Map<String, String> state, final Scope scope) throws IOException {
            delegate.setState(state, scope);
        }

        @Override
        public boolean replace(final StateMap oldValue, final Map<String, String> newValue, final Scope scope) throws IOException {
            return delegate.replace(oldValue, newValue, scope);
        }

        @Override
        public void clear(final Scope scope) throws IOException {
            delegate.clear(scope);
        }
    }
}
