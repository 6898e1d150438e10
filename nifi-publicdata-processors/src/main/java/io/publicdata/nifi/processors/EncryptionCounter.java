package io.publicdata.nifi.processors;

import io.publicdata.nifi.protect.ProtectionException;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.components.state.StateMap;
import org.apache.nifi.logging.ComponentLog;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the values one key has encrypted with AES-GCM or SM4-GCM, in NiFi state, because random 96-bit nonces are
 * only safe for so many: NIST SP 800-38D §8.3 allows at most 2³² invocations of the authenticated encryption with one
 * key when nonces are random (beyond that a repeated nonce, which gives away the authentication key and the XOR of two
 * plaintexts, becomes more likely than 2⁻³²).
 *
 * <p>Thresholds: a warning (a bulletin) from {@value #WARN_FROM} values (2³⁰, a quarter of the limit) and again at every
 * further {@value #WARN_EVERY} (2²⁸); refusal from {@value #REFUSE_FROM} (2³² − 2²⁸): a FlowFile that would take the key
 * past it goes to failure, unchanged, until the key is rotated. The margin covers what the nodes of a cluster have counted
 * but not yet written (the count is CLUSTER state, shared by every node, written at most every
 * {@value #FLUSH_SECONDS} s and when the processor stops). Counts lost in a crash are at most those few seconds.
 * Thread-safe: one per processor run, shared by its tasks.
 */
final class EncryptionCounter {

    static final long WARN_FROM = 1L << 30;
    static final long WARN_EVERY = 1L << 28;
    static final long REFUSE_FROM = (1L << 32) - (1L << 28);
    static final long FLUSH_SECONDS = 5;
    static final String STATE_PREFIX = "encrypted.";

    private final StateManager state;
    private final ComponentLog log;
    private final String stateKey;
    private final String label;
    /** The count as this node knows it: the state when last read or written, plus what this node counted since. */
    private final AtomicLong known;
    private final AtomicLong unwritten = new AtomicLong();
    private final AtomicLong warnedStep = new AtomicLong(-1);
    private volatile long lastWrite = System.nanoTime();

    private EncryptionCounter(final StateManager state, final ComponentLog log, final String algorithm, final String keyId, final long stored) {
        this.state = state;
        this.log = log;
        this.stateKey = stateKey(algorithm, keyId);
        this.label = "key '" + keyId + "' (" + algorithm + ")";
        this.known = new AtomicLong(stored);
    }

    /** The state entry of a key: {@code encrypted.<algorithm>.<keyId>}. */
    static String stateKey(final String algorithm, final String keyId) {
        return STATE_PREFIX + algorithm + "." + keyId;
    }

    /** Reads the key's count from state; warns at once when it is already past a threshold. */
    static EncryptionCounter start(final StateManager state, final ComponentLog log, final String algorithm, final String keyId) throws IOException {
        final String stored = state.getState(Scope.CLUSTER).get(stateKey(algorithm, keyId));
        final EncryptionCounter counter = new EncryptionCounter(state, log, algorithm, keyId, stored == null ? 0 : Long.parseLong(stored));
        counter.warnIfDue(counter.known.get());
        return counter;
    }

    long count() {
        return known.get();
    }

    /**
     * Counts the values a FlowFile encrypted, before it is released.
     *
     * @throws ProtectionException when they would take the key past {@link #REFUSE_FROM}: the FlowFile must not leave
     */
    void add(final long values) {
        if (values <= 0) {
            return;
        }
        final long before = known.get();
        if (before + values > REFUSE_FROM) {
            throw new ProtectionException("The encryption " + label + " has encrypted " + before + " values with random 96-bit nonces; "
                    + "NIST SP 800-38D allows 2^32 per key, and this processor stops at " + REFUSE_FROM + ": rotate the key (add a new key to "
                    + "the Key Provider and make it active; keep the old one to decrypt)");
        }
        final long total = known.addAndGet(values);
        unwritten.addAndGet(values);
        warnIfDue(total);
        if (System.nanoTime() - lastWrite >= TimeUnit.SECONDS.toNanos(FLUSH_SECONDS)) {
            write();
        }
    }

    /** Adds what this node counted to the shared state (compare-and-set, so no node's count is lost). */
    void write() {
        final long pending = unwritten.getAndSet(0);
        lastWrite = System.nanoTime();
        if (pending == 0) {
            return;
        }
        try {
            for (int attempt = 0; attempt < 10; attempt++) {
                final StateMap current = state.getState(Scope.CLUSTER);
                final Map<String, String> next = new HashMap<>(current.toMap());
                final String stored = next.get(stateKey);
                final long total = (stored == null ? 0 : Long.parseLong(stored)) + pending;
                next.put(stateKey, String.valueOf(total));
                if (state.replace(current, next, Scope.CLUSTER)) {
                    // What other nodes wrote in the meantime is now known here too
                    known.accumulateAndGet(total + unwritten.get(), Math::max);
                    return;
                }
            }
            log.warn("Could not record the number of values the encryption {} encrypted (the state kept changing); trying again later", label);
        } catch (final IOException e) {
            log.warn("Could not record the number of values the encryption {} encrypted: {}; trying again later", label, SafeMessages.reason(e));
        }
        unwritten.addAndGet(pending);
    }

    private void warnIfDue(final long total) {
        if (total < WARN_FROM) {
            return;
        }
        final long step = (total - WARN_FROM) / WARN_EVERY;
        final long warned = warnedStep.get();
        if (step > warned && warnedStep.compareAndSet(warned, step)) {
            log.warn("The encryption {} has encrypted {} values with random 96-bit nonces; NIST SP 800-38D §8.3 allows 2^32 per key and "
                    + "this processor refuses to encrypt more from {}: rotate the key soon", label, total, REFUSE_FROM);
        }
    }
}
