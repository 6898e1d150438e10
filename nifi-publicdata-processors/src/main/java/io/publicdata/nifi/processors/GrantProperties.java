package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.AuthorizationMode;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantJson;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.GrantStatus;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.Pricing;
import io.publicdata.nifi.grant.ProtectionFloor;
import io.publicdata.nifi.grant.ProtectionRequirements;
import io.publicdata.nifi.grant.ResolvedGrant;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.PropertyValue;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.resource.ResourceCardinality;
import org.apache.nifi.components.resource.ResourceType;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.processor.util.StandardValidators;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.publicdata.nifi.processors.PublicDataValidators.names;

/**
 * EnforceGrantScope's grant: the properties that set it (in the processor, or as a signed document and the issuer's
 * key) and how they become a {@link ResolvedGrant}. The mapping from properties to a grant lives here and nowhere else.
 */
public final class GrantProperties {

    public static final PropertyDescriptor GRANT_SOURCE = new PropertyDescriptor.Builder()
            .name("Grant Source")
            .description("Whether the grant is set in this processor's properties or comes as a signed grant document.")
            .required(true)
            .allowableValues(GrantSource.class)
            .defaultValue(GrantSource.PROPERTIES)
            .build();

    public static final PropertyDescriptor GRANT_DOCUMENT = new PropertyDescriptor.Builder()
            .name("Grant Document")
            .description("The signed grant document (JSON), inline or as a file path. It is read and verified when the processor starts; "
                    + "a document that does not verify with the Verification Key denies every FlowFile with SIGNATURE_INVALID.")
            .required(true)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.TEXT, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .dependsOn(GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT)
            .build();

    public static final PropertyDescriptor VERIFICATION_KEY = new PropertyDescriptor.Builder()
            .name("Verification Key")
            .description("The issuing data authority's public key (PEM: PUBLIC KEY, or a CERTIFICATE whose key is used), inline or as a file "
                    + "path: SM2, ECDSA P-256 or Ed25519. The key decides the signature algorithm.")
            .required(true)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.TEXT, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .dependsOn(GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT)
            .build();

    public static final PropertyDescriptor GRANT_ID = grantProperty("Grant ID", "The grant's identifier, written to publicdata.grant.id.", true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR).build();

    public static final PropertyDescriptor GRANTEE = grantProperty("Grantee",
            "The operator the grant is for, e.g. its unified social credit code; compared exactly with the use context's grantee.", true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR).build();

    public static final PropertyDescriptor AUTHORIZATION_MODE = grantProperty("Authorization Mode",
            "The authorization mode (授权模式): which parts of the use context the grant restricts.", true)
            .allowableValues(Arrays.stream(AuthorizationMode.values())
                    .map(mode -> new AllowableValue(mode.name(), mode.name() + " " + mode.term(), mode.term() + ": " + mode.scope() + "."))
                    .toArray(AllowableValue[]::new))
            .build();

    public static final PropertyDescriptor DOMAINS = grantProperty("Domains",
            "Comma-separated domains (领域) the grant covers: required for DOMAIN, optional for SCENARIO (then the use must be in one "
                    + "of them too), not allowed for WHOLE.", false)
            .addValidator(PublicDataValidators.NAME_LIST).build();

    public static final PropertyDescriptor SCENARIOS = grantProperty("Scenarios",
            "Comma-separated application scenarios (场景) the grant covers: required for SCENARIO, not allowed otherwise.", false)
            .addValidator(PublicDataValidators.NAME_LIST).build();

    public static final PropertyDescriptor PURPOSES = grantProperty("Purposes",
            "Comma-separated purposes the grant covers, or * for any purpose.", true)
            .addValidator(PublicDataValidators.NAME_LIST).build();

    public static final PropertyDescriptor DATASETS = grantProperty("Datasets",
            "Comma-separated catalog ids (资源目录编号) the grant covers, or * for any dataset.", true)
            .addValidator(PublicDataValidators.NAME_LIST).build();

