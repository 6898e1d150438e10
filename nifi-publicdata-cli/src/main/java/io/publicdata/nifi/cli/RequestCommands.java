package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantDocument;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantJson;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.PricingCheck;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.grant.SignedEnvelope;
import io.publicdata.nifi.grant.UseCheck;
import io.publicdata.nifi.grant.UseRequest;
import io.publicdata.nifi.grant.UseRequestDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code publicdata request ...}: how a grantee (the operator) signs the use requests (用途申请) that EnforceGrantScope
 * takes as the use context, and how anyone checks one against its grant. See docs/grants.md.
 */
@Command(name = "request",
        description = "Use requests signed by the grantee (用途申请): make a grantee key pair, sign a request, verify a request against its grant.",
        mixinStandardHelpOptions = true)
final class RequestCommands {

    @Spec
    private CommandSpec spec;

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Generate a grantee key pair: a PKCS#8 private key (readable only by its owner) and a public key, both PEM. "
                    + "Give the public key to the data authority: the grant names it in granteeKeys (the line printed), or the "
                    + "operator of EnforceGrantScope puts it into Grantee Keys.")
    int keygen(
            @Option(names = {"-a", "--algorithm"}, defaultValue = "SM2", paramLabel = "ALGORITHM",
                    description = "SM2 (SM3withSM2), ECDSA_P256 (SHA256withECDSA) or ED25519. Default: ${DEFAULT-VALUE}.")
            final SignatureAlgorithm algorithm,
            @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "Where to write the private key; keep it with the grantee.")
            final Path privateKeyFile,
            @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "Where to write the public key.")
            final Path publicKeyFile,
            @Option(names = "--force", description = "Overwrite existing key files.")
            final boolean force) throws IOException {
        final PublicKey publicKey = GrantCommands.generateKeyPair(algorithm, privateKeyFile, publicKeyFile, force);
        out().println("Generated " + algorithm + " grantee key pair " + PemKeys.keyId(publicKey));
        out().println("  private key: " + privateKeyFile);
        out().println("  public key:  " + publicKeyFile);
        out().println("  granteeKeys entry: " + PemKeys.encode(publicKey));
        return PublicDataCli.OK;
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a use request: a JSON request object (or a signed request, whose signature is replaced). "
                    + "The request is checked first; nothing invalid is signed.")
    int sign(
            @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The grantee's private key (PEM).")
            final Path privateKeyFile,
            @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The grantee's public key (PEM), named in the signature.")
            final Path publicKeyFile,
            @Option(names = "--id", paramLabel = "ID", description = "Set the request's id (each request needs its own).")
            final String id,
            @Option(names = "--issued-at", paramLabel = "TIME",
                    description = "Set issuedAt: ISO-8601 with an offset, e.g. 2025-06-01T09:00:00+08:00, or 'now'.")
            final String issuedAt,
            @Option(names = "--valid-for", paramLabel = "DURATION",
                    description = "Set validUntil to issuedAt plus this ISO-8601 duration, e.g. PT1H or PT15M. Keep it short: the receiver "
                            + "accepts at most its Maximum Request Validity (default 1 hour).")
            final String validFor,
            @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the signed request; standard output when absent.")
            final Path outFile,
            @Option(names = "--out-dir", paramLabel = "DIR",
                    description = "Sign several requests: each is written to this folder under its own file name.")
            final Path outDir,
            @Parameters(paramLabel = "REQUEST", arity = "1..*", description = "The request to sign (JSON); several with --out-dir.")
            final List<Path> requestFiles) throws IOException, GeneralSecurityException {
        if (outDir == null && requestFiles.size() > 1) {
            throw new IllegalArgumentException("Several requests are signed into a folder: give --out-dir");
        }
        if (outDir != null && (outFile != null || id != null)) {
            throw new IllegalArgumentException("--out-dir signs each request as it is: --out and --id name one request");
        }
        final PrivateKey privateKey = PemKeys.readPrivateKey(Files.readString(privateKeyFile));
        final PublicKey publicKey = PemKeys.readPublicKey(Files.readString(publicKeyFile));
        for (final Path requestFile : requestFiles) {
            signOne(requestFile, privateKey, publicKey, id, issuedAt, validFor, outDir == null ? outFile : outDir.resolve(requestFile.getFileName()));
        }
        return PublicDataCli.OK;
    }

    private void signOne(final Path requestFile, final PrivateKey privateKey, final PublicKey publicKey, final String id, final String issuedAt,
                         final String validFor, final Path outFile) throws IOException, GeneralSecurityException {
        final JsonNode input = GrantJson.parse(Files.readAllBytes(requestFile));
        if (input == null || !input.isObject()) {
            throw new IllegalArgumentException(requestFile + " does not hold a JSON object");
        }
        final ObjectNode request = (ObjectNode) (input.has("request") ? input.get("request") : input).deepCopy();
        if (id != null) {
            request.put("id", id);
        }
        if (issuedAt != null) {
            request.put("issuedAt", format("now".equals(issuedAt) ? OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                    : GrantJson.parseTime(issuedAt, "--issued-at")));
        }
        if (validFor != null) {
            final OffsetDateTime from = GrantJson.parseTime(request.path("issuedAt").asText(""), "issuedAt");
            request.put("validUntil", format(from.plus(duration(validFor, "--valid-for"))));
        }
        final UseRequest parsed = UseRequestDocument.fromJson(request);
        final byte[] signed = UseRequestDocument.sign(request, privateKey, publicKey);
        if (outFile == null) {
            out().print(new String(signed, StandardCharsets.UTF_8));
            out().flush();
        } else {
            Files.write(outFile, signed);
        }
        spec.commandLine().getErr().println("Signed request " + parsed.id() + " under grant " + parsed.grantId() + ", valid until "
                + format(parsed.validUntil()) + ", with " + SignatureAlgorithm.of(privateKey).jcaName() + " key " + PemKeys.keyId(publicKey)
                + (outFile == null ? "" : " into " + outFile));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a signed use request against its signed grant, as EnforceGrantScope does (but for replays, which only the "
                    + "receiving processor remembers): the grant's signature, the request's signature with a grantee key the grant names, "
                    + "the request inside the grant, its validity, the authority's revocation list when given, and the use it states. "
                    + "Exit code 0 when permitted, 1 when not.")
    int verify(
            @Option(names = "--grant", required = true, paramLabel = "FILE", description = "The signed grant document the request is made under.")
            final Path grantFile,
            @Option(names = "--grant-key", required = true, paramLabel = "FILE", description = "The issuing authority's public key (PEM).")
            final Path grantKeyFile,
            @Option(names = "--at", paramLabel = "TIME", description = "The instant of the use, ISO-8601 with an offset. Default: now.")
            final String at,
            @Option(names = "--dataset", paramLabel = "ID", description = "The dataset the data comes from. Default: the request's first dataset.")
            final String dataset,
            @Option(names = "--maximum-validity", paramLabel = "DURATION", defaultValue = "PT1H",
                    description = "The receiver's Maximum Request Validity, ISO-8601. Default: ${DEFAULT-VALUE}.")
            final String maximumValidity,
            @Option(names = "--grade-ladder", paramLabel = "SPEC", defaultValue = GradeLadder.DEFAULT_SPEC,
                    description = "The grade ladder of the receiving processor. Default: ${DEFAULT-VALUE}.")
            final String ladder,
            @Option(names = "--revocation-list", paramLabel = "FILE",
                    description = "The authority's signed revocation list, as the receiving processor reads it: it must verify, be current at "
                            + "--at, and not name the grant (its id, and its serial when the list names one).")
            final Path revocationListFile,
            @Option(names = "--revocation-key", paramLabel = "FILE",
                    description = "The public key (PEM) the revocation list is signed with. Default: the authority's key (--grant-key).")
            final Path revocationKeyFile,
            @Parameters(paramLabel = "REQUEST", description = "The signed use request.")
            final Path requestFile) throws IOException {
        final PrintWriter out = out();
        final Instant instant = at == null ? Instant.now() : GrantJson.parseTime(at, "--at").toInstant();
        final Duration maximum = duration(maximumValidity, "--maximum-validity");
        final GrantScope scope;
        final UseRequest request;
        final List<UseCheck> useChecks = new ArrayList<>(List.of(UseCheck.TERM));
        try {
            final PublicKey issuer = PemKeys.readPublicKey(Files.readString(grantKeyFile));
            final Grant grant = GrantDocument.verify(Files.readAllBytes(grantFile), issuer);
            try {
                scope = new GrantScope(grant, GradeLadder.parse(ladder));
            } catch (final IllegalArgumentException e) {
                throw new GrantException(DenyCode.GRANT_INVALID, e.getMessage());
            }
            out.println("Grant " + grant.id() + " verified: " + SignatureAlgorithm.of(issuer).jcaName() + ", key " + PemKeys.keyId(issuer)
                    + "; grantee keys " + grant.granteePublicKeys().stream().map(PemKeys::keyId).toList());
            if (revocationListFile != null) {
                final PublicKey listKey = revocationKeyFile == null ? issuer : PemKeys.readPublicKey(Files.readString(revocationKeyFile));
                final RevocationList list = RevocationListDocument.verify(Files.readAllBytes(revocationListFile), listKey);
                out.println(GrantCommands.describe(list));
                // where EnforceGrantScope checks it: after the grant's status and term, before the use's scope
                useChecks.add((checked, use, when) -> list.check(checked.grant(), when));
            }
            final SignedEnvelope.Verified verified = SignedEnvelope.verify(UseRequestDocument.KIND, Files.readAllBytes(requestFile),
                    grant.granteePublicKeys());
            try {
                request = UseRequestDocument.fromJson(verified.content());
            } catch (final IllegalArgumentException e) {
                throw new GrantException(DenyCode.REQUEST_INVALID, e.getMessage());
            }
            out.println("Request " + request.id() + " verified: " + SignatureAlgorithm.of(verified.key()).jcaName() + ", grantee key "
                    + PemKeys.keyId(verified.key()));
        } catch (final GrantException e) {
            out.println("DENY " + e.decision().denyReason());
            return PublicDataCli.DENIED;
        }
        out.println("request " + request.id() + " by " + request.grantee() + " under grant " + request.grantId() + ": datasets "
                + request.datasets() + ", purpose " + request.purpose() + " (" + request.purposeCategory() + ")"
                + (request.domain() == null ? "" : ", domain " + request.domain())
                + (request.scenario() == null ? "" : ", scenario " + request.scenario())
                + (request.fields().isEmpty() ? "" : ", fields " + request.fields())
                + ", valid [" + format(request.issuedAt()) + ", " + format(request.validUntil()) + ")");
        final String used = dataset == null ? request.datasets().getFirst() : dataset;
        Decision decision = firstDenial(List.of(request.checkInside(scope), request.checkTime(instant, maximum), request.checkDataset(used)));
        if (decision.permitted()) {
            useChecks.addAll(List.of(UseCheck.SCOPE, PricingCheck.INSTANCE));
            decision = UseCheck.firstDenial(useChecks, scope, request.context(used), instant);
        }
        out.println(decision.permitted()
                ? "PERMIT request " + request.id() + " for dataset " + used + " at " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        instant.atOffset(request.issuedAt().getOffset()))
                : "DENY " + decision.denyReason());
        return decision.permitted() ? PublicDataCli.OK : PublicDataCli.DENIED;
    }

    private static Decision firstDenial(final List<Decision> decisions) {
        return decisions.stream().filter(decision -> !decision.permitted()).findFirst().orElse(Decision.PERMIT);
    }

    static Duration duration(final String text, final String option) {
        try {
            final Duration duration = Duration.parse(text.strip());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(option + " must be a positive duration");
            }
            return duration;
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not an ISO-8601 duration, e.g. PT1H, PT15M or P7D");
        }
    }

    static String format(final OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
