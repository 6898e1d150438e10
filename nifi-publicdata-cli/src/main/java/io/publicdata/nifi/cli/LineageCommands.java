package io.publicdata.nifi.cli;

import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code publicdata lineage ...}: how an auditor checks the lineage chain EmitLineage wrote. See docs/lineage.md and
 * docs/audit.md.
 */
@Command(name = "lineage",
        description = "Lineage events (使用过程可追溯): verify a chain of events.",
        mixinStandardHelpOptions = true)
final class LineageCommands {

    /** Event files named <chain id>-<sequence>.json, as EmitLineage names them. */
    private static final Pattern EVENT_FILE = Pattern.compile("(.*)-(\\d+)\\.json");

    @Spec
    private CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify lineage events: each hashes to its stated hash and links to the event before it on its chain. "
                    + "Exit code 0 when every chain verifies, 1 at the first broken link.")
    int verify(
            @Option(names = "--head", paramLabel = "CHAIN=HASH",
                    description = "The known last hash of a chain (from NiFi's provenance: publicdata.lineage.hash of the last FlowFile); "
                            + "finds deleted last events and a forged head. Repeatable.")
            final Map<String, String> heads,
            @Parameters(paramLabel = "FILE", arity = "1..*",
                    description = "JSON Lines files of events in the order written, or folders of <chain>-<sequence>.json event files.")
            final List<Path> inputs) throws IOException {
        final List<String> origins = new ArrayList<>();
        final StringBuilder lines = new StringBuilder();
        for (final Path input : inputs) {
            for (final Path file : Files.isDirectory(input) ? eventFiles(input) : List.of(input)) {
                int number = 0;
                for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    origins.add(file + ":" + ++number);
                    lines.append(line).append('\n');
                }
            }
        }
        final ChainVerifier.Result result = new ChainVerifier(heads == null ? Map.of() : heads)
                .verify(new BufferedReader(new StringReader(lines.toString())));
        final PrintWriter out = spec.commandLine().getOut();
        if (!result.verified()) {
            final String where = result.line() <= origins.size() ? origins.get((int) result.line() - 1) : "end of input";
            out.println("BROKEN at " + where + ": " + result.reason());
            out.println(result.events() + " events verified before it");
            return PublicDataCli.DENIED;
        }
        out.println("VERIFIED " + result.events() + " events on " + result.heads().size() + (result.heads().size() == 1 ? " chain" : " chains"));
        result.heads().values().stream().sorted(Comparator.comparing(LineageChain.Head::chainId))
                .forEach(head -> out.println("  " + head.chainId() + "  #" + head.sequence() + "  " + head.hash()));
        return PublicDataCli.OK;
    }

    /** The event files of a folder, by chain id and then by sequence number; other files are ignored. */
    static List<Path> eventFiles(final Path folder) throws IOException {
        final Map<Path, Matcher> names = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(file -> {
                final Matcher matcher = EVENT_FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    names.put(file, matcher);
                }
            });
        }
        return names.keySet().stream().sorted(Comparator.comparing((Path file) -> names.get(file).group(1))
                .thenComparingLong(file -> Long.parseLong(names.get(file).group(2)))).toList();
    }
}
