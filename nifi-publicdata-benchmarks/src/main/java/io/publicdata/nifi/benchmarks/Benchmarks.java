package io.publicdata.nifi.benchmarks;

import org.openjdk.jmh.Main;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.ListStatistics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs the JMH benchmarks with JMH's own command-line options ({@code -p scenario=ProtectRecord}, {@code -prof gc},
 * {@code -f 1}, {@code -h} …), then prints, for each scenario and format, the scenario's records per second, ConvertRecord's,
 * and their ratio: the mean of the ratios of the iterations the two ran side by side, with its 99.9% confidence
 * interval (as JMH computes its own error). Results also go to a JSON file unless {@code -rf} says otherwise.
 */
public final class Benchmarks {

    static final String SUBJECT = "subject";
    static final String BASELINE = "convertRecord";
    private static final String RECORDS = "Records";
    private static final String CPU = "CpuNanos";

    private Benchmarks() {
    }

    public static void main(final String[] args) throws Exception {
        final CommandLineOptions command = new CommandLineOptions(args);
        if (command.shouldHelp() || command.shouldList() || command.shouldListWithParams() || command.shouldListProfilers()
                || command.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        final OptionsBuilder options = new OptionsBuilder();
        options.parent(command);
        if (!command.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON).result(System.getProperty("benchmark.result", "jmh-result.json"));
        }
        final Collection<RunResult> results = new Runner(options.build()).run();
        report(results, System.out);
    }

    /** One row: a scenario in a format against ConvertRecord. */
    record Row(String scenario, String format, Result subject, Result baseline, double ratio, double ratioError, long pairs,
               double cpuRatio, double cpuRatioError) {
    }

    static List<Row> rows(final Collection<RunResult> results) {
        final List<Row> rows = new ArrayList<>();
        for (final RunResult result : results) {
            final Map<String, Result> sides = result.getSecondaryResults();
            if (!sides.containsKey(SUBJECT) || !sides.containsKey(BASELINE)) {
                continue;
            }
            final ListStatistics ratios = new ListStatistics();
            final ListStatistics cpuRatios = new ListStatistics();
            for (final BenchmarkResult fork : result.getBenchmarkResults()) {
                for (final IterationResult iteration : fork.getIterationResults()) {
                    final Map<String, Result> found = iteration.getSecondaryResults();
                    final Result subject = found.get(SUBJECT);
                    final Result baseline = found.get(BASELINE);
                    if (subject != null && baseline != null && baseline.getScore() > 0) {
                        ratios.addValue(subject.getScore() / baseline.getScore());
                    }
                    final double subjectPerCpu = perCpuSecond(found, SUBJECT);
                    final double baselinePerCpu = perCpuSecond(found, BASELINE);
                    if (subjectPerCpu > 0 && baselinePerCpu > 0) {
                        cpuRatios.addValue(subjectPerCpu / baselinePerCpu);
                    }
                }
            }
            rows.add(new Row(String.valueOf(result.getParams().getParam("scenario")), String.valueOf(result.getParams().getParam("format")),
                    sides.get(SUBJECT), sides.get(BASELINE), ratios.getMean(), error(ratios), ratios.getN(), cpuRatios.getMean(), error(cpuRatios)));
        }
        rows.sort(Comparator.comparing(Row::scenario).thenComparing(Row::format));
        return rows;
    }

    /** Records per CPU-second of one side in one iteration, from its counters; 0 when it has none. */
    private static double perCpuSecond(final Map<String, Result> found, final String side) {
        final Result records = found.get(side + RECORDS);
        final Result cpu = found.get(side + CPU);
        return records == null || cpu == null || cpu.getScore() <= 0 ? 0 : records.getScore() / (cpu.getScore() / 1e9);
    }

    private static double error(final ListStatistics statistics) {
        return statistics.getN() > 1 ? statistics.getMeanErrorAt(0.999) : Double.NaN;
    }

    static void report(final Collection<RunResult> results, final PrintStream out) {
        final List<Row> rows = rows(results);
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.println("Against ConvertRecord (same reader, writer and input, same fork, side by side); records/s with 99.9% error;");
        out.println("ratio = mean of the per-iteration ratios of records/s, with its 99.9% error over n iteration pairs;");
        out.println("CPU ratio = the same with records per CPU-second of each side's thread (steadier on a shared machine):");
        out.printf("%-28s %-6s %22s %22s %16s %16s %4s%n", "scenario", "format", "scenario records/s", "ConvertRecord rec/s", "ratio",
                "CPU ratio", "n");
        for (final Row row : rows) {
            out.printf("%-28s %-6s %22s %22s %16s %16s %4d%n", row.scenario(), row.format(), score(row.subject()), score(row.baseline()),
                    String.format("%.2f ± %.2f", row.ratio(), row.ratioError()), String.format("%.2f ± %.2f", row.cpuRatio(), row.cpuRatioError()),
                    row.pairs());
        }
    }

    private static String score(final Result result) {
        return String.format("%,.0f ± %,.0f", result.getScore(), result.getScoreError());
    }
}
