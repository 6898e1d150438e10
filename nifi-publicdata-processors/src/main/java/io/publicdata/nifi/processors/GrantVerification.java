package io.publicdata.nifi.processors;

import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.catalog.RegistrationCheck;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.ResolvedGrant;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.UseCheck;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.processor.ProcessContext;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EnforceGrantScope's "Verify" (the button of the property dialog): with the configuration as it stands, whether the
 * grant is usable (document, signature, issuer key, term, status, revocation list) and, given a FlowFile's attributes
 * (a use context or a signed use request), whether its use would be authorized and if not why. Nothing is recorded:
 * verifying a request does not use it up, so whether it was already used is not checked here.
 */
final class GrantVerification {

    private static final String GRANT = "Grant";
    private static final String TERM = "Grant Term and Status";
    private static final String REVOCATION = "Revocation List";
    private static final String SOURCE = "Use Context Source";
    private static final String USE = "Use";
    private static final String CATALOG = "Resource Catalog";

    private GrantVerification() {
    }

    static List<ConfigVerificationResult> verify(final ProcessContext context, final Map<String, String> attributes, final Instant at) {
        final GrantEnforcement enforcement;
        try {
            enforcement = GrantEnforcement.configure(context);
        } catch (final IOException | RuntimeException e) {
            return List.of(result(GRANT, Outcome.FAILED, "The configuration cannot be read: " + e.getMessage()));
        }
        final List<ConfigVerificationResult> results = new ArrayList<>();
        if (!(enforcement.grant() instanceof ResolvedGrant.Usable usable)) {
            results.add(result(GRANT, Outcome.FAILED, ((ResolvedGrant.Unusable) enforcement.grant()).denial().denyReason()));
            for (final String step : List.of(TERM, REVOCATION, SOURCE, USE)) {
                results.add(result(step, Outcome.SKIPPED, "The grant cannot be used"));
            }
            return results;
        }
        final GrantScope scope = usable.scope();
        results.add(result(GRANT, Outcome.SUCCESSFUL, (context.getProperty(GrantProperties.GRANT_SOURCE).asAllowableValue(GrantSource.class)
                == GrantSource.SIGNED_DOCUMENT ? "The signed document verifies with the Verification Key: " : "") + scope.describe()));
        results.add(decided(TERM, UseCheck.TERM.check(scope, null, at), "In force at " + at + ": " + scope.grant().status() + ", valid until "
                + scope.grant().validUntil()));
        results.add(revocation(context, scope, at));
        results.add(source(context, scope));
        results.add(use(enforcement, scope, attributes, at));
        if (enforcement.catalog() != null) {
            results.add(catalog(enforcement, scope, attributes, at));
        }
        return results;
    }

    private static ConfigVerificationResult revocation(final ProcessContext context, final GrantScope scope, final Instant at) {
        try {
            final RevocationListFile file = GrantProperties.revocationList(context);
            if (file == null) {
                return result(REVOCATION, Outcome.SKIPPED, "No Revocation List is configured: revocation is only the local Status");
            }
            final RevocationList list = file.list();
            return decided(REVOCATION, list.check(scope.grant(), at), "The list of " + list.issuer() + " verifies and is current until "
                    + list.nextUpdate() + "; it revokes " + list.revoked().size() + " grants, not this one");
        } catch (final GrantException e) {
            return result(REVOCATION, Outcome.FAILED, e.decision().denyReason());
        } catch (final IOException | IllegalArgumentException e) {
            return result(REVOCATION, Outcome.FAILED, "The Revocation List Key cannot be read: " + e.getMessage());
        }
    }

    private static ConfigVerificationResult source(final ProcessContext context, final GrantScope scope) {
        if (!UseContextProperties.signedRequests(context)) {
            return result(SOURCE, Outcome.SUCCESSFUL, "Attributes: the use context is what upstream declares in the publicdata.use.* attributes");
        }
        final List<String> keys = scope.grant().granteePublicKeys().stream().map(PemKeys::keyId).toList();
        return keys.isEmpty()
                ? result(SOURCE, Outcome.FAILED, "Signed use requests, but the grant names no grantee key to verify them with: every FlowFile "
                        + "would be denied (set Grantee Keys, or have the authority name granteeKeys in the grant)")
                : result(SOURCE, Outcome.SUCCESSFUL, "Signed use requests, verified with the grantee's keys " + keys);
    }

    private static ConfigVerificationResult use(final GrantEnforcement enforcement, final GrantScope scope, final Map<String, String> attributes,
                                                final Instant at) {
        if (attributes == null || attributes.isEmpty()) {
            return result(USE, Outcome.SKIPPED, "Give a FlowFile's attributes (e.g. publicdata.use.request, or publicdata.use.* and "
                    + "publicdata.dataset) to check whether its use would be authorized");
        }
        return switch (enforcement.useContext().contextOf(attributes, scope, at)) {
            case UseContextSource.Refused refused -> result(USE, Outcome.FAILED, refused.denial().denyReason());
            case UseContextSource.Known known -> {
                final Decision decision = UseCheck.firstDenial(enforcement.useChecks(), scope, known.context(), at);
                yield decided(USE, decision, "This use would be authorized" + (known.provenance().isEmpty() ? "" : " (" + known.provenance() + ")")
                        + "; each record is then checked against the grant's grade and fields"
                        + (known.provenance().isEmpty() ? "" : ". Not checked here: whether the request was already used"));
            }
        };
    }

    /** What the resource catalog says of the FlowFile's dataset: denied whatever the grant says, or its catalog facts. */
    private static ConfigVerificationResult catalog(final GrantEnforcement enforcement, final GrantScope scope, final Map<String, String> attributes,
                                                    final Instant at) {
        if (attributes == null || attributes.isEmpty()) {
            return result(CATALOG, Outcome.SKIPPED, "Give a FlowFile's attributes (publicdata.dataset, or a signed use request) to look its dataset up");
        }
        if (!(enforcement.useContext().contextOf(attributes, scope, at) instanceof UseContextSource.Known known)) {
            return result(CATALOG, Outcome.SKIPPED, "The use context could not be established (see " + USE + ")");
        }
        final String dataset = known.context().dataset();
        try {
            final Optional<Dataset> entry = enforcement.catalog().find(dataset);
            return decided(CATALOG, RegistrationCheck.check(dataset, entry), entry.map(d -> "Dataset " + d.code() + " (" + d.name() + ") is "
                    + d.registration().status().term() + " " + d.registration().number() + " and " + d.openType().term() + " in the resource catalog")
                    .orElse(""));
        } catch (final RuntimeException e) {
            return result(CATALOG, Outcome.FAILED, "The resource catalog cannot be read: " + e.getMessage());
        }
    }

    private static ConfigVerificationResult decided(final String step, final Decision decision, final String whenPermitted) {
        return decision.permitted() ? result(step, Outcome.SUCCESSFUL, whenPermitted) : result(step, Outcome.FAILED, decision.denyReason());
    }

    private static ConfigVerificationResult result(final String step, final Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(step).outcome(outcome).explanation(explanation).build();
    }
}
