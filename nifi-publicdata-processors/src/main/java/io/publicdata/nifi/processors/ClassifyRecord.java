package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.ClassificationSummary;
import io.publicdata.nifi.classify.Classifier;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.classify.Rule;
import io.publicdata.nifi.classify.Rules;
import io.publicdata.nifi.catalog.DataItem;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.services.PublicDataCatalog;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.SideEffectFree;
import org.apache.nifi.annotation.behavior.SupportsBatching;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.components.PropertyValue;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.resource.ResourceCardinality;
import org.apache.nifi.components.resource.ResourceType;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

@SideEffectFree
@SupportsBatching
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Tags({"classify", "grade", "classification", "record", "personal information", "PII", "sensitive data", "public data",
        "China", "分类分级", "数据分级", "个人信息", "敏感数据", "公共数据", "资源目录", "数据项"})
@CapabilityDescription("Grades every record (分类分级): finds personal information (个人信息) and other restricted data field by field "
        + "and writes each record's grade into a record field, and the FlowFile's highest grade, records per grade and "
        + "field grades into attributes. Works with zero configuration: built-in detectors validate Chinese resident ID "
        + "numbers (GB 11643 check digit), unified social credit codes (GB 32100 check digit), mobile numbers, bank cards "
        + "(Luhn), e-mail addresses, passports, vehicle plates and IP addresses, also inside free text. Optional rules grade "
        + "fields by path, name pattern or label; the higher grade always wins (就高从严), and fields nothing covers get "
        + "the Default Grade, never the lowest unless so configured.")
@WritesAttributes({
    @WritesAttribute(attribute = PublicDataAttributes.GRADE, description = "The highest grade of any record, e.g. L3"),
    @WritesAttribute(attribute = PublicDataAttributes.GRADE_COUNTS, description = "Records per grade, e.g. L1=120,L3=8"),
    @WritesAttribute(attribute = PublicDataAttributes.FIELDS,
            description = "JSON object: field path to its highest grade and labels, e.g. {\"/idCard\":{\"grade\":\"L3\",\"labels\":[\"PERSONAL_ID\"]}}"),
    @WritesAttribute(attribute = PublicDataAttributes.DATASET, description = "The Dataset property's value, when set"),
    @WritesAttribute(attribute = "publicdata.catalog.*", description = "With a Catalog holding the dataset: its name, department, domain, "
            + "openType, registration (status), registration.number, registration.date and updateCycle"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_COUNT, description = "Number of records written"),
    @WritesAttribute(attribute = "mime.type", description = "The MIME type of the Record Writer"),
    @WritesAttribute(attribute = PublicDataAttributes.RECORD_ERROR_MESSAGE, description = "Why the FlowFile went to failure")
})
@SeeAlso(EnforceGrantScope.class)
@UseCase(
    description = "Grade records with no configuration: find personal information with the built-in detectors.",
    keywords = {"classify", "grade", "detect", "personal information", "分类分级"},
    configuration = """
        Set "Record Reader" and "Record Writer" to the reader and writer for your data, e.g. JsonTreeReader and JsonRecordSetWriter.
        Leave the other properties at their defaults. Each record gets a `_grade` field; `publicdata.grade` holds the highest grade.
        Route on the grade with RouteOnAttribute, e.g. `${publicdata.grade:equals('L1')}` for what may be opened as is.
        """
)
@UseCase(
    description = "Grade the fields of a catalogued resource (资源目录) with rules, keeping the detectors as a safety net.",
    keywords = {"catalog", "rules", "资源目录", "grade by field"},
    configuration = """
        Set "Classification Rules" to a rules document, inline or as a file path, for example:
        `{"rules": [{"path": "/applicant/idCard", "grade": "L3", "labels": ["PERSONAL_ID"]},
        {"name": "(?i).*salary.*", "grade": "L4"}, {"path": "/district", "grade": "L1", "detect": false}]}`.
        Set "Dataset" to the catalog id of the resource, e.g. `GOV-HR-001`, or set `publicdata.dataset` upstream.
        """
)
@UseCase(
    description = "Grade a registered resource's data items (数据项) as the resource catalog (资源目录) says, keeping the detectors as a safety net.",
    keywords = {"catalog", "资源目录", "数据项", "registration", "grade by catalog"},
    configuration = """
        Add a JsonFilePublicDataCatalog (a catalog file, see docs/catalog.md) or a DatabasePublicDataCatalog (catalog tables read
        through a DBCPConnectionPool), and set "Catalog" to it. Set "Dataset" to the catalog code, e.g. `${filename:substringBeforeLast('.')}`,
        or set publicdata.dataset upstream. Each data item is graded as the catalog says; a detector that finds more (a mobile number
        in a field the catalog calls L1) still raises the grade. Use the same catalog in EnforceGrantScope to deny unregistered
        and 不予开放 datasets.
        """
)
public class ClassifyRecord extends AbstractRecordTransformProcessor {

