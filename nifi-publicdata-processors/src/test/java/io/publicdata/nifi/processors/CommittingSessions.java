package io.publicdata.nifi.processors;

import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.components.state.StateMap;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.ProcessSessionFactory;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.state.MockStateMap;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.MockProcessSession;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sessions whose state is part of their commit, as in NiFi's own session (the mock session writes state at once):
 * {@code setState} is seen by the session's own {@code getState} and written to the state manager only when the session
 * commits, after its FlowFiles; a rollback or a failed commit discards it. A commit can be made to fail, to lose the
 * state write after the FlowFiles were committed (NiFi then only logs a warning), or to defer its callbacks (as Stateless
 * NiFi does until the whole dataflow has finished). What {@code observed} is transferred to joins {@link #downstream()}
 * in commit order: the queue the next processor would read.
 */
final class CommittingSessions implements ProcessSessionFactory {

    enum Commit { SUCCEED, FAIL, LOSE_STATE_WRITE, DEFER_CALLBACKS }

    private final ProcessSessionFactory mockSessions;
    private final StateManager stateManager;
    private final Relationship observed;
    private final List<MockFlowFile> downstream = new ArrayList<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private volatile Commit commit = Commit.SUCCEED;

    CommittingSessions(final ProcessSessionFactory mockSessions, final StateManager stateManager, final Relationship observed) {
        this.mockSessions = mockSessions;
        this.stateManager = stateManager;
        this.observed = observed;
    }

    void nextCommits(final Commit commit) {
        this.commit = commit;
    }

    synchronized List<MockFlowFile> downstream() {
        return List.copyOf(downstream);
    }

    /** Runs the success callbacks a deferring commit held back, as Stateless NiFi does once its dataflow completed. */
    synchronized void completeDeferred() {
        deferred.forEach(Runnable::run);
        deferred.clear();
    }

    @Override
    public ProcessSession createSession() {
        final MockProcessSession session = (MockProcessSession) mockSessions.createSession();
        final Map<Scope, Map<String, String>> pending = new HashMap<>();
        final int[] forwarded = {0};
        return (ProcessSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ProcessSession.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "setState" -> {
                    pending.put((Scope) args[1], Map.copyOf(castMap(args[0])));
                    return null;
                }
                case "getState" -> {
                    final Map<String, String> own = pending.get((Scope) args[0]);
                    final StateMap saved = stateManager.getState((Scope) args[0]);
                    return own == null ? saved : new MockStateMap(own, saved.getStateVersion().map(Long::parseLong).orElse(-1L) + 1);
                }
                case "rollback" -> {
                    pending.clear();
                    return invoke(session, method, args);
                }
                case "commitAsync" -> {
                    commit(session, pending, forwarded, args == null || args.length < 1 ? null : (Runnable) args[0],
                            args == null || args.length < 2 ? null : castConsumer(args[1]));
                    return null;
                }
                case "commit" -> throw new UnsupportedOperationException("EmitLineage commits asynchronously");
                default -> {
                    return invoke(session, method, args);
                }
            }
        });
    }

    private synchronized void commit(final MockProcessSession session, final Map<Scope, Map<String, String>> pending, final int[] forwarded,
                                     final Runnable onSuccess,
                                     final Consumer<Throwable> onFailure) throws Exception {
        final Commit mode = onSuccess == null ? Commit.SUCCEED : commit;
        if (mode == Commit.FAIL) {
            session.rollback();
            pending.clear();
            final ProcessException failure = new ProcessException("FlowFile repository full");
            if (onFailure != null) {
                onFailure.accept(failure);
            }
            throw failure;
        }
        session.commitAsync();
        // The mock keeps every transfer of the session; those before an earlier commit already went downstream
        final List<MockFlowFile> transferred = session.getFlowFilesForRelationship(observed);
        downstream.addAll(transferred.subList(forwarded[0], transferred.size()));
        forwarded[0] = transferred.size();
        if (mode != Commit.LOSE_STATE_WRITE) {
            for (final Map.Entry<Scope, Map<String, String>> state : pending.entrySet()) {
                stateManager.setState(state.getValue(), state.getKey());
            }
        }
        pending.clear();
        if (onSuccess != null) {
            if (mode == Commit.DEFER_CALLBACKS) {
                deferred.add(onSuccess);
            } else {
                onSuccess.run();
            }
        }
    }

    private static Object invoke(final ProcessSession session, final java.lang.reflect.Method method, final Object[] args) throws Throwable {
        try {
            return method.invoke(session, args);
        } catch (final InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(final Object map) {
        return (Map<String, String>) map;
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Throwable> castConsumer(final Object consumer) {
        return (Consumer<Throwable>) consumer;
    }
}
