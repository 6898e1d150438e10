package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.processors.ClassifyRecord;
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

    /** One processor under test, its configuration, and the FlowFiles it is fed. */
    private record Scenario(String name, Class<? extends Processor> processor, Consumer<TestRunner> configure,
                            Relationship output, Format format, List<byte[]> input, Map<String, String> attributes) {
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
        System.out.printf("%-40s %14s %14s %8s%n", "processor", "records/s", "ConvertRecord", "ratio");
        for (int i = 0; i < scenarios.size(); i++) {
            fork(records, batch, rounds, i);
        }
    }

    private static List<Scenario> scenarios(final int records, final int batch) {
        final List<byte[]> json = new SampleData(20241009L).jsonFlowFiles(records, batch);
        final List<byte[]> csv = new SampleData(20241009L).csvFlowFiles(records, batch);
        return List.of(
                new Scenario("ClassifyRecord (defaults), JSON", ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS,
                        Format.JSON, json, Map.of()),
                new Scenario("ClassifyRecord (defaults), CSV", ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS,
                        Format.CSV, csv, Map.of()));
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

    private static void report(final Scenario scenario, final int records, final int rounds) throws InitializationException {
        final TestRunner subject = runner(scenario.processor(), scenario.format(), scenario.configure());
        final TestRunner baseline = runner(ConvertRecord.class, scenario.format(), runner -> { });
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            timeRound(subject, scenario, scenario.output(), i == 0);
            timeRound(baseline, scenario, CONVERTED, i == 0);
        }
        final double[] subjectRates = new double[rounds];
        final double[] baselineRates = new double[rounds];
        final double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            // Alternate which side goes first so that drift (GC, JIT, a busy neighbour) hits both alike
            if (i % 2 == 0) {
                subjectRates[i] = records / seconds(timeRound(subject, scenario, scenario.output(), false));
                baselineRates[i] = records / seconds(timeRound(baseline, scenario, CONVERTED, false));
            } else {
                baselineRates[i] = records / seconds(timeRound(baseline, scenario, CONVERTED, false));
                subjectRates[i] = records / seconds(timeRound(subject, scenario, scenario.output(), false));
            }
            ratios[i] = subjectRates[i] / baselineRates[i];
        }
        System.out.printf("%-40s %,14.0f %,14.0f %8.2f%n", scenario.name(), median(subjectRates), median(baselineRates), median(ratios));
    }

    private static TestRunner runner(final Class<? extends Processor> processor, final Format format, final Consumer<TestRunner> configure)
            throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        final ControllerService reader = format.reader.get();
        runner.addControllerService("reader", reader);
        runner.enableControllerService(reader);
        final ControllerService writer = format.writer.get();
        runner.addControllerService("writer", writer);
        runner.enableControllerService(writer);
        runner.setProperty("Record Reader", "reader");
        runner.setProperty("Record Writer", "writer");
        configure.accept(runner);
        runner.assertValid();
        return runner;
    }

    /** Runs every FlowFile of the scenario through the runner; returns the nanoseconds spent in the processor. */
    private static long timeRound(final TestRunner runner, final Scenario scenario, final Relationship output, final boolean first) {
        runner.clearTransferState();
        runner.clearProvenanceEvents();
        for (final byte[] content : scenario.input()) {
            runner.enqueue(content, scenario.attributes());
        }
        final long start = System.nanoTime();
        runner.run(scenario.input().size(), false, first);
        final long elapsed = System.nanoTime() - start;
        final List<MockFlowFile> out = runner.getFlowFilesForRelationship(output);
        if (out.size() != scenario.input().size()) {
            throw new IllegalStateException(scenario.name() + ": expected " + scenario.input().size() + " FlowFiles on "
                    + output.getName() + " but got " + out.size());
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
