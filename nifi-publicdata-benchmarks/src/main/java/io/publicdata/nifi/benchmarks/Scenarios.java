package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.processors.AssessDisclosureRisk;
import io.publicdata.nifi.processors.ClassifyRecord;
import io.publicdata.nifi.processors.DecryptRecord;
import io.publicdata.nifi.processors.EmitLineage;
import io.publicdata.nifi.processors.EnforceGrantScope;
import io.publicdata.nifi.processors.GrantProperties;
import io.publicdata.nifi.processors.ProtectRecord;
import io.publicdata.nifi.processors.PublicDataAttributes;
import io.publicdata.nifi.services.StandardPublicDataKeyProvider;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processors.standard.ConvertRecord;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the benchmarks run: each processor as the policy flow configures it, and each scenario as the steps that
 * prepare its input (not timed) and the steps that are timed against one ConvertRecord over the same input.
 *
 * <p>To add a scenario: add a {@link Scenario} to {@link #ALL} and its name to the {@code scenario} parameter of
 * {@link Throughput} (or pass it with {@code ./benchmark.sh -p scenario=<name>}).
 */
public final class Scenarios {

    /** Records per FlowFile in every scenario; scores are records per second. */
    public static final int RECORDS_PER_FLOWFILE = 1_000;

    /** The use context the flow declares upstream of EnforceGrantScope (用途声明), covered by the benchmark grant. */
    public static final Map<String, String> USE_CONTEXT = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核",
            PublicDataAttributes.DATASET, "GOV-CIVIL-001");

    /** The record format of a run: every step and the ConvertRecord baseline use its reader and writer. */
    public enum Format {
        JSON(JsonTreeReader::new, JsonRecordSetWriter::new),
        CSV(CSVReader::new, CSVRecordSetWriter::new);

        private final Supplier<ControllerService> reader;
        private final Supplier<ControllerService> writer;

        Format(final Supplier<ControllerService> reader, final Supplier<ControllerService> writer) {
            this.reader = reader;
            this.writer = writer;
        }
    }

    /**
     * One processor in a pipeline.
     *
     * @param processor  its class
     * @param configure  its properties and controller services (the record reader and writer are set already)
     * @param output     the relationship that carries the FlowFile on; exactly one FlowFile must leave on it
     * @param attributes added to the FlowFile before this step, as the flow does upstream (e.g. the use context)
     */
    public record Step(Class<? extends Processor> processor, Consumer<TestRunner> configure, Relationship output, Map<String, String> attributes) {
    }

    /**
     * A scenario.
     *
     * @param prepare run once over the generated data to make the input (not timed)
     * @param timed   timed on that input, each step reading what the previous one wrote, against one ConvertRecord on the same input
     */
    public record Scenario(String name, List<Step> prepare, List<Step> timed) {
    }

    public static final Step CLASSIFY = new Step(ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS, Map.of());
    /** A grant by domain covering the use context, up to L3, every field permitted. */
    public static final Step ENFORCE = new Step(EnforceGrantScope.class, grant("/**"), EnforceGrantScope.REL_AUTHORIZED, USE_CONTEXT);
    /** The same grant with six fields permitted: the others are removed from each record. */
    public static final Step ENFORCE_SIX_FIELDS = new Step(EnforceGrantScope.class, grant("/id, /gender, /service, /district, /amount, /applyDate"),
            EnforceGrantScope.REL_AUTHORIZED, USE_CONTEXT);
    /**
     * The same grant, the use context from a use request signed by the grantee (SM2): every FlowFile presents the same
     * request, as the batches of one delivery do (Request Reuse UNTIL_EXPIRY), so its signature is verified once and
     * the verification cached; each FlowFile is still checked against the replay memory.
     */
    public static final Step ENFORCE_SIGNED_REQUEST = SignedRequests.step(grant("/**"));
    /** Masks name, phone and address; encrypts ID and bank card (AES-256-GCM); pseudonymises the employer (HMAC-SM3). */
    public static final Step PROTECT = new Step(ProtectRecord.class, Scenarios::protectionMix, ProtectRecord.REL_SUCCESS, Map.of());
    /** Gives back what PROTECT encrypted, with the same key. */
    public static final Step DECRYPT = new Step(DecryptRecord.class, runner -> runner.setProperty(DecryptRecord.KEY_PROVIDER, keys(runner)),
            DecryptRecord.REL_SUCCESS, Map.of());
    /** k-anonymity over district and gender, l-diversity of the service; records of classes below k = 5 or l = 2 split off. */
    public static final Step ASSESS = new Step(AssessDisclosureRisk.class, runner -> {
        runner.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district, /gender");
        runner.setProperty(AssessDisclosureRisk.SENSITIVE_FIELD, "/service");
        runner.setProperty(AssessDisclosureRisk.RISK_ACTION, "SUPPRESS");
    }, AssessDisclosureRisk.REL_ACCEPTABLE, Map.of());
    /** One OpenLineage event per FlowFile on a SHA-256 chain. */
    public static final Step EMIT = new Step(EmitLineage.class, runner -> runner.setProperty(EmitLineage.CHAIN_ID, "benchmark"),
            EmitLineage.REL_SUCCESS, Map.of());
    /** The baseline: NiFi's ConvertRecord with the same reader and writer. */
    public static final Step CONVERT = new Step(ConvertRecord.class, runner -> { }, new Relationship.Builder().name("success").build(), Map.of());

    /** Every scenario by name. */
    public static final Map<String, Scenario> ALL = scenarios(
            new Scenario("ClassifyRecord", List.of(), List.of(CLASSIFY)),
            new Scenario("EnforceGrantScope", List.of(CLASSIFY), List.of(ENFORCE)),
            new Scenario("EnforceGrantScope-6-fields", List.of(CLASSIFY), List.of(ENFORCE_SIX_FIELDS)),
            new Scenario("EnforceGrantScope-signed-request", List.of(CLASSIFY), List.of(ENFORCE_SIGNED_REQUEST)),
            new Scenario("ProtectRecord", List.of(CLASSIFY, ENFORCE), List.of(PROTECT)),
            new Scenario("EmitLineage", List.of(CLASSIFY, ENFORCE, PROTECT), List.of(EMIT)),
            new Scenario("DecryptRecord", List.of(CLASSIFY, ENFORCE, PROTECT), List.of(DECRYPT)),
            new Scenario("AssessDisclosureRisk", List.of(CLASSIFY), List.of(ASSESS)),
            new Scenario("Chain", List.of(), List.of(CLASSIFY, ENFORCE, PROTECT, EMIT)));

    private Scenarios() {
    }

    private static Map<String, Scenario> scenarios(final Scenario... scenarios) {
        final Map<String, Scenario> byName = new LinkedHashMap<>();
        for (final Scenario scenario : scenarios) {
            byName.put(scenario.name(), scenario);
        }
        return Map.copyOf(byName);
    }

    public static Scenario scenario(final String name) {
        final Scenario scenario = ALL.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("No scenario '" + name + "'; there are " + ALL.keySet());
        }
        return scenario;
    }

    /** A test runner with the step's processor, the format's reader and writer, and the step's configuration. */
    static void configure(final TestRunner runner, final Step step, final Format format) {
        final ControllerService reader = format.reader.get();
        final ControllerService writer = format.writer.get();
        try {
            runner.addControllerService("reader", reader);
            runner.addControllerService("writer", writer);
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.enableControllerService(reader);
        runner.enableControllerService(writer);
        if (runner.getProcessor().getPropertyDescriptors().stream().anyMatch(property -> property.getName().equals("Record Reader"))) {
            runner.setProperty("Record Reader", "reader");
            runner.setProperty("Record Writer", "writer");
        }
        step.configure().accept(runner);
        runner.assertValid();
    }

    private static Consumer<TestRunner> grant(final String permittedFields) {
        return runner -> {
            runner.setProperty(GrantProperties.GRANT_ID, "GR-BENCH-1");
            runner.setProperty(GrantProperties.GRANTEE, USE_CONTEXT.get(PublicDataAttributes.USE_GRANTEE));
            runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "DOMAIN");
            runner.setProperty(GrantProperties.DOMAINS, USE_CONTEXT.get(PublicDataAttributes.USE_DOMAIN));
            runner.setProperty(GrantProperties.PURPOSES, USE_CONTEXT.get(PublicDataAttributes.USE_PURPOSE));
            runner.setProperty(GrantProperties.DATASETS, USE_CONTEXT.get(PublicDataAttributes.DATASET));
            runner.setProperty(GrantProperties.PERMITTED_FIELDS, permittedFields);
            runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L3");
            runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
            runner.setProperty(GrantProperties.VALID_UNTIL, "2099-01-01T00:00:00+08:00");
        };
    }

    private static void protectionMix(final TestRunner runner) {
        runner.setProperty(ProtectRecord.KEY_PROVIDER, keys(runner));
        runner.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "pseudonyms");
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L5=DROP");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/name\": \"MASK\", \"/phone\": \"MASK\", \"/address\": \"MASK\", "
                + "\"/idCard\": \"ENCRYPT\", \"/bankCard\": \"ENCRYPT\", \"/employerCode\": \"PSEUDONYMIZE\"}");
    }

    /** A key provider with the benchmark's key, enabled; returns its service id. */
    private static String keys(final TestRunner runner) {
        final StandardPublicDataKeyProvider keys = new StandardPublicDataKeyProvider();
        try {
            runner.addControllerService("keys", keys);
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.setProperty(keys, "key.bench", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        runner.setProperty(keys, "key.pseudonyms", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
        runner.setProperty(keys, StandardPublicDataKeyProvider.ACTIVE_KEY_ID, "bench");
        runner.enableControllerService(keys);
        return "keys";
    }
}
