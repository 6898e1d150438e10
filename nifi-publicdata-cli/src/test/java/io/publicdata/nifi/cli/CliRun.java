package io.publicdata.nifi.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in this JVM: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = PublicDataCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
