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
import io.publicdata.nifi.grant.ProtectionMethod;
import io.publicdata.nifi.grant.UseContext;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.MultiProcessorUseCase;
import org.apache.nifi.annotation.documentation.ProcessorConfiguration;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.components.DescribedValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.PropertyValue;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.components.resource.ResourceCardinality;
import org.apache.nifi.components.resource.ResourceType;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

@SideEffectFree
@SupportsBatching
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"grant", "authorization", "scope", "access control", "record", "public data", "China",
        "授权", "授权运营", "授权范围", "分类分级授权", "整体授权", "分领域授权", "依场景授权", "公共数据"})
@CapabilityDescription("Lets records reach an operator only inside the scope of its grant (授权运营, 严禁超范围使用). The grant is set in "
        + "the processor's properties or comes as a document signed by the issuing data authority (SM2, ECDSA P-256 or Ed25519), "
        + "verified with the authority's public key: a tampered, unsigned or wrongly signed document denies everything. Each "
        + "FlowFile's use context (grantee, domain, scenario, purpose, dataset; from attributes) is checked against the grant's "
        + "mode (整体授权 whole, 分领域授权 by domain, 依场景授权 by scenario), status and term; a use outside it sends the FlowFile "
        + "unchanged to 'unauthorized'. Then each record's grade (from ClassifyRecord) is checked against the grant's Maximum "
        + "Grade and its required protection, and fields outside Permitted Fields are removed or deny the record: records in "
        + "scope go to 'authorized', the others to 'unauthorized', so one FlowFile may split in two. Fails closed: a missing "
        + "context value, a record without a grade, an unverifiable grant all deny, with publicdata.deny.reason saying why.")
@ReadsAttributes({
    @ReadsAttribute(attribute = PublicDataAttributes.USE_GRANTEE, description = "Who uses the data (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_DOMAIN, description = "The domain of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_SCENARIO, description = "The scenario of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_PURPOSE, description = "The purpose of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.DATASET, description = "The catalog id of the data used (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.GRADE, description = "Every record's grade when Grade Field is empty"),
    @ReadsAttribute(attribute = PublicDataAttributes.FIELDS, description = "Field grades: which fields need the grant's required protection"),
    @ReadsAttribute(attribute = PublicDataAttributes.PROTECTED, description = "Which fields are protected, and how")
})
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.GRANT_ID, description = "The grant that decided (absent when a grant document did not verify)"),
    @WritesAttribute(attribute = PublicDataAttributes.DECISION, description = "PERMIT on 'authorized', DENY on 'unauthorized'"),
    @WritesAttribute(attribute = PublicDataAttributes.DENY_REASON, description = "On 'unauthorized': CODE: reason, one per code separated by '; ', "
            + "e.g. GRANT_EXPIRED: valid until 2026-01-01T00:00:00+08:00 (exclusive), used at 2026-01-02T09:30:00+08:00"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Number of records written to a split FlowFile"),
    @WritesAttribute(attribute = "mime.type", description = "The MIME type of the Record Writer, on split FlowFiles"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure")
})
@SeeAlso(ClassifyRecord.class)
@UseCase(
    description = "Let an operator receive a domain's data under a grant by domain (分领域授权), up to a grade, without the fields it is not granted.",
    keywords = {"grant", "domain", "分领域授权", "authorization", "scope"},
    configuration = """
        Set "Record Reader" and "Record Writer" to the reader and writer for your data. Keep "Grant Source" at PROPERTIES.
        Set "Grant ID" to e.g. `GR-2025-0001`, "Grantee" to the operator's unified social credit code, "Authorization Mode" to DOMAIN,
        "Domains" to e.g. `交通运输`, "Purposes" to e.g. `交通规划`, "Datasets" to the catalog ids, e.g. `GOV-TRAFFIC-001`,
        "Permitted Fields" to e.g. `/plate, /district, /trips/*`, "Maximum Grade" to `L2`,
        "Valid From" to `2025-01-01T00:00:00+08:00` and "Valid Until" to `2026-01-01T00:00:00+08:00`.
        Upstream, set the attributes publicdata.use.grantee, publicdata.use.domain, publicdata.use.purpose and publicdata.dataset
        (UpdateAttribute), and grade the records with ClassifyRecord.
        Connect 'authorized' to the operator's destination and 'unauthorized' to an alert or quarantine.
        """
)
@UseCase(
    description = "Enforce a grant issued as a signed document by the data authority (whole, by domain or by scenario).",
    keywords = {"signed grant", "SM2", "signature", "grant document", "依场景授权", "整体授权"},
    configuration = """
        Set "Grant Source" to SIGNED_DOCUMENT. Set "Grant Document" to the path of the document the authority issued
        (made with `java -jar nifi-publicdata-cli.jar grant sign`), and "Verification Key" to the authority's public key (PEM, text or file).
        Set the use context attributes upstream as for a grant in properties. To stop using the grant locally (退出),
        set "Status" to SUSPENDED or REVOKED; the stricter of it and the document's status applies.
        """
)
@MultiProcessorUseCase(
    description = "Grade public data records and release to an operator only what its grant covers (分类分级授权).",
    keywords = {"grade", "grant", "分类分级", "授权运营", "release"},
    configurations = {
        @ProcessorConfiguration(processorClass = ClassifyRecord.class, configuration = """
            Set "Record Reader" and "Record Writer". Leave "Grade Field" at `_grade`. Set "Dataset" to the catalog id of the resource.
            Connect 'success' to EnforceGrantScope.
            """),
        @ProcessorConfiguration(processorClass = EnforceGrantScope.class, configuration = """
            Set the same "Record Reader" and "Record Writer" and the grant (properties or a signed document). Leave "Grade Field" at `_grade`.
            Connect 'authorized' onward (e.g. to protection and release) and 'unauthorized' to a quarantine.
            """)
    }
)
public class EnforceGrantScope extends AbstractProcessor {