    public static final PropertyDescriptor PERMITTED_FIELDS = grantProperty("Permitted Fields",
            "Comma-separated field paths the operator may receive, e.g. /name, /contacts/phone; * is one path segment, ** any number, "
                    + "/** every field. A permitted field is permitted with everything below it.", true)
            .addValidator(PublicDataValidators.NAME_LIST).build();

    public static final PropertyDescriptor MAXIMUM_GRADE = grantProperty("Maximum Grade",
            "The highest grade the operator may receive, a code of the Grade Ladder. The top grade requires Required Protection for it.", true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR).build();

    public static final PropertyDescriptor VALID_FROM = grantProperty("Valid From",
            "Start of the grant's term (运营期限), inclusive: ISO-8601 with an offset, e.g. 2025-01-01T00:00:00+08:00.", true)
            .addValidator(PublicDataValidators.DATE_TIME).build();

    public static final PropertyDescriptor VALID_UNTIL = grantProperty("Valid Until",
            "End of the grant's term, exclusive: ISO-8601 with an offset, e.g. 2026-01-01T00:00:00+08:00.", true)
            .addValidator(PublicDataValidators.DATE_TIME).build();

    public static final PropertyDescriptor REQUIRED_PROTECTION = grantProperty("Required Protection",
            "Conditions of the grant (授权条件): the protection methods accepted for fields of a grade and above, as comma-separated "
                    + "GRADE=METHOD|METHOD pairs, e.g. L3=MASK|PSEUDONYMIZE|ENCRYPT, L4=ENCRYPT. Methods: "
                    + ProtectionRequirements.methodNames() + ". Checked against publicdata.protected (written by ProtectRecord).", false)
            .addValidator(PublicDataValidators.PROTECTION_REQUIREMENTS).build();

    public static final PropertyDescriptor STATUS = new PropertyDescriptor.Builder()
            .name("Status")
            .description("The grant's status. With a signed grant document, the stricter of this and the document's status applies: "
                    + "set SUSPENDED or REVOKED to stop using a signed grant here (退出).")
            .required(true)
            .allowableValues(Arrays.stream(GrantStatus.values())
                    .map(status -> new AllowableValue(status.name(), status.name() + " " + status.term(), status.description()))
                    .toArray(AllowableValue[]::new))
            .defaultValue(GrantStatus.ACTIVE.name())
            .build();

    public static final PropertyDescriptor PRICING = grantProperty("Pricing",
            "How the use is paid for (收费方式, clause 3(6)): a use whose purpose category does not fit it is denied (PRICING_MISMATCH). "
                    + "Empty: only uses that declare no purpose category.", false)
            .allowableValues(Arrays.stream(Pricing.values())
                    .map(pricing -> new AllowableValue(pricing.name(), pricing.name() + " " + pricing.term(), pricing.term()))
                    .toArray(AllowableValue[]::new))
            .build();

    public static final PropertyDescriptor GRANTEE_KEYS = grantProperty("Grantee Keys",
            "The grantee's public keys (PEM PUBLIC KEY blocks, one or more; SM2, ECDSA P-256 or Ed25519), inline or as a file path: "
                    + "a signed use request must verify with one of them. A signed grant document names them itself (granteeKeys).", false)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.TEXT, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    public static final PropertyDescriptor REVOCATION_LIST = new PropertyDescriptor.Builder()
            .name("Revocation List")
            .description("The data authority's signed revocation list (吊销清单), a file. It is read again whenever it changes; a grant on it "
                    + "is denied with GRANT_REVOKED, every use is denied while the list is past its nextUpdate (REVOCATION_LIST_STALE) or "
                    + "the file no longer verifies (REVOCATION_LIST_INVALID). A list that does not verify when the processor is configured "
                    + "makes it invalid. Made with `publicdata grant revoke`.")
            .required(false)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    public static final PropertyDescriptor REVOCATION_LIST_KEY = new PropertyDescriptor.Builder()
            .name("Revocation List Key")
            .description("The public key (PEM) the revocation list is signed with, inline or as a file path. When empty, the Verification "
                    + "Key of a signed grant document; with a grant set in properties it is required.")
            .required(false)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.TEXT, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .dependsOn(REVOCATION_LIST)
            .build();

