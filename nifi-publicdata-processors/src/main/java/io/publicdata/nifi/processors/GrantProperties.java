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

    /** Rules across the grant's properties: a grant in properties must be a grant; a verification key must be a key. */
    static List<ValidationResult> validate(final ValidationContext context, final String gradeLadder) {
        final List<ValidationResult> results = new ArrayList<>();
        if (source(context) == GrantSource.PROPERTIES) {
            try {
                scope(fromProperties(context), GradeLadder.parse(gradeLadder));
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
        return results;
    }

    /**
     * The configured grant: from the properties (valid, as validation made sure), or a signed document verified with
     * the issuer's key, under the stricter of its status and the local Status.
     *
     * @throws IOException when the document or the key cannot be read
     */
    static ResolvedGrant resolve(final PropertyContext context, final GradeLadder ladder) throws IOException {
        if (source(context) == GrantSource.PROPERTIES) {
            return new ResolvedGrant.Usable(scope(fromProperties(context), ladder));
        }
        final byte[] document = readText(context.getProperty(GRANT_DOCUMENT)).getBytes(StandardCharsets.UTF_8);
        final String key = readText(context.getProperty(VERIFICATION_KEY));
        Grant grant = null;
        try {
            grant = GrantDocument.verify(document, PemKeys.readPublicKey(key));
            return new ResolvedGrant.Usable(scope(grant.withStatus(GrantStatus.stricter(grant.status(), localStatus(context))), ladder));
        } catch (final GrantException e) {
            return new ResolvedGrant.Unusable(null, e.decision());
        } catch (final IllegalArgumentException e) {
            return new ResolvedGrant.Unusable(grant == null ? null : grant.id(), Decision.deny(DenyCode.GRANT_INVALID, e.getMessage()));
        }
    }

    /** The one place a grant becomes a scope. */
    private static GrantScope scope(final Grant grant, final GradeLadder ladder) {
        return new GrantScope(grant, ladder);
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
                null);
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
