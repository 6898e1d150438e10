package io.publicdata.nifi.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static io.publicdata.nifi.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrantCommandsTest {

    @TempDir
    Path dir;
    private Path grant;

    @BeforeEach
    void setUp() throws IOException {
        grant = dir.resolve("grant.json");
        try (InputStream in = getClass().getResourceAsStream("/grant.json")) {
            Files.write(grant, in.readAllBytes());
        }
    }

    private String path(final String name) {
        return dir.resolve(name).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SM2", "ECDSA_P256", "ED25519"})
    void keygenSignVerify(final String algorithm) throws IOException {
        final CliRun keygen = run("grant", "keygen", "--algorithm", algorithm, "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"));
        assertEquals(0, keygen.exitCode(), keygen.err());
        assertTrue(keygen.out().startsWith("Generated " + algorithm + " key pair sha256:"), keygen.out());
        assertTrue(Files.readString(dir.resolve("issuer.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("issuer.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("issuer.key"))));

        final CliRun sign = run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"),
                "--out", path("signed.json"), grant.toString());
        assertEquals(0, sign.exitCode(), sign.err());
        assertTrue(sign.err().startsWith("Signed GR-2025-0001 with "), sign.err());

        final CliRun verify = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", "2025-06-01T09:00:00+08:00", path("signed.json"));
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().startsWith("Signature valid: "), verify.out());
        assertTrue(verify.out().contains("grant GR-2025-0001 issued by 某市数据局 to 91110105MA01ABCD1X; DOMAIN 分领域授权; domains [交通运输]"), verify.out());
        assertTrue(verify.out().endsWith("PERMIT use at 2025-06-01T09:00:00+08:00\n"), verify.out());
    }

    @Test
    void verifyChecksAUse() {
        run("grant", "keygen", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"));
        run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "-o", path("signed.json"), grant.toString());

        final CliRun permitted = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", "2025-06-01T09:00:00+08:00",
                "--grantee", "91110105MA01ABCD1X", "--domain", "交通运输", "--purpose", "交通规划", "--dataset", "GOV-TRAFFIC-001", path("signed.json"));
        assertEquals(0, permitted.exitCode());
        assertTrue(permitted.out().endsWith("PERMIT this use at 2025-06-01T09:00:00+08:00\n"), permitted.out());

        final CliRun denied = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", "2025-06-01T09:00:00+08:00",
                "--grantee", "91110105MA01ABCD1X", "--domain", "医疗卫生", "--purpose", "交通规划", "--dataset", "GOV-TRAFFIC-001", path("signed.json"));
        assertEquals(1, denied.exitCode());
        assertTrue(denied.out().endsWith("DENY DOMAIN_NOT_GRANTED: domain '医疗卫生' is not granted; the grant covers [交通运输]\n"), denied.out());

        final CliRun early = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", "2024-12-31T23:59:59+08:00", path("signed.json"));
        assertEquals(1, early.exitCode());
        assertTrue(early.out().endsWith("DENY GRANT_NOT_YET_VALID: valid from 2025-01-01T00:00:00+08:00, used at 2024-12-31T23:59:59+08:00\n"), early.out());

        final CliRun otherLadder = run("grant", "verify", "--public-key", path("issuer.pub"), "--grade-ladder", "PUBLIC, INTERNAL, SECRET", path("signed.json"));
        assertEquals(1, otherLadder.exitCode());
        assertTrue(otherLadder.out().endsWith("DENY GRANT_INVALID: The grant's maximum grade 'L2' is not on the grade ladder [PUBLIC, INTERNAL, SECRET]\n"),
                otherLadder.out());
    }

    @Test
    void verifyDeniesTamperedDocumentsAndOtherKeys() throws IOException {
        run("grant", "keygen", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"));
        run("grant", "keygen", "--private-key", path("other.key"), "--public-key", path("other.pub"));
        run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "-o", path("signed.json"), grant.toString());

        final CliRun otherKey = run("grant", "verify", "--public-key", path("other.pub"), path("signed.json"));
        assertEquals(1, otherKey.exitCode());
        assertTrue(otherKey.out().startsWith("DENY SIGNATURE_INVALID: the document was signed with key sha256:"), otherKey.out());

        Files.writeString(dir.resolve("signed.json"), Files.readString(dir.resolve("signed.json")).replace("\"L2\"", "\"L4\""));
        final CliRun tampered = run("grant", "verify", "--public-key", path("issuer.pub"), path("signed.json"));
        assertEquals(1, tampered.exitCode());
        assertEquals("DENY SIGNATURE_INVALID: the signature does not match the document: it was changed after signing, or signed with another key\n",
                tampered.out());

        final CliRun unsigned = run("grant", "verify", "--public-key", path("issuer.pub"), grant.toString());
        assertEquals(1, unsigned.exitCode());
        assertEquals("DENY SIGNATURE_INVALID: the grant document is not signed\n", unsigned.out());
    }

    @Test
    void signWritesToStandardOutputAndRefusesInvalidGrants() throws IOException {
        run("grant", "keygen", "--algorithm", "ED25519", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"));
        final CliRun toStdout = run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), grant.toString());
        assertEquals(0, toStdout.exitCode());
        assertTrue(toStdout.out().contains("\"signature\""), toStdout.out());

        // A grant may reach the top grade: the protection floor, not the grant, keeps L5 data from leaving
        Files.writeString(grant, Files.readString(grant).replace("\"L2\"", "\"L5\""));
        final CliRun topGrade = run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), grant.toString());
        assertEquals(0, topGrade.exitCode(), topGrade.err());
        Files.writeString(grant, Files.readString(grant).replace("\"L5\"", "\"L9\""));
        final CliRun offLadder = run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), grant.toString());
        assertEquals(2, offLadder.exitCode());
        assertTrue(offLadder.err().startsWith("error: The grant's maximum grade 'L9' is not on the grade ladder"), offLadder.err());

        Files.writeString(grant, Files.readString(grant).replace("\"mode\": \"DOMAIN\"", "\"mode\": \"REGIONAL\""));
        final CliRun badMode = run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), grant.toString());
        assertEquals(2, badMode.exitCode());
        assertEquals("error: mode 'REGIONAL' is not one of [WHOLE, DOMAIN, SCENARIO]\n", badMode.err());
    }

    @Test
    void inputErrorsAreReportedWithoutStackTraces() throws IOException {
        final CliRun missing = run("grant", "verify", "--public-key", path("nothing.pub"), grant.toString());
        assertEquals(2, missing.exitCode());
        assertEquals("error: no such file: " + path("nothing.pub") + "\n", missing.err());

        Files.writeString(dir.resolve("bad.pub"), "not a key");
        final CliRun badKey = run("grant", "verify", "--public-key", path("bad.pub"), grant.toString());
        assertEquals(2, badKey.exitCode());
        assertEquals("error: No PEM block found: expected -----BEGIN PUBLIC KEY----- or similar\n", badKey.err());

        final CliRun badAlgorithm = run("grant", "keygen", "--algorithm", "RSA", "--private-key", path("k"), "--public-key", path("p"));
        assertEquals(2, badAlgorithm.exitCode());
        assertTrue(badAlgorithm.err().contains("Invalid value for option '--algorithm'"), badAlgorithm.err());

        assertEquals(2, run().exitCode());
        assertEquals(2, run("grant").exitCode());
    }

    @Test
    void keygenKeepsExistingKeysUnlessForced() throws IOException {
        Files.writeString(dir.resolve("issuer.key"), "precious", StandardCharsets.UTF_8);
        final CliRun refused = run("grant", "keygen", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"));
        assertEquals(2, refused.exitCode());
        assertEquals("error: " + path("issuer.key") + " exists; use --force to overwrite it\n", refused.err());
        assertEquals("precious", Files.readString(dir.resolve("issuer.key")));
        assertEquals(0, run("grant", "keygen", "--force", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub")).exitCode());
        assertTrue(Files.readString(dir.resolve("issuer.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    }
}
