package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.processors.ClassifyRecord;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processors.standard.ConvertRecord;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records per second of each nifi-publicdata processor against NiFi's ConvertRecord on the same data with the
 * same JsonTreeReader (inferred schema) and JsonRecordSetWriter, all in this one JVM and through the same
 * nifi-mock framework, so both sides pay the same framework costs. Rounds alternate between the processor and
 * its baseline; the reported ratio is the median of the per-round ratios.
 */
public final class ThroughputBenchmark {

    private static final int WARMUP_ROUNDS = 3;
    private static final Relationship CONVERTED = new Relationship.Builder().name("success").build();

    /** One processor under test, its configuration, and the FlowFiles it is fed. */
    private record Scenario(String name, Class<? extends Processor> processor, Consumer<TestRunner> configure,
                            Relationship output, List<byte[]> input, Map<String, String> attributes) {
    }

    private ThroughputBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        final List<byte[]> raw = new SampleData(20241009L).jsonFlowFiles(records, batch);
        final List<Scenario> scenarios = List.of(
                new Scenario("ClassifyRecord (defaults)", ClassifyRecord.class, runner -> { }, ClassifyRecord.REL_SUCCESS, raw, Map.of()));

        System.out.printf("nifi-publicdata throughput: %,d records in FlowFiles of %,d, JSON in and out, %d rounds after %d warm-up rounds%n",
                records, batch, rounds, WARMUP_ROUNDS);
        System.out.printf("Java %s, %d processors%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-34s %14s %14s %8s%n", "processor", "records/s", "ConvertRecord", "ratio");
        for (final Scenario scenario : scenarios) {
            report(scenario, records, rounds);
        }
    }

    private static void report(final Scenario scenario, final int records, final int rounds) throws InitializationException {
        final TestRunner subject = runner(scenario.processor(), scenario.configure());
        final TestRunner baseline = runner(ConvertRecord.class, runner -> { });
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
        System.out.printf("%-34s %,14.0f %,14.0f %8.2f%n", scenario.name(), median(subjectRates), median(baselineRates), median(ratios));
    }

    private static TestRunner runner(final Class<? extends Processor> processor, final Consumer<TestRunner> configure)
            throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(processor);
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService("reader", reader);
        runner.enableControllerService(reader);
        final JsonRecordSetWriter writer = new JsonRecordSetWriter();
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
