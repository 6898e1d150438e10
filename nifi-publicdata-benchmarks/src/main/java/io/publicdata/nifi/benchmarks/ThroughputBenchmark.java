package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.processors.ClassifyRecord;
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
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Records per second of each nifi-publicdata processor against NiFi's ConvertRecord on the same data with the
 * same reader (inferred schema) and writer, JSON or CSV, all in this one JVM and through the same
 * nifi-mock framework, so both sides pay the same framework costs. Rounds alternate between the processor and
 * its baseline; the reported ratio is the median of the per-round ratios.
 */
public final class ThroughputBenchmark {

    private static final int WARMUP_ROUNDS = 3;
    private static final long SEED = 20241009L;
    private static final Map<String, String> USE_CONTEXT = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核",
            PublicDataAttributes.DATASET, "GOV-CIVIL-001");
    private static final Relationship CONVERTED = new Relationship.Builder().name("success").build();

    /** The record format of a scenario: both the processor and ConvertRecord use its reader and writer. */
    private enum Format {
        JSON(JsonTreeReader::new, JsonRecordSetWriter::new),
        CSV(CSVReader::new, CSVRecordSetWriter::new);

        private final Supplier<ControllerService> reader;
        private final Supplier<ControllerService> writer;

        Format(final Supplier<ControllerService> reader, final Supplier<ControllerService> writer) {
            this.reader = reader;
            this.writer = writer;
        }
    }

    /** A FlowFile fed to both sides. */
    private record Input(byte[] content, Map<String, String> attributes) {
    }

    /** One processor under test, its configuration, and how to make the FlowFiles it is fed (in its own JVM only). */
    private record Scenario(String name, Class<? extends Processor> processor, Consumer<TestRunner> configure,
                            Relationship output, Format format, Supplier<List<Input>> input) {
    }

    private ThroughputBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final List<Scenario> scenarios = scenarios(records, batch);
        if (args.length > 3) {
            final Scenario scenario = scenarios.get(Integer.parseInt(args[3]));
            report(scenario, records, rounds);
            return;
        }

        System.out.printf("nifi-publicdata throughput: %,d records in FlowFiles of %,d, %d rounds after %d warm-up rounds%n",
                records, batch, rounds, WARMUP_ROUNDS);
        System.out.printf("Java %s, %d processors; each scenario in a fresh JVM, processor and ConvertRecord side by side in it%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-46s %14s %14s %8s%n", "processor", "records/s", "ConvertRecord", "ratio");
        final String only = System.getProperty("benchmark.only", "");
        for (int i = 0; i < scenarios.size(); i++) {
            if (scenarios.get(i).name().contains(only)) {
                fork(records, batch, rounds, i);
            }
        }
    }

    private static List<Scenario> scenarios(final int records, final int batch) {
        final Supplier<List<Input>> json = () -> plain(new SampleData(SEED).jsonFlowFiles(records, batch));
        final Supplier<List<Input>> csv = () -> plain(new SampleData(SEED).csvFlowFiles(records, batch));
        return List.of(
                new Scenario("ClassifyRecord (defaults), JSON", ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS,
                        Format.JSON, json),
                new Scenario("ClassifyRecord (defaults), CSV", ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS,
                        Format.CSV, csv),
                new Scenario("EnforceGrantScope (all permitted), JSON", EnforceGrantScope.class, grant("/**"),
                        EnforceGrantScope.REL_AUTHORIZED, Format.JSON, () -> classified(json.get(), Format.JSON)),
                new Scenario("EnforceGrantScope (6 fields permitted), JSON", EnforceGrantScope.class,
                        grant("/id, /gender, /service, /district, /amount, /applyDate"),
                        EnforceGrantScope.REL_AUTHORIZED, Format.JSON, () -> classified(json.get(), Format.JSON)),
                new Scenario("EnforceGrantScope (all permitted), CSV", EnforceGrantScope.class, grant("/**"),
                        EnforceGrantScope.REL_AUTHORIZED, Format.CSV, () -> classified(csv.get(), Format.CSV)),
                new Scenario("ProtectRecord (mask 3, encrypt 2, pseudonymise 1), JSON", ProtectRecord.class, PROTECTION_MIX,
                        ProtectRecord.REL_SUCCESS, Format.JSON, () -> classified(json.get(), Format.JSON)),
                new Scenario("EmitLineage (event per FlowFile, SHA-256 chain), JSON", EmitLineage.class, runner -> { },
                        EmitLineage.REL_SUCCESS, Format.JSON, () -> classified(json.get(), Format.JSON)));
    }

    /** Masks name, phone and address; encrypts ID and bank card (AES-256-GCM); pseudonymises the employer (HMAC-SM3). */
    private static final Consumer<TestRunner> PROTECTION_MIX = runner -> {
        final StandardPublicDataKeyProvider keys = new StandardPublicDataKeyProvider();
        try {
            runner.addControllerService("keys", keys);
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.setProperty(keys, "key.bench", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        runner.setProperty(keys, StandardPublicDataKeyProvider.ACTIVE_KEY_ID, "bench");
        runner.enableControllerService(keys);
        runner.setProperty(ProtectRecord.KEY_PROVIDER, "keys");
        runner.setProperty(ProtectRecord.METHODS_BY_GRADE, "L5=DROP");
        runner.setProperty(ProtectRecord.FIELD_METHODS, "{\"/name\": \"MASK\", \"/phone\": \"MASK\", \"/address\": \"MASK\", "
                + "\"/idCard\": \"ENCRYPT\", \"/bankCard\": \"ENCRYPT\", \"/employerCode\": \"PSEUDONYMIZE\"}");
    };

    private static List<Input> plain(final List<byte[]> flowFiles) {
        return flowFiles.stream().map(content -> new Input(content, Map.of())).toList();
    }

    /** The FlowFiles as ClassifyRecord leaves them (graded records, grade attributes), with a use context added. */
    private static List<Input> classified(final List<Input> flowFiles, final Format format) {
        final TestRunner classify = runner(ClassifyRecord.class, format, runner -> { });
        flowFiles.forEach(flowFile -> classify.enqueue(flowFile.content()));
        classify.run(flowFiles.size());
        final List<Input> graded = new ArrayList<>();
        for (final MockFlowFile flowFile : classify.getFlowFilesForRelationship(ClassifyRecord.REL_SUCCESS)) {
            final Map<String, String> attributes = new HashMap<>(flowFile.getAttributes());
            attributes.putAll(USE_CONTEXT);
            graded.add(new Input(flowFile.toByteArray(), attributes));
        }
        return graded;
    }

    /** A grant by domain covering the use context, up to L3, for the given permitted fields. */
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

    /**
     * Runs one scenario in a new JVM with this JVM's options, so that what the JIT learnt from one scenario does
     * not slow or speed another.
     */
    private static void fork(final int records, final int batch, final int rounds, final int scenario) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ThroughputBenchmark.class.getName(),
                String.valueOf(records), String.valueOf(batch), String.valueOf(rounds), String.valueOf(scenario)));
        final int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("Scenario " + scenario + " failed with exit code " + exit);
        }
    }

    private static void report(final Scenario scenario, final int records, final int rounds) {
        final List<Input> input = scenario.input().get();
        final TestRunner subject = runner(scenario.processor(), scenario.format(), scenario.configure());
        final TestRunner baseline = runner(ConvertRecord.class, scenario.format(), runner -> { });
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            timeRound(subject, input, scenario.output(), i == 0);
            timeRound(baseline, input, CONVERTED, i == 0);
        }
        final double[] subjectRates = new double[rounds];
        final double[] baselineRates = new double[rounds];
        final double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            // Alternate which side goes first so that drift (GC, JIT, a busy neighbour) hits both alike
            if (i % 2 == 0) {
                subjectRates[i] = records / seconds(timeRound(subject, input, scenario.output(), false));
                baselineRates[i] = records / seconds(timeRound(baseline, input, CONVERTED, false));
            } else {
                baselineRates[i] = records / seconds(timeRound(baseline, input, CONVERTED, false));
                subjectRates[i] = records / seconds(timeRound(subject, input, scenario.output(), false));
            }
            ratios[i] = subjectRates[i] / baselineRates[i];
        }
        System.out.printf("%-46s %,14.0f %,14.0f %8.2f%n", scenario.name(), median(subjectRates), median(baselineRates), median(ratios));
    }

    private static TestRunner runner(final Class<? extends Processor> processor, final Format format, final Consumer<TestRunner> configure) {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        final ControllerService reader = format.reader.get();
        try {
            runner.addControllerService("reader", reader);
            runner.addControllerService("writer", format.writer.get());
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.enableControllerService(reader);
        runner.enableControllerService(runner.getControllerService("writer"));
        if (runner.getProcessor().getPropertyDescriptors().stream().anyMatch(property -> property.getName().equals("Record Reader"))) {
            runner.setProperty("Record Reader", "reader");
            runner.setProperty("Record Writer", "writer");
        }
        configure.accept(runner);
        runner.assertValid();
        return runner;
    }

    /** Runs every FlowFile of the scenario through the runner; returns the nanoseconds spent in the processor. */
    private static long timeRound(final TestRunner runner, final List<Input> input, final Relationship output, final boolean first) {
        runner.clearTransferState();
        runner.clearProvenanceEvents();
        for (final Input flowFile : input) {
            runner.enqueue(flowFile.content(), flowFile.attributes());
        }
        final long start = System.nanoTime();
        runner.run(input.size(), false, first);
        final long elapsed = System.nanoTime() - start;
        final int out = runner.getFlowFilesForRelationship(output).size();
        if (out != input.size()) {
            throw new IllegalStateException(runner.getProcessor().getClass().getSimpleName() + ": expected " + input.size()
                    + " FlowFiles on " + output.getName() + " but got " + out);
        }
        return elapsed;
    }

    private static double seconds(final long nanos) {
        return nanos / 1e9;
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

}