    public static final PropertyDescriptor GRADE_LADDER = new PropertyDescriptor.Builder()
            .name("Grade Ladder")
            .description("The grades in use, least sensitive first, as comma-separated CODE=name pairs. The default follows "
                    + "GB/T 43697-2024: general data split into public, internal and sensitive, then important (重要) and core (核心) data.")
            .required(true)
            .defaultValue(GradeLadder.DEFAULT_SPEC)
            .addValidator(PublicDataValidators.GRADE_LADDER)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor DEFAULT_GRADE = new PropertyDescriptor.Builder()
            .name("Default Grade")
            .description("Grade of a non-empty value that no rule, detector or field-name hint covers. Fail closed: keep it above the "
                    + "lowest grade unless every field is covered by rules. A rules document's own defaultGrade takes precedence.")
            .required(true)
            .defaultValue("L2")
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor CLASSIFICATION_RULES = new PropertyDescriptor.Builder()
            .name("Classification Rules")
            .description("Optional rules document (JSON, inline or a file path) grading fields by path, name pattern or label; "
                    + "see the processor's additional details for the format.")
            .required(false)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.TEXT, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    public static final PropertyDescriptor FIELD_NAME_HINTS = new PropertyDescriptor.Builder()
            .name("Field Name Hints")
            .description("Whether field names label personal information no value pattern can find: names (name, xm, 姓名), "
                    + "addresses (address, dz, 地址) and birth dates (birthDate, csrq, 出生日期).")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("true")
            .build();

    public static final PropertyDescriptor GRADE_FIELD = new PropertyDescriptor.Builder()
            .name("Grade Field")
            .description("Root-level record field that receives each record's grade code, read downstream by EnforceGrantScope. "
                    + "Set to an empty string to leave records unchanged.")
            .required(false)
            .defaultValue("_grade")
            .addValidator(PublicDataValidators.FIELD_NAME_OR_EMPTY)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor DATASET = new PropertyDescriptor.Builder()
            .name("Dataset")
            .description("Catalog id of the resource (资源目录编号), written to the publicdata.dataset attribute; when empty the "
                    + "attribute is left as it is.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .build();

    public static final PropertyDescriptor CATALOG = DatasetCatalog.property("the dataset's data items (数据项) are graded as the catalog "
            + "says, on top of the rules; detectors still run and the higher grade wins (就高从严). The dataset's publicdata.catalog.* "
            + "attributes are written. A dataset the catalog does not hold is graded without it (EnforceGrantScope with the catalog "
            + "denies it); a catalog that cannot be read, or grades an item with a grade not on the Grade Ladder, sends the FlowFile to failure.");

    private static final List<PropertyDescriptor> PROPERTIES = List.of(
            RECORD_READER, RECORD_WRITER, GRADE_LADDER, DEFAULT_GRADE, CLASSIFICATION_RULES, FIELD_NAME_HINTS, GRADE_FIELD, DATASET, CATALOG);

    /** Classifiers with a dataset's catalog rules are kept for this many datasets at most, then built again. */
    private static final int CACHED_CLASSIFIERS = 256;

    private volatile ClassifierSpec spec;
    private volatile Classifier classifier;
    private volatile String gradeField;
    private volatile DatasetCatalog catalog;
    private volatile Map<Dataset, Classifier> catalogClassifiers;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        try {
            buildClassifier(context);
        } catch (final IllegalArgumentException | IOException e) {
            results.add(new ValidationResult.Builder().subject("Classification Rules / Default Grade").valid(false)
                    .explanation(e.getMessage()).build());
        }
        return results;
    }

