package io.publicdata.nifi.benchmarks;

import org.apache.nifi.util.MockFlowFile;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records per second of a scenario's processors and of NiFi's ConvertRecord on the same input, with the same record
 * reader and writer, measured together: the two are the members of one JMH group, so they run in the same fork, on
 * two threads, over the same iterations. Whatever slows the machine during an iteration (the JIT, GC, a neighbour's
 * build) slows both, and the ratio of each iteration's pair is what {@link Benchmarks} reports, with its error.
 *
 * <p>Each invocation takes the next of {@value #FLOWFILES} prepared FlowFiles of {@value Scenarios#RECORDS_PER_FLOWFILE}
 * records, so scores are records per second. Each side also counts its records and the CPU time its thread used
 * ({@link Cpu}): on a machine shared with other work, records per CPU-second compare the two sides' work independently of
 * how much of a core each thread got.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(Scenarios.RECORDS_PER_FLOWFILE)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class Throughput {

    /** Distinct FlowFiles each side cycles through. */
    static final int FLOWFILES = 16;
    private static final long SEED = 20241009L;

    /** The scenario, its format and its prepared input: shared by both sides, read-only once set up. */
    @State(Scope.Benchmark)
    public static class Data {

        @Param({"ClassifyRecord", "EnforceGrantScope", "EnforceGrantScope-6-fields", "EnforceGrantScope-signed-request", "ProtectRecord",
            "DecryptRecord", "AssessDisclosureRisk",
            "EmitLineage", "Chain"})
        public String scenario;

        @Param({"JSON", "CSV"})
        public Scenarios.Format format;

        List<Pipeline.Input> input;

        @Setup(Level.Trial)
        public void prepare() {
            final Scenarios.Scenario chosen = Scenarios.scenario(scenario);
            final SampleData data = new SampleData(SEED);
            final List<byte[]> generated = switch (format) {
                case JSON -> data.jsonFlowFiles(FLOWFILES * Scenarios.RECORDS_PER_FLOWFILE, Scenarios.RECORDS_PER_FLOWFILE);
                case CSV -> data.csvFlowFiles(FLOWFILES * Scenarios.RECORDS_PER_FLOWFILE, Scenarios.RECORDS_PER_FLOWFILE);
            };
            final List<Pipeline.Input> raw = generated.stream().map(content -> new Pipeline.Input(content, Map.of())).toList();
            input = chosen.prepare().isEmpty() ? raw : new Pipeline(chosen.prepare(), format).runAll(raw);
        }
    }

    /** One side: a pipeline of its own on its own thread, cycling through the input. */
    public abstract static class Side {
        private Pipeline pipeline;
        private List<Pipeline.Input> input;
        private int next;

        void build(final List<Scenarios.Step> steps, final Data data) {
            pipeline = new Pipeline(steps, data.format);
            input = data.input;
            // One pass before timing: every FlowFile must go through, else the run stops here with the reason
            input.forEach(pipeline::run);
        }

        MockFlowFile next(final Cpu cpu) {
            final Pipeline.Input flowFile = input.get(next);
            next = (next + 1) % input.size();
            final long started = THREADS.getCurrentThreadCpuTime();
            final MockFlowFile output = pipeline.run(flowFile);
            cpu.add(THREADS.getCurrentThreadCpuTime() - started);
            return output;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Records and CPU nanoseconds of one side's thread in the current iteration (JMH reports them per iteration). */
    public abstract static class Cpu {
        abstract void add(long cpuNanos);
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class SubjectCpu extends Cpu {
        public long subjectRecords;
        public long subjectCpuNanos;

        @Setup(Level.Iteration)
        public void reset() {
            subjectRecords = 0;
            subjectCpuNanos = 0;
        }

        @Override
        void add(final long cpuNanos) {
            subjectRecords += Scenarios.RECORDS_PER_FLOWFILE;
            subjectCpuNanos += cpuNanos;
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class BaselineCpu extends Cpu {
        public long convertRecordRecords;
        public long convertRecordCpuNanos;

        @Setup(Level.Iteration)
        public void reset() {
            convertRecordRecords = 0;
            convertRecordCpuNanos = 0;
        }

        @Override
        void add(final long cpuNanos) {
            convertRecordRecords += Scenarios.RECORDS_PER_FLOWFILE;
            convertRecordCpuNanos += cpuNanos;
        }
    }

    @State(Scope.Thread)
    public static class Subject extends Side {
        @Setup(Level.Trial)
        public void setUp(final Data data) {
            build(Scenarios.scenario(data.scenario).timed(), data);
        }
    }

    @State(Scope.Thread)
    public static class Baseline extends Side {
        @Setup(Level.Trial)
        public void setUp(final Data data) {
            build(List.of(Scenarios.CONVERT), data);
        }
    }

    @Benchmark
    @Group("vsConvertRecord")
    @GroupThreads(1)
    public MockFlowFile subject(final Subject subject, final SubjectCpu cpu) {
        return subject.next(cpu);
    }

    @Benchmark
    @Group("vsConvertRecord")
    @GroupThreads(1)
    public MockFlowFile convertRecord(final Baseline baseline, final BaselineCpu cpu) {
        return baseline.next(cpu);
    }
}
