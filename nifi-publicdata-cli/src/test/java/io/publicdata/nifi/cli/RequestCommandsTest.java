package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.processors.EnforceGrantScope;
import io.publicdata.nifi.processors.GrantProperties;
import io.publicdata.nifi.processors.GrantSource;
import io.publicdata.nifi.processors.PublicDataAttributes;
import io.publicdata.nifi.processors.UseContextFrom;
import io.publicdata.nifi.processors.UseContextProperties;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.publicdata.nifi.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A grantee signs use requests with the command line; anyone verifies them; EnforceGrantScope accepts them; the authority revokes. */
class RequestCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AT = "2025-06-01T09:20:00+08:00";
    private static final String REQUEST = """
            {"id": "RQ-0001", "grantId": "GR-2025-0001", "grantee": "91110105MA01ABCD1X", "datasets": ["GOV-TRAFFIC-001"],
             "purpose": "交通规划", "purposeCategory": "公共治理", "domain": "交通运输", "fields": ["/plate", "/district"],
             "issuedAt": "2025-06-01T09:00:00+08:00", "validUntil": "2025-06-01T10:00:00+08:00"}""";

    @TempDir
    Path dir;

    private String path(final String name) {
        return dir.resolve(name).toString();
    }

    /** The authority's keys, the grantee's keys, and a grant naming the grantee's key, signed. */
    @BeforeEach
    void issueAGrant() throws IOException {
        assertEquals(0, run("grant", "keygen", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub")).exitCode());
        final CliRun keygen = run("request", "keygen", "--algorithm", "ED25519", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"));
        assertEquals(0, keygen.exitCode(), keygen.err());
        final String entry = keygen.out().lines().filter(line -> line.startsWith("  granteeKeys entry: ")).findFirst().orElseThrow()
                .substring("  granteeKeys entry: ".length());
        final ObjectNode grant;
        try (InputStream in = getClass().getResourceAsStream("/grant.json")) {
            grant = (ObjectNode) MAPPER.readTree(in);
        }
        grant.put("serial", "1").putArray("granteeKeys").add(entry);
        Files.writeString(dir.resolve("grant.json"), grant.toString());
        assertEquals(0, run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "--out",
                path("grant.signed.json"), path("grant.json")).exitCode());
        Files.writeString(dir.resolve("request.json"), REQUEST);
    }

    private CliRun verify(final String request, final String... more) {
        final String[] args = new String[] {"request", "verify", "--grant", path("grant.signed.json"), "--grant-key", path("issuer.pub")};
        final String[] all = new String[args.length + more.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        all[all.length - 1] = request;
        return run(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SM2", "ECDSA_P256", "ED25519"})
    void keygenSignVerify(final String algorithm) throws IOException {
        final CliRun keygen = run("request", "keygen", "--algorithm", algorithm, "--force", "--private-key", path("grantee.key"),
                "--public-key", path("grantee.pub"));
        assertTrue(keygen.out().startsWith("Generated " + algorithm + " grantee key pair sha256:"), keygen.out());
        final ObjectNode grant = (ObjectNode) MAPPER.readTree(Files.readString(dir.resolve("grant.json")));
        grant.putArray("granteeKeys").add(keygen.out().lines().filter(l -> l.contains("granteeKeys entry")).findFirst().orElseThrow().split(": ")[1]);
        Files.writeString(dir.resolve("grant.json"), grant.toString());
        assertEquals(0, run("grant", "sign", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "--out",
                path("grant.signed.json"), path("grant.json")).exitCode());

        final CliRun sign = run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--out",
                path("request.signed.json"), path("request.json"));
        assertEquals(0, sign.exitCode(), sign.err());
        assertTrue(sign.err().startsWith("Signed request RQ-0001 under grant GR-2025-0001, valid until 2025-06-01T10:00:00+08:00, with "), sign.err());

        final CliRun verify = verify(path("request.signed.json"), "--at", AT);
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().startsWith("Grant GR-2025-0001 verified: SM3withSM2"), verify.out());
        assertTrue(verify.out().contains("\nRequest RQ-0001 verified: "), verify.out());
        assertTrue(verify.out().contains("request RQ-0001 by 91110105MA01ABCD1X under grant GR-2025-0001: datasets [GOV-TRAFFIC-001], purpose "
                + "交通规划 (公共治理), domain 交通运输, fields [/plate, /district], valid [2025-06-01T09:00:00+08:00, 2025-06-01T10:00:00+08:00)"),
                verify.out());
        assertTrue(verify.out().endsWith("PERMIT request RQ-0001 for dataset GOV-TRAFFIC-001 at 2025-06-01T09:20:00+08:00\n"), verify.out());
    }

    @Test
    void theSignOptionsSetIdAndValidity() throws IOException {
        final CliRun sign = run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--id", "RQ-0002",
                "--issued-at", "2025-06-01T09:10:00+08:00", "--valid-for", "PT15M", path("request.json"));
        assertEquals(0, sign.exitCode(), sign.err());
        final ObjectNode signed = (ObjectNode) MAPPER.readTree(sign.out());
        assertEquals("RQ-0002", signed.at("/request/id").asText());
        assertEquals("2025-06-01T09:25:00+08:00", signed.at("/request/validUntil").asText());
        assertEquals(2, run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--valid-for", "1h",
                path("request.json")).exitCode(), "a duration is ISO-8601");

        // several at once, into a folder
        Files.writeString(dir.resolve("second.json"), REQUEST.replace("RQ-0001", "RQ-0002"));
        Files.createDirectory(dir.resolve("signed"));
        final CliRun batch = run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--out-dir",
                path("signed"), path("request.json"), path("second.json"));
        assertEquals(0, batch.exitCode(), batch.err());
        assertEquals("RQ-0002", MAPPER.readTree(dir.resolve("signed").resolve("second.json").toFile()).at("/request/id").asText());
        assertEquals(0, verify(path("signed/request.json"), "--at", AT).exitCode());
        assertEquals(2, run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"),
                path("request.json"), path("second.json")).exitCode(), "several need a folder");
    }

    @Test
    void verifyRefusesWhatEnforceGrantScopeRefuses() throws IOException {
        assertEquals(0, run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--out",
                path("request.signed.json"), path("request.json")).exitCode());
        final CliRun expired = verify(path("request.signed.json"), "--at", "2025-06-01T10:00:00+08:00");
        assertEquals(1, expired.exitCode());
        assertTrue(expired.out().endsWith("DENY REQUEST_EXPIRED: request RQ-0001 was valid until 2025-06-01T10:00:00+08:00 (exclusive), used at "
                + "2025-06-01T10:00:00+08:00\n"), expired.out());

        final CliRun otherData = verify(path("request.signed.json"), "--at", AT, "--dataset", "GOV-CIVIL-001");
        assertEquals(1, otherData.exitCode());
        assertTrue(otherData.out().endsWith("DENY REQUEST_OUT_OF_SCOPE: request RQ-0001 asks for [GOV-TRAFFIC-001], not for dataset 'GOV-CIVIL-001'\n"),
                otherData.out());

        Files.writeString(dir.resolve("request.signed.json"), Files.readString(dir.resolve("request.signed.json")).replace("交通规划", "精准营销"));
        final CliRun tampered = verify(path("request.signed.json"), "--at", AT);
        assertEquals(1, tampered.exitCode());
        assertTrue(tampered.out().endsWith("DENY REQUEST_SIGNATURE_INVALID: the signature does not match the document: it was changed after "
                + "signing, or signed with another key\n"), tampered.out());

        assertEquals(0, run("request", "keygen", "--private-key", path("other.key"), "--public-key", path("other.pub")).exitCode());
        assertEquals(0, run("request", "sign", "--private-key", path("other.key"), "--public-key", path("other.pub"), "--out",
                path("impostor.json"), path("request.json")).exitCode());
        final CliRun impostor = verify(path("impostor.json"), "--at", AT);
        assertEquals(1, impostor.exitCode());
        assertTrue(impostor.out().contains("DENY REQUEST_SIGNATURE_INVALID: the document is signed with SM3withSM2 but the grantee's key is for Ed25519"),
                impostor.out());
    }

    @Test
    void aRequestSignedHereIsAcceptedByEnforceGrantScopeOnce() throws IOException {
        assertEquals(0, run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--out",
                path("request.signed.json"), path("request.json")).exitCode());
        final TestRunner runner = TestRunners.newTestRunner(new EnforceGrantScope(Clock.fixed(Instant.parse("2025-06-01T01:20:00Z"), ZoneOffset.UTC)));
        try {
            final JsonTreeReader reader = new JsonTreeReader();
            runner.addControllerService("reader", reader);
            runner.enableControllerService(reader);
            final JsonRecordSetWriter writer = new JsonRecordSetWriter();
            runner.addControllerService("writer", writer);
            runner.enableControllerService(writer);
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
        runner.setProperty(EnforceGrantScope.RECORD_READER, "reader");
        runner.setProperty(EnforceGrantScope.RECORD_WRITER, "writer");
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, path("grant.signed.json"));
        runner.setProperty(GrantProperties.VERIFICATION_KEY, path("issuer.pub"));
        runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST);
        final Map<String, String> attributes = Map.of(PublicDataAttributes.DATASET, "GOV-TRAFFIC-001",
                PublicDataAttributes.USE_REQUEST, Files.readString(dir.resolve("request.signed.json")));
        final String records = "[{\"plate\": \"京A12345\", \"district\": \"朝阳区\", \"hour\": \"08\", \"_grade\": \"L2\"}]";
        runner.enqueue(records, attributes);
        runner.enqueue(records, attributes);
        runner.run(2);
        final MockFlowFile authorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED).getFirst();
        authorized.assertContentEquals("[{\"plate\":\"京A12345\",\"district\":\"朝阳区\",\"_grade\":\"L2\"}]");
        assertEquals("REQUEST_REPLAYED: request RQ-0001 was already used by another FlowFile; a request authorizes one",
                runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).getFirst().getAttribute(PublicDataAttributes.DENY_REASON));
    }

    @Test
    void theAuthorityRevokesAGrant() throws IOException {
        final CliRun empty = run("grant", "revoke", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "--issuer", "某市数据局",
                "--issued-at", "2025-05-31T00:00:00+08:00", "--valid-for", "P7D", "--out", path("revoked.json"));
        assertEquals(0, empty.exitCode(), empty.err());
        assertEquals("Signed the revocation list of 某市数据局: 0 revoked, next update 2025-06-07T00:00:00+08:00, into " + path("revoked.json") + "\n",
                empty.err());
        final CliRun current = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", AT, "--revocation-list", path("revoked.json"),
                path("grant.signed.json"));
        assertEquals(0, current.exitCode(), current.out());

        final CliRun revoke = run("grant", "revoke", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "--previous",
                path("revoked.json"), "--revoke", "GR-2025-0001@1", "--reason", "超范围使用", "--revoked-at", "2025-06-01T08:00:00+08:00",
                "--issued-at", "2025-06-01T08:00:00+08:00", "--next-update", "2025-06-08T00:00:00+08:00", "--out", path("revoked.json"));
        assertEquals(0, revoke.exitCode(), revoke.err());
        final CliRun revoked = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", AT, "--revocation-list", path("revoked.json"),
                path("grant.signed.json"));
        assertEquals(1, revoked.exitCode());
        assertTrue(revoked.out().endsWith("DENY GRANT_REVOKED: grant GR-2025-0001 serial 1 is on the revocation list of 某市数据局 since "
                + "2025-06-01T08:00:00+08:00: 超范围使用\n"), revoked.out());

        final CliRun stale = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", "2025-06-09T00:00:00+08:00",
                "--revocation-list", path("revoked.json"), path("grant.signed.json"));
        assertTrue(stale.out().contains("DENY REVOCATION_LIST_STALE: "), stale.out());

        // a list signed by someone else is not the authority's
        assertEquals(0, run("grant", "keygen", "--private-key", path("forger.key"), "--public-key", path("forger.pub")).exitCode());
        assertEquals(0, run("grant", "revoke", "--private-key", path("forger.key"), "--public-key", path("forger.pub"), "--issuer", "某市数据局",
                "--valid-for", "P7D", "--out", path("forged.json")).exitCode());
        final CliRun forged = run("grant", "verify", "--public-key", path("issuer.pub"), "--at", AT, "--revocation-list", path("forged.json"),
                path("grant.signed.json"));
        assertEquals(1, forged.exitCode());
        assertTrue(forged.out().contains("DENY REVOCATION_LIST_INVALID: the document was signed with key "), forged.out());
        assertEquals(2, run("grant", "revoke", "--private-key", path("issuer.key"), "--public-key", path("issuer.pub"), "--previous",
                path("forged.json"), "--valid-for", "P7D").exitCode(), "a forged previous list is not carried over");
    }

    private CliRun revoke(final String out, final String key, final String... more) {
        final String[] args = new String[] {"grant", "revoke", "--private-key", path(key + ".key"), "--public-key", path(key + ".pub"), "--issuer",
                "某市数据局", "--out", path(out)};
        final String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return run(all);
    }

    @Test
    void verifyChecksTheRevocationListWhenGivenOne() throws IOException {
        assertEquals(0, run("request", "sign", "--private-key", path("grantee.key"), "--public-key", path("grantee.pub"), "--out",
                path("request.signed.json"), path("request.json")).exitCode());
        // a current list naming another grant, and another issue of this one: the request is permitted
        assertEquals(0, revoke("current.json", "issuer", "--revoke", "GR-2025-0099", "--revoke", "GR-2025-0001@2", "--reason", "到期未续",
                "--issued-at", "2025-06-01T08:00:00+08:00", "--valid-for", "P7D").exitCode());
        final CliRun current = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("current.json"));
        assertEquals(0, current.exitCode(), current.out() + current.err());
        assertTrue(current.out().contains("\nRevocation list of 某市数据局 issued at 2025-06-01T08:00:00+08:00, next update 2025-06-08T08:00:00+08:00: "
                + "2 revoked\n"), current.out());
        assertTrue(current.out().endsWith("PERMIT request RQ-0001 for dataset GOV-TRAFFIC-001 at 2025-06-01T09:20:00+08:00\n"), current.out());

        // the grant's serial revoked: denied, with the list's reason
        assertEquals(0, revoke("revoked.json", "issuer", "--previous", path("current.json"), "--revoke", "GR-2025-0001@1", "--reason", "超范围使用",
                "--revoked-at", "2025-06-01T09:00:00+08:00", "--issued-at", "2025-06-01T09:00:00+08:00", "--valid-for", "P7D").exitCode());
        final CliRun revoked = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("revoked.json"));
        assertEquals(1, revoked.exitCode(), revoked.out());
        assertTrue(revoked.out().endsWith("DENY GRANT_REVOKED: grant GR-2025-0001 serial 1 is on the revocation list of 某市数据局 since "
                + "2025-06-01T09:00:00+08:00: 超范围使用\n"), revoked.out());
        // the list in force decides, whenever the request was signed
        assertEquals(1, verify(path("request.signed.json"), "--at", "2025-06-01T09:05:00+08:00", "--revocation-list", path("revoked.json"))
                .exitCode());

        // a list past its next update: denied whatever it names, the request itself being valid
        assertEquals(0, revoke("stale.json", "issuer", "--issued-at", "2025-05-25T09:00:00+08:00", "--next-update", "2025-06-01T09:10:00+08:00")
                .exitCode());
        final CliRun stale = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("stale.json"));
        assertEquals(1, stale.exitCode(), stale.out());
        assertTrue(stale.out().endsWith("DENY REVOCATION_LIST_STALE: the revocation list of 某市数据局 issued at 2025-05-25T09:00:00+08:00 was due to "
                + "be replaced by 2025-06-01T09:10:00+08:00, used at 2025-06-01T09:20:00+08:00: without a current list every use is denied\n"),
                stale.out());
        assertEquals(0, verify(path("request.signed.json"), "--at", "2025-06-01T09:05:00+08:00", "--revocation-list", path("stale.json"))
                .exitCode(), "the same list was current before its next update");

        // a list not signed by the authority, or changed after signing: not believed, and nothing is permitted
        assertEquals(0, run("grant", "keygen", "--private-key", path("forger.key"), "--public-key", path("forger.pub")).exitCode());
        assertEquals(0, revoke("forged.json", "forger", "--valid-for", "P7D").exitCode());
        final CliRun forged = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("forged.json"));
        assertEquals(1, forged.exitCode(), forged.out());
        assertTrue(forged.out().contains("DENY REVOCATION_LIST_INVALID: the document was signed with key "), forged.out());
        assertTrue(!forged.out().contains("PERMIT"), forged.out());
        Files.writeString(dir.resolve("edited.json"), Files.readString(dir.resolve("revoked.json")).replace("GR-2025-0001", "GR-2025-0002"));
        final CliRun edited = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("edited.json"));
        assertEquals(1, edited.exitCode(), edited.out());
        assertTrue(edited.out().contains("DENY REVOCATION_LIST_INVALID: "), edited.out());

        // a list signed with a key of its own verifies with --revocation-key, and only with it
        assertEquals(0, run("grant", "keygen", "--private-key", path("lists.key"), "--public-key", path("lists.pub")).exitCode());
        assertEquals(0, revoke("own-key.json", "lists", "--revoke", "GR-2025-0001", "--reason", "主体注销", "--revoked-at", "2025-06-01T09:00:00+08:00",
                "--valid-for", "P7D").exitCode());
        final CliRun ownKey = verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("own-key.json"), "--revocation-key",
                path("lists.pub"));
        assertEquals(1, ownKey.exitCode(), ownKey.out());
        assertTrue(ownKey.out().endsWith("DENY GRANT_REVOKED: grant GR-2025-0001 serial 1 is on the revocation list of 某市数据局 since "
                + "2025-06-01T09:00:00+08:00: 主体注销\n"), ownKey.out());
        assertTrue(verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("own-key.json")).out()
                .contains("DENY REVOCATION_LIST_INVALID: "), "not with the grant's key");

        assertEquals(2, verify(path("request.signed.json"), "--at", AT, "--revocation-list", path("missing.json")).exitCode(),
                "an unreadable list is bad input");
    }
}