    @OnScheduled
    public void onScheduled(final ProcessContext context) throws IOException {
        spec = classifierSpec(context);
        classifier = spec.classifier();
        final String field = context.getProperty(GRADE_FIELD).getValue();
        gradeField = field == null || field.isBlank() ? null : field.strip();
        catalog = context.getProperty(CATALOG).isSet() ? new DatasetCatalog(context.getProperty(CATALOG).asControllerService(PublicDataCatalog.class)) : null;
        catalogClassifiers = new ConcurrentHashMap<>();
    }

    /**
     * The classifier the classification properties describe. Other processors that classify (ProtectRecord) give these
     * properties the same names, so they share this.
     */
    static Classifier buildClassifier(final PropertyContext context) throws IOException {
        return classifierSpec(context).classifier();
    }

    /** What the classification properties say: the parts a classifier is built of, with or without a dataset's catalog rules. */
    record ClassifierSpec(GradeLadder ladder, Rules rules, Grade fallback, boolean nameHints) {

        Classifier classifier() {
            return new Classifier(ladder, rules, fallback, nameHints);
        }

        /**
         * A classifier that also grades the dataset's data items as its catalog entry says: one path rule per item, with
         * detection left on, so that a detector's higher grade still wins.
         *
         * @throws IllegalArgumentException when the catalog gives an item a grade that is not on the ladder
         */
        Classifier withCatalog(final Dataset dataset) {
            final List<Rule> itemRules = new ArrayList<>(dataset.items().size());
            for (final DataItem item : dataset.items()) {
                final Grade grade = ladder.find(item.grade()).orElseThrow(() -> new IllegalArgumentException("The catalog grades data item "
                        + item.path() + " of dataset " + dataset.code() + " as '" + item.grade() + "', which is not on the Grade Ladder " + ladder.codes()));
                itemRules.add(new Rule(item.path(), null, null, grade, item.labels(), true));
            }
            return new Classifier(ladder, rules.withRules(itemRules), fallback, nameHints);
        }
    }

