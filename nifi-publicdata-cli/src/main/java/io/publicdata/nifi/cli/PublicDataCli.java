package io.publicdata.nifi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/**
 * The {@code publicdata} command line: tools for data authorities and auditors that need no NiFi. Each command group
 * is one class registered below ({@link GrantCommands} for {@code grant ...}, {@link LineageCommands} for {@code lineage ...}); add a group by adding its class.
 *
 * <p>Exit codes: 0 success (verified, permitted), 1 denied or invalid, 2 bad usage or unreadable input.
 */
@Command(name = "publicdata",
        mixinStandardHelpOptions = true,
        versionProvider = PublicDataCli.Version.class,
        description = "Tools for secure public data flows (公共数据授权运营): issue and verify signed grants.",
        subcommands = {GrantCommands.class, RequestCommands.class, LineageCommands.class, CatalogCommands.class, ReportCommand.class, HelpCommand.class})
public final class PublicDataCli implements Callable<Integer> {

    public static final int OK = 0;
    public static final int DENIED = 1;
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with this tool's error handling: a message for input errors, not a stack trace. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new PublicDataCli());
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof NoSuchFileException missing) {
                cl.getErr().println("error: no such file: " + missing.getFile());
                return USAGE;
            }
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException
                    || e instanceof GeneralSecurityException) {
                cl.getErr().println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return USAGE;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = PublicDataCli.class.getPackage().getImplementationVersion();
            return new String[] {"publicdata " + (version == null ? "(development build)" : version)};
        }
    }
}