    private GrantProperties() {
    }

    private static PropertyDescriptor.Builder grantProperty(final String name, final String description, final boolean required) {
        return new PropertyDescriptor.Builder()
                .name(name)
                .description(description)
                .required(required)
                .expressionLanguageSupported(ExpressionLanguageScope.NONE)
                .dependsOn(GRANT_SOURCE, GrantSource.PROPERTIES);
    }

    /**
     * Rules across the grant's properties: a grant in properties must be a grant (with grantee keys when the use
     * context comes from signed requests); a verification key must be a key; a revocation list must verify.
     */
    static List<ValidationResult> validate(final ValidationContext context, final String gradeLadder, final boolean signedRequests) {
        final List<ValidationResult> results = new ArrayList<>();
        if (source(context) == GrantSource.PROPERTIES && signedRequests && !context.getProperty(GRANTEE_KEYS).isSet()) {
            results.add(new ValidationResult.Builder().subject(GRANTEE_KEYS.getName()).valid(false)
                    .explanation("signed use requests are verified with the grantee's keys: set Grantee Keys").build());
        }
        ProtectionFloor floor = null;
        try {
            floor = floor(context, GradeLadder.parse(gradeLadder));
        } catch (final IllegalArgumentException e) {
            results.add(new ValidationResult.Builder().subject(EnforceGrantScope.PROTECTION_FLOOR.getName()).valid(false).explanation(e.getMessage()).build());
        }
        if (source(context) == GrantSource.PROPERTIES && floor != null) {
            try {
                new GrantScope(fromProperties(context), floor.ladder(), floor);
            } catch (final IllegalArgumentException e) {
                results.add(new ValidationResult.Builder().subject("Grant").valid(false).explanation(e.getMessage()).build());
            }
        } else if (context.getProperty(VERIFICATION_KEY).isSet()) {
            try {
                PemKeys.readPublicKey(readText(context.getProperty(VERIFICATION_KEY)));
            } catch (final IllegalArgumentException | IOException e) {
                results.add(new ValidationResult.Builder().subject(VERIFICATION_KEY.getName()).valid(false).explanation(e.getMessage()).build());
            }
        }
        if (context.getProperty(REVOCATION_LIST).isSet()) {
            try {
                revocationList(context).list();
            } catch (final GrantException e) {
                results.add(new ValidationResult.Builder().subject(REVOCATION_LIST.getName()).valid(false).explanation(e.getMessage()).build());
            } catch (final IllegalArgumentException | IOException e) {
                results.add(new ValidationResult.Builder().subject(REVOCATION_LIST_KEY.getName()).valid(false).explanation(e.getMessage()).build());
            }
        }
        return results;
    }

    /**
     * The configured revocation list; null when there is none.
     *
     * @throws IllegalArgumentException when its key is missing or not a key
     */
    static RevocationListFile revocationList(final PropertyContext context) throws IOException {
        if (!context.getProperty(REVOCATION_LIST).isSet()) {
            return null;
        }
        final PropertyValue key = context.getProperty(REVOCATION_LIST_KEY).isSet() ? context.getProperty(REVOCATION_LIST_KEY)
                : source(context) == GrantSource.SIGNED_DOCUMENT ? context.getProperty(VERIFICATION_KEY) : null;
        if (key == null || !key.isSet()) {
            throw new IllegalArgumentException("Set Revocation List Key to the public key the revocation list is signed with");
        }
        final Path path = Path.of(context.getProperty(REVOCATION_LIST).evaluateAttributeExpressions().getValue());
        return new RevocationListFile(path, PemKeys.readPublicKey(readText(key)));
    }

