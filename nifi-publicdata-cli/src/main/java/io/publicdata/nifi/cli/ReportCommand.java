package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.cli.report.DisclosureReport;
import io.publicdata.nifi.cli.report.ReportCsv;
import io.publicdata.nifi.cli.report.ReportHtml;
import io.publicdata.nifi.cli.report.ReportJson;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.lineage.ChainVerifier;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.catalog.CatalogTables;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code publicdata report}: the disclosure of grants and their use (授权运营情况披露) that a person reads, from signed
 * grants, the resource catalog and a lineage chain that verifies. A chain that does not verify gives no report, only
 * its broken link. See docs/report.md.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the disclosure report (授权运营情况披露): grant register, use per grant and dataset and per month, denials "
                + "by code, the lineage chain's verification and the open catalog, as report.html (one self-contained page), "
                + "report.json and CSV files. Exit code 1, and no report, when the chain does not verify or a grant does not.")
final class ReportCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--grants", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Signed grant documents, or folders of them (*.json).")
    private List<Path> grantInputs;

    @Option(names = "--issuer-key", required = true, arity = "1..*", paramLabel = "PEM",
            description = "Public key(s) of the data authorities that sign grants (PEM files); each grant must verify with one.")
    private List<Path> issuerKeys;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private CatalogSource catalogSource;

    /** Where the catalog comes from: a JSON file, or the catalog tables of a database (as NiFi reads them). */
    static final class CatalogSource {
        @Option(names = "--catalog", paramLabel = "FILE", description = "The resource catalog as JSON (docs/catalog.md).")
        Path file;

        @ArgGroup(exclusive = false)
        Tables tables;
    }

    /** The catalog tables of a database; its JDBC driver on the class path. */
    static final class Tables {
        @Option(names = "--catalog-jdbc", required = true, paramLabel = "URL",
                description = "JDBC URL of the catalog database, e.g. jdbc:postgresql://db:5432/catalog (the driver jar on the class path).")
        String url;

        @Option(names = "--catalog-user", paramLabel = "USER", description = "The database user (needs SELECT on the two tables).")
        String user;

        @Option(names = "--catalog-password-file", paramLabel = "FILE", description = "A file holding the database user's password.")
        Path passwordFile;

        @Option(names = "--dataset-table", defaultValue = CatalogTables.DEFAULT_DATASET_TABLE, paramLabel = "TABLE",
                description = "Default: ${DEFAULT-VALUE}.")
        String datasetTable;

        @Option(names = "--item-table", defaultValue = CatalogTables.DEFAULT_ITEM_TABLE, paramLabel = "TABLE",
                description = "Default: ${DEFAULT-VALUE}.")
        String itemTable;
    }

    @Option(names = "--lineage", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Folders of <chain>-<sequence>.json event files, or JSON Lines files of events in the order written.")
    private List<Path> lineageInputs;

    @Option(names = "--head", required = true, paramLabel = "CHAIN=HASH",
            description = "The known last hash of a chain (EmitLineage's state, or publicdata.lineage.hash of the last FlowFile); "
                    + "finds deleted last events. Repeatable, at least one.")
    private Map<String, String> heads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the report (created if missing).")
    private Path out;

    @Option(names = "--revocation-list", paramLabel = "FILE",
            description = "A signed revocation list (吊销清单) of the authority, verified with an --issuer-key: the grants it revokes show as revoked.")
    private Path revocationList;

    @Option(names = "--at", paramLabel = "TIME", description = "The instant the report speaks of, ISO-8601 with offset (default: now).")
    private OffsetDateTime at;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "Time zone of months and times in the report. Default: ${DEFAULT-VALUE}.")
    private ZoneId zone;

    @Override
    public Integer call() throws IOException {
        final PrintWriter stdout = spec.commandLine().getOut();
        // The chain first: a chain that does not verify gives no report at all, only the broken link
        final List<String> origins = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        for (final Path input : lineageInputs) {
            for (final Path file : Files.isDirectory(input) ? LineageCommands.eventFiles(input) : List.of(input)) {
                int number = 0;
                for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    origins.add(file + ":" + ++number);
                    lines.add(line);
                }
            }
        }
        final ChainVerifier.Result result = new ChainVerifier(heads).verify(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")));
        if (!result.verified()) {
            final String where = result.line() <= origins.size() ? origins.get((int) result.line() - 1) : "end of input";
            stdout.println("BROKEN at " + where + ": " + result.reason());
            stdout.println("No report: the lineage chain does not verify (" + result.events() + " events verified before the broken link).");
            return PublicDataCli.DENIED;
        }
        final List<DisclosureReport.GrantEntry> grants = new ArrayList<>();
        final List<PublicKey> keys = new ArrayList<>();
        for (final Path key : issuerKeys) {
            keys.addAll(PemKeys.readPublicKeys(Files.readString(key, StandardCharsets.UTF_8)));
        }
        final OffsetDateTime reportAt = at == null ? OffsetDateTime.now(zone) : at;
        for (final Path document : grantFiles()) {
            final DisclosureReport.GrantEntry entry = verified(document, keys, reportAt);
            if (entry == null) {
                return PublicDataCli.DENIED;
            }
            grants.add(entry);
        }
        if (revocationList != null) {
            final RevocationList list = revocations(keys);
            if (list == null) {
                return PublicDataCli.DENIED;
            }
            grants.replaceAll(entry -> list.revoked().stream().filter(e -> e.revokes(entry.grant())).findFirst()
                    .map(e -> entry.revokedBy(e, reportAt.toInstant())).orElse(entry));
        }
        final Catalog catalog = catalogSource.file != null ? CatalogCommands.read(catalogSource.file)
                : CatalogCommands.read(catalogSource.tables.url, catalogSource.tables.user, catalogSource.tables.passwordFile,
                new CatalogTables(catalogSource.tables.datasetTable, catalogSource.tables.itemTable));
        final List<JsonNode> events = new ArrayList<>();
        for (final String line : lines) {
            if (!line.isBlank()) {
                events.add(MAPPER.readTree(line));
            }
        }
        final List<LineageChain.Head> chainHeads = result.heads().values().stream().sorted(Comparator.comparing(LineageChain.Head::chainId)).toList();
        final DisclosureReport report = DisclosureReport.build(grants, catalog, events, chainHeads, heads, reportAt, zone);

        final Map<String, String> files = new LinkedHashMap<>();
        files.put("report.html", ReportHtml.write(report));
        files.put("report.json", ReportJson.write(report));
        files.putAll(ReportCsv.write(report));
        Files.createDirectories(out);
        for (final Map.Entry<String, String> file : files.entrySet()) {
            final Path target = out.resolve(file.getKey());
            final Path partial = out.resolve("." + file.getKey() + ".partial");
            Files.writeString(partial, file.getValue(), StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        stdout.println("VERIFIED " + result.events() + " events on " + chainHeads.size() + (chainHeads.size() == 1 ? " chain" : " chains")
                + "; " + grants.size() + (grants.size() == 1 ? " grant; " : " grants; ") + report.total().releasedRecords() + " records released, " + report.total().deniedRecords()
                + " denied");
        stdout.println("Report: " + out.resolve("report.html"));
        files.keySet().stream().filter(name -> !name.equals("report.html")).forEach(name -> stdout.println("        " + out.resolve(name)));
        return PublicDataCli.OK;
    }

    private List<Path> grantFiles() throws IOException {
        final List<Path> files = new ArrayList<>();
        for (final Path input : grantInputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> listed = Files.list(input)) {
                    listed.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
                }
            } else {
                files.add(input);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no grant documents in " + grantInputs);
        }
        return files;
    }

    /** The revocation list, verified with one of the keys; null (having said why) when it does not verify. */
    private RevocationList revocations(final List<PublicKey> keys) throws IOException {
        final byte[] bytes = Files.readAllBytes(revocationList);
        String reason = "no issuer key given";
        for (final PublicKey key : keys) {
            try {
                return RevocationListDocument.verify(bytes, key);
            } catch (final GrantException e) {
                reason = e.decision().denyReason();
            }
        }
        spec.commandLine().getOut().println("NOT VERIFIED " + revocationList + ": " + reason);
        spec.commandLine().getOut().println("No report: a revocation list is used only when its signature verifies.");
        return null;
    }

    /** The grant of a document that verifies with one of the keys; null (having said why) when none does. */
    private DisclosureReport.GrantEntry verified(final Path document, final List<PublicKey> keys, final OffsetDateTime reportAt) throws IOException {
        final byte[] bytes = Files.readAllBytes(document);
        String reason = "no issuer key given";
        for (final PublicKey key : keys) {
            try {
                final Grant grant = GrantDocument.verify(bytes, key);
                return new DisclosureReport.GrantEntry(grant, document.getFileName().toString(), PemKeys.keyId(key),
                        DisclosureReport.standing(grant, reportAt.toInstant()));
            } catch (final GrantException e) {
                reason = e.decision().denyReason();
            }
        }
        spec.commandLine().getOut().println("NOT VERIFIED " + document + ": " + reason);
        spec.commandLine().getOut().println("No report: only grants whose signature verifies are disclosed.");
        return null;
    }
}