    /** Where the grant comes from. */
    public enum GrantSource implements DescribedValue {
        PROPERTIES("Processor Properties", "The grant is set in this processor's properties, e.g. by the flow's administrator."),
        SIGNED_DOCUMENT("Signed Grant Document", "The grant is a JSON document signed by the issuing data authority and verified with its public key.");

        private final String displayName;
        private final String description;

        GrantSource(final String displayName, final String description) {
            this.displayName = displayName;
            this.description = description;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return displayName;
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    /** The authorization modes (授权模式) of the guidance. */
    public enum Mode implements DescribedValue {
        WHOLE(AuthorizationMode.WHOLE), DOMAIN(AuthorizationMode.DOMAIN), SCENARIO(AuthorizationMode.SCENARIO);

        private final AuthorizationMode mode;

        Mode(final AuthorizationMode mode) {
            this.mode = mode;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return name() + " " + mode.term();
        }

        @Override
        public String getDescription() {
            return mode.term() + ": " + mode.scope() + ".";
        }
    }

    /** The grant's status: the exit mechanism (退出机制). */
    public enum Status implements DescribedValue {
        ACTIVE(GrantStatus.ACTIVE, "In force within its term."),
        SUSPENDED(GrantStatus.SUSPENDED, "Temporarily stopped: every use is denied."),
        REVOKED(GrantStatus.REVOKED, "Ended for good (退出): every use is denied.");

        private final GrantStatus status;
        private final String description;

        Status(final GrantStatus status, final String description) {
            this.status = status;
            this.description = description;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return name() + " " + status.term();
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    /** What happens to values in fields the grant does not permit. */
    public enum FieldsOutsideGrant implements DescribedValue {
        REMOVE("Remove Fields", "Remove the fields the grant does not permit; the rest of the record may still be authorized."),
        DENY("Deny Record", "Send a record that holds a value in a field the grant does not permit to 'unauthorized' as it is.");

        private final String displayName;
        private final String description;

        FieldsOutsideGrant(final String displayName, final String description) {
            this.displayName = displayName;
            this.description = description;
        }

        @Override
        public String getValue() {
            return name();
        }

        @Override
        public String getDisplayName() {
            return displayName;
        }

        @Override
        public String getDescription() {
            return description;
        }
    }

    /** A comma-separated list of non-blank names. */
    private static final Validator NAMES = (subject, input, context) -> {
        final boolean valid = input != null && !names(input).isEmpty();
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a comma-separated list of at least one name").build();
    };

    /** An ISO-8601 date-time with an offset. */
    private static final Validator DATE_TIME = (subject, input, context) -> {
        try {
            GrantJson.parseTime(input, subject);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    };

    /** Grade=METHOD|METHOD pairs, comma-separated. */
    private static final Validator PROTECTION = (subject, input, context) -> {
        try {
            protection(input);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    };

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the incoming records.")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the authorized and the unauthorized records.")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

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
            .allowableValues(Mode.class).build();

    public static final PropertyDescriptor DOMAINS = grantProperty("Domains",
            "Comma-separated domains (领域) the grant covers: required for DOMAIN, optional for SCENARIO (then the use must be in one "
                    + "of them too), not allowed for WHOLE.", false)
            .addValidator(NAMES).build();

    public static final PropertyDescriptor SCENARIOS = grantProperty("Scenarios",
            "Comma-separated application scenarios (场景) the grant covers: required for SCENARIO, not allowed otherwise.", false)
            .addValidator(NAMES).build();

    public static final PropertyDescriptor PURPOSES = grantProperty("Purposes",
            "Comma-separated purposes the grant covers, or * for any purpose.", true)
            .addValidator(NAMES).build();

    public static final PropertyDescriptor DATASETS = grantProperty("Datasets",
            "Comma-separated catalog ids (资源目录编号) the grant covers, or * for any dataset.", true)
            .addValidator(NAMES).build();

    public static final PropertyDescriptor PERMITTED_FIELDS = grantProperty("Permitted Fields",
            "Comma-separated field paths the operator may receive, e.g. /name, /contacts/phone; * is one path segment, ** any number, "
                    + "/** every field. A permitted field is permitted with everything below it.", true)
            .addValidator(NAMES).build();

    public static final PropertyDescriptor MAXIMUM_GRADE = grantProperty("Maximum Grade",
            "The highest grade the operator may receive, a code of the Grade Ladder. The top grade requires Required Protection for it.", true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR).build();

    public static final PropertyDescriptor VALID_FROM = grantProperty("Valid From",
            "Start of the grant's term (运营期限), inclusive: ISO-8601 with an offset, e.g. 2025-01-01T00:00:00+08:00.", true)
            .addValidator(DATE_TIME).build();

    public static final PropertyDescriptor VALID_UNTIL = grantProperty("Valid Until",
            "End of the grant's term, exclusive: ISO-8601 with an offset, e.g. 2026-01-01T00:00:00+08:00.", true)
            .addValidator(DATE_TIME).build();

    public static final PropertyDescriptor REQUIRED_PROTECTION = grantProperty("Required Protection",
            "Conditions of the grant (授权条件): the protection methods accepted for fields of a grade and above, as comma-separated "
                    + "GRADE=METHOD|METHOD pairs, e.g. L3=MASK|PSEUDONYMIZE|ENCRYPT, L4=ENCRYPT. Methods: "
                    + Arrays.toString(ProtectionMethod.values()) + ". Checked against publicdata.protected (written by ProtectRecord).", false)
            .addValidator(PROTECTION).build();

    public static final PropertyDescriptor STATUS = new PropertyDescriptor.Builder()
            .name("Status")
            .description("The grant's status. With a signed grant document, the stricter of this and the document's status applies: "
                    + "set SUSPENDED or REVOKED to stop using a signed grant here (退出).")
            .required(true)
            .allowableValues(Status.class)
            .defaultValue(Status.ACTIVE)
            .build();

    public static final PropertyDescriptor GRADE_LADDER = new PropertyDescriptor.Builder()
            .name("Grade Ladder")
            .description("The grades in use, least sensitive first, as comma-separated CODE=name pairs; the same as ClassifyRecord's.")
            .required(true)
            .defaultValue(GradeLadder.DEFAULT_SPEC)
            .addValidator(PublicDataValidators.GRADE_LADDER)
            .build();

    public static final PropertyDescriptor GRADE_FIELD = new PropertyDescriptor.Builder()
            .name("Grade Field")
            .description("Root-level record field holding each record's grade code, as ClassifyRecord writes it. A record without a grade, "
                    + "or with one not on the Grade Ladder, counts as the top grade (fail closed). When empty, every record takes the "
                    + "FlowFile's publicdata.grade (its highest grade).")
            .required(false)
            .defaultValue("_grade")
            .addValidator(PublicDataValidators.FIELD_NAME_OR_EMPTY)
            .build();

    public static final PropertyDescriptor FIELDS_OUTSIDE_GRANT = new PropertyDescriptor.Builder()
            .name("Fields Outside Grant")
            .description("What happens to values in fields outside Permitted Fields; they never reach 'authorized'.")
            .required(true)
            .allowableValues(FieldsOutsideGrant.class)
            .defaultValue(FieldsOutsideGrant.REMOVE)
            .build();

    public static final PropertyDescriptor GRANTEE_ATTRIBUTE = contextAttribute("Grantee Attribute", PublicDataAttributes.USE_GRANTEE, "who uses the data");
    public static final PropertyDescriptor DOMAIN_ATTRIBUTE = contextAttribute("Domain Attribute", PublicDataAttributes.USE_DOMAIN, "the domain of the use");
    public static final PropertyDescriptor SCENARIO_ATTRIBUTE = contextAttribute("Scenario Attribute", PublicDataAttributes.USE_SCENARIO, "the scenario of the use");
    public static final PropertyDescriptor PURPOSE_ATTRIBUTE = contextAttribute("Purpose Attribute", PublicDataAttributes.USE_PURPOSE, "the purpose of the use");
    public static final PropertyDescriptor DATASET_ATTRIBUTE = contextAttribute("Dataset Attribute", PublicDataAttributes.DATASET, "the catalog id of the data used");

    public static final Relationship REL_AUTHORIZED = new Relationship.Builder()
            .name("authorized")
            .description("Records inside the grant's scope, without the fields it does not permit")
            .build();

    public static final Relationship REL_UNAUTHORIZED = new Relationship.Builder()
            .name("unauthorized")
            .description("Whole FlowFiles (unchanged) whose use the grant does not cover, and records outside its scope, with publicdata.deny.reason")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("FlowFiles that could not be read or written, unchanged, with record.error.message saying why")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, GRANT_SOURCE, GRANT_DOCUMENT, VERIFICATION_KEY,
            GRANT_ID, GRANTEE, AUTHORIZATION_MODE, DOMAINS, SCENARIOS, PURPOSES, DATASETS, PERMITTED_FIELDS, MAXIMUM_GRADE, VALID_FROM, VALID_UNTIL,
            REQUIRED_PROTECTION, STATUS, GRADE_LADDER, GRADE_FIELD, FIELDS_OUTSIDE_GRANT,
            GRANTEE_ATTRIBUTE, DOMAIN_ATTRIBUTE, SCENARIO_ATTRIBUTE, PURPOSE_ATTRIBUTE, DATASET_ATTRIBUTE);

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_AUTHORIZED, REL_UNAUTHORIZED, REL_FAILURE);

    /** Everything worked out when the processor starts: immutable, shared by all tasks. */
    private record Settings(GrantScope scope, Decision unusable, String grantId, String gradeField,
                            boolean removeOutside, String[] contextAttributes) {
    }

    private volatile Settings settings;

    private static PropertyDescriptor.Builder grantProperty(final String name, final String description, final boolean required) {
        return new PropertyDescriptor.Builder()
                .name(name)
                .description(description)
                .required(required)
                .expressionLanguageSupported(ExpressionLanguageScope.NONE)
                .dependsOn(GRANT_SOURCE, GrantSource.PROPERTIES);
    }

    private static PropertyDescriptor contextAttribute(final String name, final String defaultAttribute, final String meaning) {
        return new PropertyDescriptor.Builder()
                .name(name)
                .description("The FlowFile attribute that names " + meaning + " in the use context.")
                .required(true)
                .defaultValue(defaultAttribute)
                .addValidator(StandardValidators.ATTRIBUTE_KEY_VALIDATOR)
                .build();
    }

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        if (context.getProperty(GRANT_SOURCE).asAllowableValue(GrantSource.class) == GrantSource.PROPERTIES) {
            try {
                new GrantScope(grantFromProperties(context), GradeLadder.parse(context.getProperty(GRADE_LADDER).getValue()));
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

    @OnScheduled
    public void onScheduled(final ProcessContext context) throws IOException {
        final GradeLadder ladder = GradeLadder.parse(context.getProperty(GRADE_LADDER).getValue());
        final GrantStatus localStatus = context.getProperty(STATUS).asAllowableValue(Status.class).status;
        GrantScope scope = null;
        Decision unusable = null;
        String grantId = null;
        if (context.getProperty(GRANT_SOURCE).asAllowableValue(GrantSource.class) == GrantSource.PROPERTIES) {
            scope = new GrantScope(grantFromProperties(context), ladder);
            grantId = scope.grant().id();
        } else {
            final byte[] document = readText(context.getProperty(GRANT_DOCUMENT)).getBytes(StandardCharsets.UTF_8);
            try {
                final Grant grant = GrantDocument.verify(document, PemKeys.readPublicKey(readText(context.getProperty(VERIFICATION_KEY))));
                grantId = grant.id();
                scope = new GrantScope(grant.withStatus(GrantStatus.stricter(grant.status(), localStatus)), ladder);
            } catch (final GrantException e) {
                unusable = e.decision();
            } catch (final IllegalArgumentException e) {
                unusable = Decision.deny(DenyCode.GRANT_INVALID, e.getMessage());
            }
            if (unusable != null) {
                getLogger().error("The grant document cannot be used ({}); every FlowFile will be routed to unauthorized", unusable.denyReason());
            } else {
                getLogger().info("Enforcing {}", scope.describe());
            }
        }
        final String gradeField = context.getProperty(GRADE_FIELD).getValue();
        settings = new Settings(scope, unusable, grantId, gradeField == null || gradeField.isBlank() ? null : gradeField.strip(),
                context.getProperty(FIELDS_OUTSIDE_GRANT).asAllowableValue(FieldsOutsideGrant.class) == FieldsOutsideGrant.REMOVE,
                new String[] {
                    context.getProperty(GRANTEE_ATTRIBUTE).getValue(), context.getProperty(DOMAIN_ATTRIBUTE).getValue(),
                    context.getProperty(SCENARIO_ATTRIBUTE).getValue(), context.getProperty(PURPOSE_ATTRIBUTE).getValue(),
                    context.getProperty(DATASET_ATTRIBUTE).getValue()});
    }

    private static String readText(final PropertyValue property) throws IOException {
        try (InputStream in = property.evaluateAttributeExpressions().asResource().read()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Grant grantFromProperties(final PropertyContext context) {
        return new Grant(
                context.getProperty(GRANT_ID).getValue(),
                null,
                context.getProperty(GRANTEE).getValue(),
                context.getProperty(AUTHORIZATION_MODE).isSet() ? context.getProperty(AUTHORIZATION_MODE).asAllowableValue(Mode.class).mode : null,
                names(context.getProperty(DOMAINS).getValue()),
                names(context.getProperty(SCENARIOS).getValue()),
                names(context.getProperty(PURPOSES).getValue()),
                names(context.getProperty(DATASETS).getValue()),
                names(context.getProperty(PERMITTED_FIELDS).getValue()),
                context.getProperty(MAXIMUM_GRADE).getValue(),
                protection(context.getProperty(REQUIRED_PROTECTION).getValue()),
                context.getProperty(VALID_FROM).isSet() ? GrantJson.parseTime(context.getProperty(VALID_FROM).getValue(), VALID_FROM.getName()) : null,
                context.getProperty(VALID_UNTIL).isSet() ? GrantJson.parseTime(context.getProperty(VALID_UNTIL).getValue(), VALID_UNTIL.getName()) : null,
                context.getProperty(STATUS).asAllowableValue(Status.class).status,
                null);
    }

    private static List<String> names(final String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** Parses GRADE=METHOD|METHOD, GRADE=METHOD; empty for none. */
    private static Map<String, Set<ProtectionMethod>> protection(final String text) {
        final Map<String, Set<ProtectionMethod>> requirements = new LinkedHashMap<>();
        for (final String entry : names(text)) {
            final int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + entry + "' is not GRADE=METHOD|METHOD, e.g. L3=MASK|ENCRYPT");
            }
            final String grade = entry.substring(0, eq).strip();
            final Set<ProtectionMethod> methods = EnumSet.noneOf(ProtectionMethod.class);
            for (final String method : entry.substring(eq + 1).split("\\|")) {
                methods.add(GrantJson.constant(ProtectionMethod.class, method, "Protection method"));
            }
            if (requirements.put(grade, methods) != null) {
                throw new IllegalArgumentException("Grade " + grade + " is listed twice");
            }
        }
        return requirements;
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final long started = System.nanoTime();
        final Settings config = settings;
        final Map<String, String> attributes = flowFile.getAttributes();

        final Decision use = config.unusable != null ? config.unusable : config.scope.checkUse(useContext(config, attributes), Instant.now());
        if (!use.permitted()) {
            denyWhole(session, flowFile, config, use.denyReason(), null, "DENY " + use.denyReason(), started);
            return;
        }

        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final Split split = new Split(session, flowFile, writerFactory);
        final RecordDecisions decisions = new RecordDecisions(config.scope, config.gradeField, config.removeOutside, attributes);
        try (InputStream in = session.read(flowFile);
             RecordReader reader = readerFactory.createRecordReader(attributes, in, flowFile.getSize(), getLogger())) {
            Record record;
            while ((record = reader.nextRecord()) != null) {
                final Record kept = decisions.decide(record);
                if (kept != null) {
                    split.authorized(kept);
                } else {
                    split.unauthorized(record);
                }
            }
            if (split.isEmpty()) {
                // No records: pass the empty record set on rather than drop the FlowFile
                split.authorizedSchema(decisions.keptSchema(reader.getSchema()));
            }
            split.finish();
        } catch (final Exception e) {
            split.discard();
            final String reason = AbstractRecordTransformProcessor.describe(e);
            getLogger().error("Failed to enforce the grant on {}: {}; routing to failure", flowFile, reason);
            flowFile = session.putAttribute(flowFile, PublicDataAttributes.RECORD_ERROR_MESSAGE, reason);
            session.transfer(flowFile, REL_FAILURE);
            return;
        }

        if (split.authorized == null) {
            // Every record was denied: the original is the unauthorized FlowFile, as when its use is denied
            split.discard();
            denyWhole(session, flowFile, config, decisions.denyReason(), decisions.denied(), decisions.provenanceDetails(), started);
            return;
        }
        final List<FlowFile> children = new ArrayList<>();
        FlowFile authorized = session.putAllAttributes(split.authorized.flowFile, split.authorized.attributes(config, Decision.Outcome.PERMIT, null));
        authorized = session.putAllAttributes(authorized, decisions.authorizedAttributes());
        authorized = session.removeAllAttributes(authorized, decisions.staleAttributes());
        children.add(authorized);
        session.transfer(authorized, REL_AUTHORIZED);
        if (split.unauthorized != null) {
            final FlowFile child = session.putAllAttributes(split.unauthorized.flowFile,
                    split.unauthorized.attributes(config, Decision.Outcome.DENY, decisions.denyReason()));
            children.add(child);
            session.transfer(child, REL_UNAUTHORIZED);
        }
        session.getProvenanceReporter().fork(flowFile, children, decisions.provenanceDetails() + grantOf(config),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        session.remove(flowFile);
    }

    /** Sends the FlowFile, unchanged, to unauthorized with the reason. */
    private static void denyWhole(final ProcessSession session, final FlowFile flowFile, final Settings config, final String denyReason,
                                  final Long recordCount, final String details, final long started) {
        final Map<String, String> attributes = new HashMap<>();
        if (config.grantId != null) {
            attributes.put(PublicDataAttributes.GRANT_ID, config.grantId);
        }
        attributes.put(PublicDataAttributes.DECISION, Decision.Outcome.DENY.name());
        attributes.put(PublicDataAttributes.DENY_REASON, denyReason);
        if (recordCount != null) {
            attributes.put(PublicDataAttributes.RECORD_COUNT, String.valueOf(recordCount));
        }
        final FlowFile denied = session.putAllAttributes(flowFile, attributes);
        session.getProvenanceReporter().route(denied, REL_UNAUTHORIZED, details + grantOf(config),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        session.transfer(denied, REL_UNAUTHORIZED);
    }

    private static String grantOf(final Settings config) {
        return config.grantId == null ? "" : " (grant " + config.grantId + ")";
    }

    private static UseContext useContext(final Settings config, final Map<String, String> attributes) {
        final String[] names = config.contextAttributes;
        return new UseContext(attributes.get(names[0]), attributes.get(names[1]), attributes.get(names[2]), attributes.get(names[3]),
                attributes.get(names[4]));
    }

    /**
     * The two FlowFiles one input may split into, each written by its own writer as records arrive; created when
     * their first record arrives, and transferred only after both writers finished.
     */
    private final class Split {
        private final ProcessSession session;
        private final FlowFile original;
        private final RecordSetWriterFactory writerFactory;
        private Output authorized;
        private Output unauthorized;

        Split(final ProcessSession session, final FlowFile original, final RecordSetWriterFactory writerFactory) {
            this.session = session;
            this.original = original;
            this.writerFactory = writerFactory;
        }

        void authorized(final Record record) throws Exception {
            if (authorized == null) {
                authorized = new Output(record.getSchema());
            }
            authorized.writer.write(record);
        }

        void unauthorized(final Record record) throws Exception {
            if (unauthorized == null) {
                unauthorized = new Output(record.getSchema());
            }
            unauthorized.writer.write(record);
        }

        void authorizedSchema(final RecordSchema schema) throws Exception {
            authorized = new Output(schema);
        }

        /** Whether no record arrived at all. */
        boolean isEmpty() {
            return authorized == null && unauthorized == null;
        }

        void finish() throws IOException {
            for (final Output output : outputs()) {
                output.result = output.writer.finishRecordSet();
                output.writer.close();
            }
        }

        /** Removes the FlowFiles written so far, closing their writers (closing twice does no harm). */
        void discard() {
            for (final Output output : outputs()) {
                try {
                    output.writer.close();
                } catch (final IOException e) {
                    getLogger().warn("Failed to close a record writer for {}", original, e);
                }
                session.remove(output.flowFile);
            }
            authorized = null;
            unauthorized = null;
        }

        private List<Output> outputs() {
            final List<Output> outputs = new ArrayList<>(2);
            if (authorized != null) {
                outputs.add(authorized);
            }
            if (unauthorized != null) {
                outputs.add(unauthorized);
            }
            return outputs;
        }

        private final class Output {
            private final FlowFile flowFile;
            private final RecordSetWriter writer;
            private WriteResult result;

            Output(final RecordSchema schema) throws Exception {
                final FlowFile child = session.create(original);
                this.flowFile = child;
                final OutputStream out = session.write(child);
                try {
                    this.writer = writerFactory.createWriter(getLogger(), writerFactory.getSchema(original.getAttributes(), schema), out, child);
                    writer.beginRecordSet();
                } catch (final Exception e) {
                    out.close();
                    session.remove(child);
                    throw e;
                }
            }

            Map<String, String> attributes(final Settings config, final Decision.Outcome outcome, final String denyReason) {
                final Map<String, String> attributes = new HashMap<>(result.getAttributes());
                attributes.put(PublicDataAttributes.RECORD_COUNT, String.valueOf(result.getRecordCount()));
                attributes.put(CoreAttributes.MIME_TYPE.key(), writer.getMimeType());
                attributes.put(PublicDataAttributes.GRANT_ID, config.grantId);
                attributes.put(PublicDataAttributes.DECISION, outcome.name());
                if (denyReason != null) {
                    attributes.put(PublicDataAttributes.DENY_REASON, denyReason);
                }
                return attributes;
            }
        }
    }
}
