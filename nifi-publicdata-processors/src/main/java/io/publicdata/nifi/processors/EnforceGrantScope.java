package io.publicdata.nifi.processors;

import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.Stateful;
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
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.Record;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

@SideEffectFree
@SupportsBatching
@Stateful(scopes = Scope.CLUSTER, description = "With signed use requests: the ids of the requests accepted and not yet expired, so that "
        + "none is accepted twice (replay), up to Maximum Remembered Requests.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"grant", "authorization", "scope", "access control", "record", "public data", "China",
        "授权", "授权运营", "授权范围", "分类分级授权", "整体授权", "分领域授权", "依场景授权", "公共数据", "资源目录", "不予开放", "价格"})
@CapabilityDescription("Lets records reach an operator only inside the scope of its grant (授权运营, 严禁超范围使用). The grant is set in "
        + "the processor's properties or comes as a document signed by the issuing data authority (SM2, ECDSA P-256 or Ed25519), "
        + "verified with the authority's public key: a tampered, unsigned or wrongly signed document denies everything; a signed "
        + "revocation list (吊销清单) re-read on change revokes grants. Each FlowFile's use context (grantee, domain, scenario, "
        + "purpose, dataset) comes from attributes or from a use request signed by the grantee (用途申请), checked for signature, "
        + "scope, expiry and replay; it is checked against the grant's mode (整体授权 whole, 分领域授权 by domain, 依场景授权 by "
        + "scenario), status and term; a use outside it sends the FlowFile unchanged to 'unauthorized'. Then each record's grade (from ClassifyRecord) is checked against the grant's Maximum "
        + "Grade and its required protection, and fields outside Permitted Fields are removed or deny the record: records in "
        + "scope go to 'authorized', the others to 'unauthorized', so one FlowFile may split in two. Fails closed: a missing "
        + "context value, a record without a grade, an unverifiable grant all deny, with publicdata.deny.reason saying why. "
        + "A use whose purpose category does not fit the grant's pricing (公共治理 and 公益事业 → 有条件无偿使用; 产业发展 and 行业发展 → "
        + "政府指导价) is denied (PRICING_MISMATCH). With a resource catalog (资源目录), datasets that are not registered (未登记, 已注销) "
        + "and datasets not to be opened (不予开放) are denied whatever the grant says. Under every grant lies a protection floor no "
        + "grant can lower (不予开放, 原始数据不得直接进入市场): by default a value of the top grade (L5 核心) never leaves, protected or "
        + "not (GRADE_NEVER_RELEASED), and a value of L4 (重要) leaves only encrypted, pseudonymised, FPE'd or dropped; a grant's "
        + "required protection only adds to it, and the deployment may raise it in Protection Floor.")
