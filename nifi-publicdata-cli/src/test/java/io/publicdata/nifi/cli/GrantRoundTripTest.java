package io.publicdata.nifi.cli;

import io.publicdata.nifi.processors.EnforceGrantScope;
import io.publicdata.nifi.processors.GrantProperties;
import io.publicdata.nifi.processors.GrantSource;
import io.publicdata.nifi.processors.PublicDataAttributes;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.publicdata.nifi.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A data authority issues a grant with the command line; EnforceGrantScope enforces it, and notices any edit. */
class GrantRoundTripTest {

    private static final String RECORDS = """
            [{"plate": "京A12345", "district": "朝阳区", "hour": "08", "driverId": "11010519491231002X", "_grade": "L2"},
             {"plate": "京B54321", "district": "海淀区", "hour": "09", "driverId": null, "_grade": "L1"}]""";
    private static final Map<String, String> USE = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "交通运输",
            PublicDataAttributes.USE_PURPOSE, "交通规划",
            PublicDataAttributes.USE_PURPOSE_CATEGORY, "公共治理",
            PublicDataAttributes.DATASET, "GOV-TRAFFIC-001");

    @Test
    void keygenSignEnforceEditDeny(@TempDir final Path dir) throws Exception {
        final Path grant = dir.resolve("grant.json");
        try (InputStream in = getClass().getResourceAsStream("/grant.json")) {
            Files.write(grant, in.readAllBytes());
        }
        final String privateKey = dir.resolve("issuer.key").toString();
        final String publicKey = dir.resolve("issuer.pub").toString();
        final Path signed = dir.resolve("grant.signed.json");
        assertEquals(0, run("grant", "keygen", "--algorithm", "SM2", "--private-key", privateKey, "--public-key", publicKey).exitCode());
        assertEquals(0, run("grant", "sign", "--private-key", privateKey, "--public-key", publicKey, "--out", signed.toString(), grant.toString()).exitCode());

        final MockFlowFile authorized = enforce(signed, publicKey, EnforceGrantScope.REL_AUTHORIZED);
        authorized.assertAttributeEquals(PublicDataAttributes.GRANT_ID, "GR-2025-0001");
        authorized.assertAttributeEquals(PublicDataAttributes.DECISION, "PERMIT");
        authorized.assertContentEquals("[{\"plate\":\"京A12345\",\"district\":\"朝阳区\",\"hour\":\"08\",\"_grade\":\"L2\"},"
                + "{\"plate\":\"京B54321\",\"district\":\"海淀区\",\"hour\":\"09\",\"_grade\":\"L1\"}]");

        // The operator widens its grant to receive driver IDs
        Files.writeString(signed, Files.readString(signed).replace("\"/trips\"", "\"/driverId\""));
        final MockFlowFile denied = enforce(signed, publicKey, EnforceGrantScope.REL_UNAUTHORIZED);
        denied.assertContentEquals(RECORDS);
        denied.assertAttributeEquals(PublicDataAttributes.DECISION, "DENY");
        denied.assertAttributeEquals(PublicDataAttributes.DENY_REASON,
                "SIGNATURE_INVALID: the signature does not match the document: it was changed after signing, or signed with another key");
        assertEquals(1, run("grant", "verify", "--public-key", publicKey, signed.toString()).exitCode());
    }

    private static MockFlowFile enforce(final Path document, final String publicKey, final org.apache.nifi.processor.Relationship expected) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(new EnforceGrantScope(Clock.fixed(Instant.parse("2025-06-01T01:00:00Z"), ZoneOffset.UTC)));
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService("reader", reader);
        runner.enableControllerService(reader);
        final JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService("writer", writer);
        runner.enableControllerService(writer);
        runner.setProperty(EnforceGrantScope.RECORD_READER, "reader");
        runner.setProperty(EnforceGrantScope.RECORD_WRITER, "writer");
        runner.setProperty(GrantProperties.GRANT_SOURCE, GrantSource.SIGNED_DOCUMENT);
        runner.setProperty(GrantProperties.GRANT_DOCUMENT, document.toString());
        runner.setProperty(GrantProperties.VERIFICATION_KEY, publicKey);
        runner.enqueue(RECORDS, USE);
        runner.run();
        runner.assertAllFlowFilesTransferred(expected, 1);
        return runner.getFlowFilesForRelationship(expected).getFirst();
    }
}