    /** The grantee keys set in properties, as a grant names them; empty when none are set. */
    private static List<String> granteeKeys(final PropertyContext context) {
        if (!context.getProperty(GRANTEE_KEYS).isSet()) {
            return List.of();
        }
        try {
            return PemKeys.readPublicKeys(readText(context.getProperty(GRANTEE_KEYS))).stream().map(PemKeys::encode).toList();
        } catch (final IOException e) {
            throw new IllegalArgumentException("Grantee Keys cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The configured grant: from the properties (valid, as validation made sure), or a signed document verified with
     * the issuer's key, under the stricter of its status and the local Status.
     *
     * @throws IOException when the document or the key cannot be read
     */
    static ResolvedGrant resolve(final PropertyContext context, final GradeLadder ladder) throws IOException {
        final ProtectionFloor floor = floor(context, ladder);
        if (source(context) == GrantSource.PROPERTIES) {
            return new ResolvedGrant.Usable(scope(fromProperties(context), ladder, floor));
        }
        final byte[] document = readText(context.getProperty(GRANT_DOCUMENT)).getBytes(StandardCharsets.UTF_8);
        final String key = readText(context.getProperty(VERIFICATION_KEY));
        Grant grant = null;
        try {
            grant = GrantDocument.verify(document, PemKeys.readPublicKey(key));
            return new ResolvedGrant.Usable(scope(grant.withStatus(GrantStatus.stricter(grant.status(), localStatus(context))), ladder, floor));
        } catch (final GrantException e) {
            return new ResolvedGrant.Unusable(null, e.decision());
        } catch (final IllegalArgumentException e) {
            return new ResolvedGrant.Unusable(grant == null ? null : grant.id(), Decision.deny(DenyCode.GRANT_INVALID, e.getMessage()));
        }
    }

    /** The one place a grant becomes a scope: always over the deployment's protection floor. */
    private static GrantScope scope(final Grant grant, final GradeLadder ladder, final ProtectionFloor floor) {
        return new GrantScope(grant, ladder, floor);
    }

    /** The deployment's protection floor (EnforceGrantScope's Protection Floor), or the built-in one when it sets none. */
    static ProtectionFloor floor(final PropertyContext context, final GradeLadder ladder) {
        return ProtectionFloor.parse(context.getProperty(EnforceGrantScope.PROTECTION_FLOOR).getValue(), ladder);
    }

    /** The grant set in the properties. */
    static Grant fromProperties(final PropertyContext context) {
        return new Grant(
                context.getProperty(GRANT_ID).getValue(),
                null,
                context.getProperty(GRANTEE).getValue(),
                context.getProperty(AUTHORIZATION_MODE).isSet()
                        ? GrantJson.constant(AuthorizationMode.class, context.getProperty(AUTHORIZATION_MODE).getValue(), AUTHORIZATION_MODE.getName())
                        : null,
                names(context.getProperty(DOMAINS).getValue()),
                names(context.getProperty(SCENARIOS).getValue()),
                names(context.getProperty(PURPOSES).getValue()),
                names(context.getProperty(DATASETS).getValue()),
                names(context.getProperty(PERMITTED_FIELDS).getValue()),
                context.getProperty(MAXIMUM_GRADE).getValue(),
                ProtectionRequirements.parse(context.getProperty(REQUIRED_PROTECTION).getValue()),
                time(context, VALID_FROM),
                time(context, VALID_UNTIL),
                localStatus(context),
                context.getProperty(PRICING).isSet() ? GrantJson.constant(Pricing.class, context.getProperty(PRICING).getValue(), PRICING.getName()) : null,
                null,
                granteeKeys(context));
    }

    private static GrantSource source(final PropertyContext context) {
        return context.getProperty(GRANT_SOURCE).asAllowableValue(GrantSource.class);
    }

    private static GrantStatus localStatus(final PropertyContext context) {
        return GrantJson.constant(GrantStatus.class, context.getProperty(STATUS).getValue(), STATUS.getName());
    }

    private static OffsetDateTime time(final PropertyContext context, final PropertyDescriptor property) {
        return context.getProperty(property).isSet() ? GrantJson.parseTime(context.getProperty(property).getValue(), property.getName()) : null;
    }

    static String readText(final PropertyValue property) throws IOException {
        try (InputStream in = property.evaluateAttributeExpressions().asResource().read()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