@ReadsAttributes({
    @ReadsAttribute(attribute = PublicDataAttributes.USE_REQUEST, description = "The use request signed by the grantee, with Use Context Source SIGNED_USE_REQUEST"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_GRANTEE, description = "Who uses the data (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_DOMAIN, description = "The domain of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_SCENARIO, description = "The scenario of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_PURPOSE, description = "The purpose of the use (attribute name configurable)"),
    @ReadsAttribute(attribute = PublicDataAttributes.USE_PURPOSE_CATEGORY, description = "The category of the purpose (attribute name configurable)"),
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
    @WritesAttribute(attribute = PublicDataAttributes.DENY_COUNTS, description = "On 'unauthorized': records denied per code, e.g. "
            + "GRADE_EXCEEDS_GRANT=2; for a denied use, the FlowFile's record.count (a code without count when it has none)"),
    @WritesAttribute(attribute = "publicdata.grant.*", description = "On every output of a usable grant: issuer, mode, validFrom, "
            + "validUntil and pricing (for lineage and the disclosure report)"),
    @WritesAttribute(attribute = "publicdata.catalog.*", description = "With a Catalog, on every output: the dataset's name, department, "
            + "domain, openType, registration (status), registration.number, registration.date and updateCycle"),
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
public class EnforceGrantScope extends AbstractProcessor implements VerifiableProcessor {

    public static final PropertyDescriptor RECORD_READER = AbstractRecordTransformProcessor.RECORD_READER;
    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder().fromPropertyDescriptor(AbstractRecordTransformProcessor.RECORD_WRITER)
            .description("Writes the authorized and the unauthorized records.").build();

    public static final PropertyDescriptor GRADE_LADDER = new PropertyDescriptor.Builder().fromPropertyDescriptor(ClassifyRecord.GRADE_LADDER)
            .description("The grades in use, least sensitive first, as comma-separated CODE=name pairs; the same as ClassifyRecord's.").build();

    public static final PropertyDescriptor PROTECTION_FLOOR = new PropertyDescriptor.Builder()
            .name("Protection Floor")
            .description("What no grant can lower (不予开放, guidance 5(12)): comma-separated GRADE=METHOD|METHOD pairs naming the only methods "
                    + "a grade may leave protected by, and GRADE=DENY for a grade that never leaves, protected or not (denied with "
                    + "GRADE_NEVER_RELEASED). A requirement holds for its grade and the grades above it. Empty: the built-in floor, on the "
                    + "default ladder L4=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L5=DENY (the top grade never leaves; the grade below it leaves only "
                    + "encrypted, pseudonymised, FPE'd or dropped). A deployment may only raise the floor (e.g. L3=ENCRYPT|PSEUDONYMIZE|FPE|DROP, "
                    + "L4=ENCRYPT, L5=DENY); a value that accepts more than the built-in floor is invalid. A grant's Required Protection, "
                    + "signed or not, can only add to it: a grade accepts the methods both accept.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
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

    public static final PropertyDescriptor CATALOG = DatasetCatalog.property("datasets it does not hold as registered (未登记, 已注销, or absent) are "
            + "denied with DATASET_NOT_REGISTERED and datasets it marks 不予开放 with DATASET_NOT_OPEN, whatever the grant says, and every "
            + "output carries the dataset's publicdata.catalog.* attributes. A catalog that cannot be read sends FlowFiles to failure.");

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

    private static final List<PropertyDescriptor> PROPERTIES = Stream.of(
            List.of(RECORD_READER, RECORD_WRITER),
            List.of(GrantProperties.GRANT_SOURCE, GrantProperties.GRANT_DOCUMENT, GrantProperties.VERIFICATION_KEY,
                    GrantProperties.GRANT_ID, GrantProperties.GRANTEE, GrantProperties.AUTHORIZATION_MODE, GrantProperties.DOMAINS,
                    GrantProperties.SCENARIOS, GrantProperties.PURPOSES, GrantProperties.DATASETS, GrantProperties.PERMITTED_FIELDS,
                    GrantProperties.MAXIMUM_GRADE, GrantProperties.VALID_FROM, GrantProperties.VALID_UNTIL,
                    GrantProperties.REQUIRED_PROTECTION, GrantProperties.PRICING, GrantProperties.GRANTEE_KEYS, GrantProperties.STATUS,
                    GrantProperties.REVOCATION_LIST, GrantProperties.REVOCATION_LIST_KEY),
            List.of(GRADE_LADDER, PROTECTION_FLOOR, GRADE_FIELD, FIELDS_OUTSIDE_GRANT, CATALOG),
            UseContextProperties.DESCRIPTORS).flatMap(List::stream).toList();

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_AUTHORIZED, REL_UNAUTHORIZED, REL_FAILURE);

    private final Clock clock;
    private volatile GrantEnforcement enforcement;

    public EnforceGrantScope() {
        this(Clock.systemUTC());
    }

    /** With a clock of one's choosing, e.g. a fixed instant in tests: it gives the instant of every use. */
    public EnforceGrantScope(final Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
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
        return GrantProperties.validate(context, context.getProperty(GRADE_LADDER).getValue(), UseContextProperties.signedRequests(context));
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) throws IOException {
        enforcement = GrantEnforcement.configure(context);
        enforcement.log(getLogger());
    }

    @Override
    public List<ConfigVerificationResult> verify(final ProcessContext context, final ComponentLog verificationLogger, final Map<String, String> attributes) {
        return GrantVerification.verify(context, attributes, clock.instant());
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        final long started = System.nanoTime();
        final GrantEnforcement config = enforcement;
        final GrantEnforcement.Use use;
        try {
            use = config.decideUse(flowFile, session, clock.instant());
        } catch (final ProcessException | IllegalArgumentException e) {
            // The catalog cannot say now whether the dataset may be used: nothing is decided, the FlowFile can be tried again
            fail(session, flowFile, SafeMessages.reason(e));
            return;
        }
        final DecisionRouting routing = new DecisionRouting(session, flowFile, config.grant().grantId(), config.provenanceSuffix(use), started,
                config.attributes(use));
        if (!use.decision().permitted()) {
            routing.denyUse(use.decision());
            return;
        }
        if (config.requestFromContent() != null) {
            // The FlowFile is the signed request: there are no records to check
            routing.permitWhole();
            return;
        }

        final Map<String, String> attributes = flowFile.getAttributes();
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final RecordSplit split = new RecordSplit(session, flowFile, writerFactory, new SafeComponentLog(getLogger()));
        final RecordDecisions decisions = config.recordDecisions(use, attributes);
        try (InputStream in = new JsonRecordGuard(session.read(flowFile));
             RecordReader reader = readerFactory.createRecordReader(attributes, in, flowFile.getSize(), new SafeComponentLog(getLogger()))) {
            Record record;
            while ((record = reader.nextRecord()) != null) {
                final Record kept = decisions.decide(record);
                if (kept != null) {
                    split.accepted().write(WriterRecords.withoutSerializedForm(kept));
                } else {
                    split.rejected().write(WriterRecords.withoutSerializedForm(record));
                }
            }
            if (!split.accepted().isOpen() && !split.rejected().isOpen()) {
                // No records: pass the empty record set on rather than drop the FlowFile
                split.accepted().open(decisions.keptSchema(reader.getSchema()));
            }
            split.finish();
        } catch (final Exception e) {
            split.discard();
            fail(session, flowFile, SafeMessages.reason(e));
            return;
        }

        if (split.accepted().isOpen()) {
            routing.split(split, decisions);
        } else {
            // Every record was denied: the original is the unauthorized FlowFile, as when its use is denied
            split.discard();
            routing.denyWhole(decisions.denyReason(), decisions.denyCounts(), decisions.denied(), decisions.provenanceDetails());
        }
    }

    private void fail(final ProcessSession session, final FlowFile flowFile, final String reason) {
        getLogger().error("Failed to enforce the grant on {}: {}; routing to failure", flowFile, reason);
        session.transfer(session.putAttribute(flowFile, PublicDataAttributes.RECORD_ERROR_MESSAGE, reason), REL_FAILURE);
    }
}