    private static ClassifierSpec classifierSpec(final PropertyContext context) throws IOException {
        final PropertyValue ladderSpec = context.getProperty(GRADE_LADDER);
        final PropertyValue defaultGrade = context.getProperty(DEFAULT_GRADE);
        final PropertyValue rulesValue = context.getProperty(CLASSIFICATION_RULES);
        final PropertyValue nameHints = context.getProperty(FIELD_NAME_HINTS);
        final GradeLadder ladder = GradeLadder.parse(ladderSpec.getValue());
        final Grade fallback = ladder.find(defaultGrade.getValue()).orElseThrow(() -> new IllegalArgumentException(
                "Default Grade '" + defaultGrade.getValue() + "' is not on the Grade Ladder " + ladder.codes()));
        Rules rules = Rules.none();
        if (rulesValue.isSet()) {
            try (InputStream in = rulesValue.evaluateAttributeExpressions().asResource().read()) {
                rules = Rules.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), ladder);
            }
        }
        return new ClassifierSpec(ladder, rules, fallback, nameHints.asBoolean());
    }

    @Override
    protected RecordTransform createTransform(final ProcessContext context, final FlowFile flowFile) {
        final String dataset = context.getProperty(DATASET).evaluateAttributeExpressions(flowFile).getValue();
        final DatasetCatalog datasets = catalog;
        if (datasets == null) {
            return new Grading(new ClassificationSummary(classifier), gradeField, dataset, Map.of(), "");
        }
        final String code = dataset != null && !dataset.isBlank() ? dataset.strip() : flowFile.getAttribute(PublicDataAttributes.DATASET);
        final Optional<Dataset> entry = datasets.find(code == null || code.isBlank() ? null : code.strip());
        if (entry.isEmpty()) {
            return new Grading(new ClassificationSummary(classifier), gradeField, dataset, Map.of(),
                    code == null || code.isBlank() ? "; no dataset to look up in the catalog" : "; dataset " + code.strip() + " is not in the catalog");
        }
        final Map<Dataset, Classifier> cached = catalogClassifiers;
        Classifier withItems = cached.get(entry.get());
        if (withItems == null) {
            withItems = spec.withCatalog(entry.get());
            if (cached.size() >= CACHED_CLASSIFIERS) {
                cached.clear();
            }
            cached.put(entry.get(), withItems);
        }
        return new Grading(new ClassificationSummary(withItems), gradeField, dataset, DatasetCatalog.attributes(entry.get()),
                "; catalog: " + entry.get().code() + " " + entry.get().name() + ", " + entry.get().items().size() + " data items");
    }

    /** Grades the records of one FlowFile and, when asked, stamps each with its grade. */
    private static final class Grading implements RecordTransform {
        private final ClassificationSummary summary;
        private final RecordGrader grader;
        private final String gradeField;
        private final String dataset;
        private final Map<String, String> catalogAttributes;
        private final String catalogNote;
        private final Map<RecordSchema, RecordSchema> gradedSchemas = new IdentityHashMap<>();

        /**
         * @param catalogAttributes the dataset's publicdata.catalog.* attributes; empty without a catalog entry
         * @param catalogNote       what provenance details add about the catalog, e.g. {@code ; catalog: d1 企业登记信息, 10 data items}
         */
        Grading(final ClassificationSummary summary, final String gradeField, final String dataset, final Map<String, String> catalogAttributes,
                final String catalogNote) {
            this.summary = summary;
            this.catalogAttributes = catalogAttributes;
            this.catalogNote = catalogNote;
            this.grader = new RecordGrader(summary, gradeField);
            this.gradeField = gradeField;
            this.dataset = dataset;
        }

        @Override
        public Record apply(final Record record) {
            final Grade grade = grader.grade(record);
            if (gradeField == null) {
                return record;
            }
            final RecordSchema schema = gradedSchemas.computeIfAbsent(record.getSchema(), this::withGradeField);
            final Map<String, Object> values = record.toMap();
            if (values.containsKey(gradeField)) {
                final Map<String, Object> regraded = new LinkedHashMap<>(values);
                regraded.put(gradeField, grade.code());
                return new MapRecord(schema, regraded);
            }
            return new MapRecord(schema, new ValuesWithMember(values, gradeField, grade.code()));
        }

        private RecordSchema withGradeField(final RecordSchema schema) {
            final List<RecordField> fields = new ArrayList<>(schema.getFields());
            fields.removeIf(field -> field.getFieldName().equals(gradeField));
            fields.add(new RecordField(gradeField, RecordFieldType.STRING.getDataType(), false));
            return new SimpleRecordSchema(fields);
        }

        @Override
        public Map<String, String> attributes() {
            final Map<String, String> attributes = new HashMap<>();
            attributes.put(PublicDataAttributes.GRADE, summary.highest().code());
            attributes.put(PublicDataAttributes.GRADE_COUNTS, summary.countsText());
            attributes.put(PublicDataAttributes.FIELDS, summary.fields().toJson());
            if (dataset != null && !dataset.isBlank()) {
                attributes.put(PublicDataAttributes.DATASET, dataset);
            }
            attributes.putAll(catalogAttributes);
            return attributes;
        }

        @Override
        public String provenanceDetails() {
            final FieldGrades fields = summary.fields();
            final TreeSet<String> labels = new TreeSet<>();
            fields.byPath().values().forEach(field -> labels.addAll(field.labels()));
            final String counts = summary.countsText();
            return "Graded " + summary.recordCount() + " records" + (counts.isEmpty() ? "" : " (" + counts + ")")
                    + ", highest " + summary.highest().code() + "; labels found: " + (labels.isEmpty() ? "none" : String.join(", ", labels))
                    + catalogNote;
        }
    }
}
