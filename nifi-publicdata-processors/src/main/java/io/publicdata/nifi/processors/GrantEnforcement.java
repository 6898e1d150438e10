package io.publicdata.nifi.processors;

import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.catalog.RegistrationCheck;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.ResolvedGrant;
import io.publicdata.nifi.grant.UseCheck;
import io.publicdata.nifi.services.PublicDataCatalog;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.exception.ProcessException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What EnforceGrantScope enforces, worked out when it starts: the grant, where each FlowFile's use context comes
 * from, and the checks of the use and of each record, in order. Immutable but for what it remembers of the field
 * grades it narrowed ({@link NarrowedFieldGrades}); shared by all tasks.
 *
 * @param grant         the grant, usable or not
 * @param useContext    where a FlowFile's use context comes from
 * @param useChecks     the checks of the use ({@link GrantChecks#useChecks})
 * @param recordChecks  the checks of each record ({@link GrantChecks#recordChecks})
 * @param gradeField    the root field holding each record's grade; null to give every record the FlowFile's grade
 * @param removeOutside true to remove values outside the permitted fields, false to deny their records
 * @param catalog       the resource catalog, whose registration and open type decide after the use checks; null without one
 * @param requestFromContent the attribute the content is read into as the signed use request, when the FlowFile is the
 *                      request and nothing else; null when it carries records
 * @param grantFacts    the grant's publicdata.grant.* attributes ({@link GrantFacts}); empty when it cannot be used
 * @param narrowedFieldGrades the field grades of authorized FlowFiles, remembered across FlowFiles
 */
record GrantEnforcement(ResolvedGrant grant, UseContextSource useContext, List<UseCheck> useChecks,
                        List<RecordCheck.Factory> recordChecks, String gradeField, boolean removeOutside, DatasetCatalog catalog,
                        String requestFromContent, Map<String, String> grantFacts, NarrowedFieldGrades narrowedFieldGrades) {

    /** The largest signed use request read from a FlowFile's content. */
    static final int MAXIMUM_REQUEST_BYTES = 65_536;

    GrantEnforcement {
        useChecks = List.copyOf(useChecks);
        recordChecks = List.copyOf(recordChecks);
        grantFacts = Map.copyOf(grantFacts);
    }

    /**
     * Works out what EnforceGrantScope's configuration enforces: when it starts, and to verify a configuration.
     *
     * @throws IOException when a grant document, key or revocation list cannot be read
     */
    static GrantEnforcement configure(final ProcessContext context) throws IOException {
        final ResolvedGrant grant = GrantProperties.resolve(context, GradeLadder.parse(context.getProperty(EnforceGrantScope.GRADE_LADDER).getValue()));
        final String gradeField = context.getProperty(EnforceGrantScope.GRADE_FIELD).getValue();
        return new GrantEnforcement(grant, UseContextProperties.source(context), GrantChecks.useChecks(context), GrantChecks.recordChecks(context),
                gradeField == null || gradeField.isBlank() ? null : gradeField.strip(),
                context.getProperty(EnforceGrantScope.FIELDS_OUTSIDE_GRANT).asAllowableValue(FieldsOutsideGrant.class) == FieldsOutsideGrant.REMOVE,
                context.getProperty(EnforceGrantScope.CATALOG).isSet()
                        ? new DatasetCatalog(context.getProperty(EnforceGrantScope.CATALOG).asControllerService(PublicDataCatalog.class)) : null,
                UseContextProperties.requestFromContent(context),
                grant instanceof ResolvedGrant.Usable usable ? GrantFacts.attributes(usable.scope().grant()) : Map.of(), new NarrowedFieldGrades());
    }

    /**
     * The decision on a FlowFile's use, and what provenance may say of its use context.
     *
     * @param decision     PERMIT to go on to the records, or the denial of the whole FlowFile
     * @param provenance   e.g. a signed request's id and purpose; empty when there is nothing to say
     * @param catalogEntry the catalog entry of the dataset used; null without a catalog, or when it has none
     * @param scope        the grant as it applies to the records of a permitted use (e.g. narrowed to a request's fields);
     *                     null when the use is denied
     */
    record Use(Decision decision, String provenance, Dataset catalogEntry, GrantScope scope) {

        Use(final Decision decision, final String provenance) {
            this(decision, provenance, null, null);
        }

        /** The attributes every output of the FlowFile gets: the dataset's catalog facts. */
        Map<String, String> attributes() {
            return catalogEntry == null ? Map.of() : DatasetCatalog.attributes(catalogEntry);
        }
    }

    /**
     * Establishes the FlowFile's use context and runs the use checks, then the catalog's; the first denial decides. A
     * use they permit is then claimed (e.g. a signed request is remembered against replays), which may still deny it.
     *
     * @throws org.apache.nifi.processor.exception.ProcessException when the catalog cannot be read now
     * @throws IllegalArgumentException when the catalog hands out an invalid entry
     */
    Use decideUse(final FlowFile flowFile, final ProcessSession session, final Instant at) {
        return switch (grant) {
            case ResolvedGrant.Unusable unusable -> new Use(unusable.denial(), "");
            case ResolvedGrant.Usable usable -> switch (useContext.contextOf(useAttributes(flowFile, session), usable.scope(), at)) {
                case UseContextSource.Refused refused -> new Use(refused.denial(), "");
                case UseContextSource.Known known -> claimed(withCatalog(UseCheck.firstDenial(useChecks, usable.scope(), known.context(), at), known),
                        known, usable.scope());
            };
        };
    }

    /**
     * The FlowFile's attributes, and, when the FlowFile is the signed request, its content as the request.
     *
     * @throws IllegalArgumentException when the content is larger than {@link #MAXIMUM_REQUEST_BYTES}
     */
    private Map<String, String> useAttributes(final FlowFile flowFile, final ProcessSession session) {
        if (requestFromContent == null) {
            return flowFile.getAttributes();
        }
        if (flowFile.getSize() > MAXIMUM_REQUEST_BYTES) {
            throw new IllegalArgumentException("The FlowFile should be a signed use request, but it has " + flowFile.getSize()
                    + " bytes, more than the " + MAXIMUM_REQUEST_BYTES + " a request may have");
        }
        final Map<String, String> attributes = new HashMap<>(flowFile.getAttributes());
        attributes.put(requestFromContent, new String(readAll(flowFile, session), StandardCharsets.UTF_8));
        return attributes;
    }

    private static byte[] readAll(final FlowFile flowFile, final ProcessSession session) {
        try (InputStream in = session.read(flowFile)) {
            return in.readNBytes(MAXIMUM_REQUEST_BYTES);
        } catch (final IOException e) {
            throw new ProcessException("Cannot read the signed use request: " + e.getMessage(), e);
        }
    }

    /** Says in the log what is enforced, or that nothing can pass. */
    void log(final ComponentLog logger) {
        switch (grant) {
            case ResolvedGrant.Unusable unusable -> logger.error("The grant cannot be used ({}); every FlowFile will be routed to unauthorized",
                    unusable.denial().denyReason());
            case ResolvedGrant.Usable usable -> logger.info("Enforcing {}; protection floor {}", usable.scope().describe(), usable.scope().floor().describe());
        }
    }

    /** A permitted use is claimed, and applies the grant as the use context narrows it. */
    private static Use claimed(final Use use, final UseContextSource.Known known, final GrantScope grantScope) {
        final Decision decision = use.decision().permitted() ? known.claim().get() : use.decision();
        return new Use(decision, use.provenance(), use.catalogEntry(), known.scope() == null ? grantScope : known.scope());
    }

    /** Whatever the grant decided, the catalog's facts go with the FlowFile; a use the grant permits the catalog may still deny. */
    private Use withCatalog(final Decision decision, final UseContextSource.Known known) {
        if (catalog == null) {
            return new Use(decision, known.provenance());
        }
        final String dataset = known.context().dataset();
        final Optional<Dataset> entry = catalog.find(dataset);
        return new Use(decision.permitted() ? RegistrationCheck.check(dataset, entry) : decision, known.provenance(), entry.orElse(null), null);
    }

    /** The attributes every output of a FlowFile gets: the grant's facts and the dataset's catalog facts. */
    Map<String, String> attributes(final Use use) {
        final Map<String, String> attributes = new HashMap<>(use.attributes());
        attributes.putAll(grantFacts);
        return attributes;
    }

    /** The record decisions for one FlowFile whose use was permitted. */
    RecordDecisions recordDecisions(final Use use, final Map<String, String> attributes) {
        return new RecordDecisions(new FlowFileEvidence(use.scope(), attributes), recordChecks, gradeField, removeOutside, narrowedFieldGrades);
    }

    /** How provenance details end: the grant and what may be said of the use, e.g. {@code  (grant GR-2025-0001)}; empty without a grant id. */
    String provenanceSuffix(final Use use) {
        if (grant.grantId() == null) {
            return "";
        }
        return " (grant " + grant.grantId() + (use.provenance().isEmpty() ? "" : ", " + use.provenance()) + ")";
    }
}
