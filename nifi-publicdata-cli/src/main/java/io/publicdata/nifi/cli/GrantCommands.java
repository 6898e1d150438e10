package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantJson;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.grant.UseContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * {@code publicdata grant ...}: how a data authority issues signed grant documents without writing code, and how
 * anyone checks one. See docs/grants.md.
 */
@Command(name = "grant",
        description = "Signed grant documents (授权文书): make an issuer key pair, sign a grant, verify a signed grant, sign a revocation list.",
        mixinStandardHelpOptions = true)
final class GrantCommands {

    @Spec
    private CommandSpec spec;

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Generate an issuer key pair: a PKCS#8 private key (readable only by its owner) and a public key, both PEM.")
    int keygen(
            @Option(names = {"-a", "--algorithm"}, defaultValue = "SM2", paramLabel = "ALGORITHM",
                    description = "SM2 (SM3withSM2), ECDSA_P256 (SHA256withECDSA) or ED25519. Default: ${DEFAULT-VALUE}.")
            final SignatureAlgorithm algorithm,
            @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "Where to write the private key; keep it offline.")
            final Path privateKeyFile,
            @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "Where to write the public key; give it to operators.")
            final Path publicKeyFile,
            @Option(names = "--force", description = "Overwrite existing key files.")
            final boolean force) throws IOException {
        final PublicKey publicKey = generateKeyPair(algorithm, privateKeyFile, publicKeyFile, force);
        out().println("Generated " + algorithm + " key pair " + PemKeys.keyId(publicKey));
        out().println("  private key: " + privateKeyFile);
        out().println("  public key:  " + publicKeyFile);
        return PublicDataCli.OK;
    }

    /** Writes a new key pair, the private key readable only by its owner; returns the public key. */
    static PublicKey generateKeyPair(final SignatureAlgorithm algorithm, final Path privateKeyFile, final Path publicKeyFile,
                                     final boolean force) throws IOException {
        for (final Path file : new Path[] {privateKeyFile, publicKeyFile}) {
            if (Files.exists(file) && !force) {
                throw new IllegalArgumentException(file + " exists; use --force to overwrite it");
            }
        }
        final KeyPair keys = algorithm.generateKeyPair();
        writePrivate(privateKeyFile, PemKeys.writePrivateKey(keys.getPrivate()));
        Files.writeString(publicKeyFile, PemKeys.writePublicKey(keys.getPublic()), StandardCharsets.UTF_8);
        return keys.getPublic();
    }

    /** Creates the private key file readable only by its owner where the file system has POSIX permissions. */
    private static void writePrivate(final Path file, final String pem) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, pem, StandardCharsets.UTF_8);
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a grant: a JSON grant object (or a grant document, whose signature is replaced). "
                    + "The grant is checked first; nothing invalid is signed.")
    int sign(
            @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The issuer's private key (PEM).")
            final Path privateKeyFile,
            @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The issuer's public key (PEM), named in the signature.")
            final Path publicKeyFile,
            @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the signed document; standard output when absent.")
            final Path outFile,
            @Option(names = "--grade-ladder", paramLabel = "SPEC", defaultValue = GradeLadder.DEFAULT_SPEC,
                    description = "The receivers' grade ladder, to check the grant's grades. Default: ${DEFAULT-VALUE}.")
            final String ladder,
            @Parameters(paramLabel = "GRANT", description = "The grant to sign (JSON).")
            final Path grantFile) throws IOException, GeneralSecurityException {
        final JsonNode input = GrantJson.parse(Files.readAllBytes(grantFile));
        final JsonNode grantNode = input.has("grant") ? input.get("grant") : input;
        final GrantScope scope = new GrantScope(GrantJson.fromJson(grantNode), GradeLadder.parse(ladder));
        final PrivateKey privateKey = PemKeys.readPrivateKey(Files.readString(privateKeyFile));
        final PublicKey publicKey = PemKeys.readPublicKey(Files.readString(publicKeyFile));
        final byte[] signed = GrantDocument.sign(grantNode, privateKey, publicKey);
        if (outFile == null) {
            out().print(new String(signed, StandardCharsets.UTF_8));
            out().flush();
        } else {
            Files.write(outFile, signed);
        }
        spec.commandLine().getErr().println("Signed " + scope.grant().id() + " with " + SignatureAlgorithm.of(privateKey).jcaName()
                + " key " + PemKeys.keyId(publicKey) + (outFile == null ? "" : " into " + outFile));
        return PublicDataCli.OK;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a signed grant with the issuer's public key and tell whether it can be used at an instant "
                    + "and, with use options, whether it permits that use. Exit code 0 when it does, 1 when it does not.")
    int verify(
            @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The issuer's public key or certificate (PEM).")
            final Path publicKeyFile,
            @Option(names = "--at", paramLabel = "TIME", description = "The instant to check, ISO-8601 with an offset, e.g. 2025-06-01T09:00:00+08:00. Default: now.")
            final String at,
            @Option(names = "--grade-ladder", paramLabel = "SPEC", defaultValue = GradeLadder.DEFAULT_SPEC,
                    description = "The grade ladder of the receiving processor. Default: ${DEFAULT-VALUE}.")
            final String ladder,
            @Option(names = "--grantee", paramLabel = "NAME", description = "A use to check: who uses the data.") final String grantee,
            @Option(names = "--domain", paramLabel = "NAME", description = "A use to check: its domain.") final String domain,
            @Option(names = "--scenario", paramLabel = "NAME", description = "A use to check: its scenario.") final String scenario,
            @Option(names = "--purpose", paramLabel = "NAME", description = "A use to check: its purpose.") final String purpose,
            @Option(names = "--dataset", paramLabel = "ID", description = "A use to check: the dataset's catalog id.") final String dataset,
            @Option(names = "--revocation-list", paramLabel = "FILE",
                    description = "The authority's signed revocation list: the grant must not be on it, and the list must be current.")
            final Path revocationListFile,
            @Option(names = "--revocation-key", paramLabel = "FILE",
                    description = "The public key (PEM) the revocation list is signed with. Default: the issuer's key (--public-key).")
            final Path revocationKeyFile,
            @Parameters(paramLabel = "DOCUMENT", description = "The signed grant document.")
            final Path documentFile) throws IOException {
        final PublicKey publicKey = PemKeys.readPublicKey(Files.readString(publicKeyFile));
        final Instant instant = at == null ? Instant.now() : GrantJson.parseTime(at, "--at").toInstant();
        final GradeLadder gradeLadder = GradeLadder.parse(ladder);
        final PrintWriter out = out();
        final GrantScope scope;
        try {
            final Grant grant = GrantDocument.verify(Files.readAllBytes(documentFile), publicKey);
            out.println("Signature valid: " + SignatureAlgorithm.of(publicKey).jcaName() + ", key " + PemKeys.keyId(publicKey));
            try {
                scope = new GrantScope(grant, gradeLadder);
            } catch (final IllegalArgumentException e) {
                throw new GrantException(DenyCode.GRANT_INVALID, e.getMessage());
            }
        } catch (final GrantException e) {
            out.println("DENY " + e.decision().denyReason());
            return PublicDataCli.DENIED;
        }
        out.println(scope.describe());
        final boolean useGiven = Stream.of(grantee, domain, scenario, purpose, dataset).anyMatch(value -> value != null);
        Decision decision = useGiven
                ? scope.checkUse(new UseContext(grantee, domain, scenario, purpose, dataset), instant)
                : scope.checkTerm(instant);
        if (decision.permitted() && revocationListFile != null) {
            final PublicKey listKey = revocationKeyFile == null ? publicKey : PemKeys.readPublicKey(Files.readString(revocationKeyFile));
            try {
                final RevocationList list = RevocationListDocument.verify(Files.readAllBytes(revocationListFile), listKey);
                out.println(describe(list));
                decision = list.check(scope.grant(), instant);
            } catch (final GrantException e) {
                decision = e.decision();
            }
        }
        final String when = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(scope.grant().validFrom().getOffset()));
        out.println(decision.permitted()
                ? "PERMIT " + (useGiven ? "this use" : "use") + " at " + when
                : "DENY " + decision.denyReason());
        return decision.permitted() ? PublicDataCli.OK : PublicDataCli.DENIED;
    }

    /** One line on a verified revocation list: whose, when issued, when due, how many revoked. */
    static String describe(final RevocationList list) {
        return "Revocation list of " + list.issuer() + " issued at " + RequestCommands.format(list.issuedAt()) + ", next update "
                + RequestCommands.format(list.nextUpdate()) + ": " + list.revoked().size() + " revoked";
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Build and sign a revocation list (吊销清单): the grants the authority revoked, those of the previous list carried "
                    + "over, and when the next list is due. EnforceGrantScope re-reads the list when its file changes; past its next "
                    + "update it denies every use, so publish a new list before then.")
    int revoke(
            @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The authority's private key (PEM).")
            final Path privateKeyFile,
            @Option(names = "--public-key", required = true, paramLabel = "FILE",
                    description = "The authority's public key (PEM), named in the signature; it also verifies --previous.")
            final Path publicKeyFile,
            @Option(names = "--issuer", paramLabel = "NAME", description = "The authority, e.g. 某市数据局. Default: the issuer of --previous.")
            final String issuer,
            @Option(names = "--previous", paramLabel = "FILE", description = "The current signed list: its entries are carried over.")
            final Path previousFile,
            @Option(names = "--revoke", paramLabel = "GRANT_ID[@SERIAL]",
                    description = "A grant to revoke, repeatable; with @SERIAL only that issue of it, e.g. GR-2025-0001@2.")
            final List<String> revoke,
            @Option(names = "--reason", paramLabel = "TEXT", description = "Why the grants named by --revoke are revoked, e.g. 超范围使用.")
            final String reason,
            @Option(names = "--revoked-at", paramLabel = "TIME", description = "When they were revoked, ISO-8601 with an offset. Default: now.")
            final String revokedAt,
            @Option(names = "--issued-at", paramLabel = "TIME", description = "When the list is issued, ISO-8601 with an offset. Default: now.")
            final String issuedAt,
            @Option(names = "--next-update", paramLabel = "TIME", description = "When the next list is due, ISO-8601 with an offset.")
            final String nextUpdate,
            @Option(names = "--valid-for", paramLabel = "DURATION",
                    description = "Instead of --next-update: the list's issue time plus this ISO-8601 duration, e.g. P7D.")
            final String validFor,
            @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the signed list; standard output when absent.")
            final Path outFile) throws IOException, GeneralSecurityException {
        if ((nextUpdate == null) == (validFor == null)) {
            throw new IllegalArgumentException("Give the next update: --next-update TIME or --valid-for DURATION (one of them)");
        }
        final PrivateKey privateKey = PemKeys.readPrivateKey(Files.readString(privateKeyFile));
        final PublicKey publicKey = PemKeys.readPublicKey(Files.readString(publicKeyFile));
        final OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        final List<RevocationList.Entry> entries = new ArrayList<>();
        String listIssuer = issuer;
        if (previousFile != null) {
            final RevocationList previous;
            try {
                previous = RevocationListDocument.verify(Files.readAllBytes(previousFile), publicKey);
            } catch (final GrantException e) {
                throw new IllegalArgumentException("The previous list " + previousFile + " does not verify: " + e.getMessage());
            }
            entries.addAll(previous.revoked());
            listIssuer = listIssuer == null ? previous.issuer() : listIssuer;
        }
        if (listIssuer == null) {
            throw new IllegalArgumentException("Name the authority: --issuer NAME (or give --previous)");
        }
        final OffsetDateTime when = revokedAt == null ? now : GrantJson.parseTime(revokedAt, "--revoked-at");
        for (final String named : revoke == null ? List.<String>of() : revoke) {
            final int at = named.indexOf('@');
            entries.add(new RevocationList.Entry(at < 0 ? named : named.substring(0, at), at < 0 ? null : named.substring(at + 1), reason, when));
        }
        final OffsetDateTime issued = issuedAt == null ? now : GrantJson.parseTime(issuedAt, "--issued-at");
        final OffsetDateTime next = nextUpdate != null ? GrantJson.parseTime(nextUpdate, "--next-update")
                : issued.plus(RequestCommands.duration(validFor, "--valid-for"));
        final RevocationList list = new RevocationList(listIssuer, issued, next, entries);
        final byte[] signed = RevocationListDocument.sign(list, privateKey, publicKey);
        if (outFile == null) {
            out().print(new String(signed, StandardCharsets.UTF_8));
            out().flush();
        } else {
            Files.write(outFile, signed);
        }
        spec.commandLine().getErr().println("Signed the revocation list of " + listIssuer + ": " + entries.size() + " revoked, next update "
                + RequestCommands.format(next) + (outFile == null ? "" : ", into " + outFile));
        return PublicDataCli.OK;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
