package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where EnforceGrantScope's decisions on one FlowFile send it: the decision attributes, the relationship and the
 * provenance event, which names the grant and, through the use's provenance, what may be said of its use context.
 * One per FlowFile.
 */
final class DecisionRouting {

    private final ProcessSession session;
    private final FlowFile original;
    private final String grantId;
    private final String provenanceSuffix;
    private final long started;
    private final Map<String, String> useAttributes;

    /**
     * @param grantId          the grant that decided; null when it could not be read
     * @param provenanceSuffix how provenance details end ({@link GrantEnforcement#provenanceSuffix})
     * @param started          {@link System#nanoTime()} when the FlowFile was taken
     * @param useAttributes    attributes every output gets, e.g. the dataset's catalog facts
     */
    DecisionRouting(final ProcessSession session, final FlowFile original, final String grantId, final String provenanceSuffix, final long started,
                    final Map<String, String> useAttributes) {
        this.session = session;
        this.original = original;
        this.grantId = grantId;
        this.provenanceSuffix = provenanceSuffix;
        this.started = started;
        this.useAttributes = Map.copyOf(useAttributes);
    }

    /**
     * Sends the FlowFile, unchanged, to unauthorized with the reason: its use was denied (recordCount null) or every record.
     *
     * @param denyCounts records denied per code, e.g. {@code DATASET_NOT_OPEN=12}
     */
    void denyWhole(final String denyReason, final String denyCounts, final Long recordCount, final String details) {
        final Map<String, String> attributes = decisionAttributes(new HashMap<>(), Decision.Outcome.DENY, denyReason);
        attributes.put(PublicDataAttributes.DENY_COUNTS, denyCounts);
        if (recordCount != null) {
            attributes.put(PublicDataAttributes.RECORD_COUNT, String.valueOf(recordCount));
        }
        final FlowFile denied = session.putAllAttributes(original, attributes);
        session.getProvenanceReporter().route(denied, EnforceGrantScope.REL_UNAUTHORIZED, details + provenanceSuffix, millis());
        session.transfer(denied, EnforceGrantScope.REL_UNAUTHORIZED);
    }

    /** Sends the FlowFile whose use was denied, unchanged, to unauthorized; its denial counts are its records, when it says how many. */
    void denyUse(final Decision denial) {
        final String records = original.getAttribute(PublicDataAttributes.RECORD_COUNT);
        final String counts = denial.code() + (records != null && records.matches("\\d{1,18}") ? "=" + records : "");
        denyWhole(denial.denyReason(), counts, null, "DENY " + denial.denyReason());
    }

    /** Sends the FlowFile, unchanged, to authorized: it is a signed use request whose use was permitted, and holds no records. */
    void permitWhole() {
        final FlowFile permitted = session.putAllAttributes(original, decisionAttributes(new HashMap<>(), Decision.Outcome.PERMIT, null));
        session.getProvenanceReporter().route(permitted, EnforceGrantScope.REL_AUTHORIZED, "PERMIT the use this signed request states"
                + provenanceSuffix, millis());
        session.transfer(permitted, EnforceGrantScope.REL_AUTHORIZED);
    }

    /** Sends the authorized child (and the unauthorized one, if any) on, and removes the original: a FORK. */
    void split(final RecordSplit split, final RecordDecisions decisions) {
        final List<FlowFile> children = new ArrayList<>();
        // One update of the attributes, one removal only when a stale one is there: each is a new FlowFile version
        final Map<String, String> permitted = decisionAttributes(split.accepted().attributes(), Decision.Outcome.PERMIT, null);
        permitted.putAll(decisions.authorizedAttributes());
        FlowFile authorized = session.putAllAttributes(split.accepted().flowFile(), permitted);
        final Set<String> stale = new HashSet<>(decisions.staleAttributes());
        stale.retainAll(authorized.getAttributes().keySet());
        if (!stale.isEmpty()) {
            authorized = session.removeAllAttributes(authorized, stale);
        }
        children.add(authorized);
        session.transfer(authorized, EnforceGrantScope.REL_AUTHORIZED);
        if (split.rejected().isOpen()) {
            final Map<String, String> rejected = decisionAttributes(split.rejected().attributes(), Decision.Outcome.DENY, decisions.denyReason());
            rejected.put(PublicDataAttributes.DENY_COUNTS, decisions.denyCounts());
            final FlowFile child = session.putAllAttributes(split.rejected().flowFile(), rejected);
            children.add(child);
            session.transfer(child, EnforceGrantScope.REL_UNAUTHORIZED);
        }
        session.getProvenanceReporter().fork(original, children, decisions.provenanceDetails() + provenanceSuffix, millis());
        session.remove(original);
    }

    private Map<String, String> decisionAttributes(final Map<String, String> attributes, final Decision.Outcome outcome, final String denyReason) {
        attributes.putAll(useAttributes);
        if (grantId != null) {
            attributes.put(PublicDataAttributes.GRANT_ID, grantId);
        }
        attributes.put(PublicDataAttributes.DECISION, outcome.name());
        if (denyReason != null) {
            attributes.put(PublicDataAttributes.DENY_REASON, denyReason);
        }
        return attributes;
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
