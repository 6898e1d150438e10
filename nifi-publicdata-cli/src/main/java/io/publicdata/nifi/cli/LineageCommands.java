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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code publicdata lineage ...}: how an auditor checks the lineage events EmitLineage wrote, away from NiFi.
 * See docs/lineage.md and docs/audit.md.
 */
@Command(name = "lineage",
        description = "Lineage events (使用过程可追溯): verify their hash chains.",
        mixinStandardHelpOptions = true)
final class LineageCommands {

    @Spec
    private CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify lineage events (JSON Lines, one event per line, any number of interleaved chains): every event hashes to "
                    + "its hash, every chain starts at event 1 and links each event to the one before it.",
                    "Exit code 0 when every chain is intact, 1 with the first broken link, 2 when the file cannot be read."})
    int verify(
            @Option(names = "--head", paramLabel = "HASH",
                    description = "The hash of a chain's last event as NiFi knows it (EmitLineage's state, or publicdata.lineage.hash of the "
                            + "last event in provenance); shows events removed from or forged onto the end. Repeat for several chains.")
            final List<String> heads,
            @Option(names = "--any-order",
                    description = "The events may be stored out of chain order (several concurrent writers, a database): check each chain "
                            + "sorted by sequence number, reading the whole file into memory. A reordered pair is then no break.")
            final boolean anyOrder,
            @Parameters(paramLabel = "FILE", description = "The events, e.g. the audit store's file.")
            final Path file) throws IOException {
        final ChainVerifier.Result result;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            result = ChainVerifier.verify(lines, heads == null ? Set.of() : Set.copyOf(heads),
                    anyOrder ? ChainVerifier.Order.BY_SEQUENCE : ChainVerifier.Order.AS_WRITTEN);
        }
        final PrintWriter out = spec.commandLine().getOut();
        for (final LineageChain.Head head : result.heads()) {
            out.println("chain " + head.chainId() + ": events 1 to " + head.sequence() + " linked, head " + head.algorithm().label() + " " + head.hash());
        }
        if (!result.intact()) {
            out.println("BROKEN at " + result.broken());
            out.flush();
            return PublicDataCli.DENIED;
        }
        out.println("OK: " + result.events() + (result.events() == 1 ? " event" : " events") + " on " + result.heads().size()
                + (result.heads().size() == 1 ? " chain" : " chains") + ", every link intact");
        out.flush();
        return PublicDataCli.OK;
    }
}
