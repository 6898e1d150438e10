package io.publicdata.nifi.processors;

import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10 §3 as an attacker tries it: a record is authorized only from what was done to its own values, never because
 * a neighbouring record changed what the FlowFile-wide attributes say.
 */
class TestEvidencePerRecord {

    private static final Map<String, String> USE = Map.of(
            PublicDataAttributes.USE_GRANTEE, "91110105MA01ABCD1X",
            PublicDataAttributes.USE_DOMAIN, "民政",
            PublicDataAttributes.USE_PURPOSE, "救助审核",
            PublicDataAttributes.DATASET, "GOV-CIVIL-001");

    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        runner = TestRunners.newTestRunner(new EnforceGrantScope(Clock.fixed(Instant.parse("2025-06-01T01:30:00Z"), ZoneOffset.UTC)));
        RecordTestSupport.useJson(runner);
        RecordTestSupport.grantInProperties(runner, USE.get(PublicDataAttributes.USE_GRANTEE), "/**");
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L4");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2026-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.REQUIRED_PROTECTION, "L3=MASK|PSEUDONYMIZE|ENCRYPT, L4=ENCRYPT");
    }

    private MockFlowFile run(final String records, final String fields, final String protectedFields) {
        final Map<String, String> attributes = new HashMap<>(USE);
        attributes.put(PublicDataAttributes.FIELDS, fields);
        if (protectedFields != null) {
            attributes.put(PublicDataAttributes.PROTECTED, protectedFields);
        }
        runner.enqueue(records, attributes);
        runner.run();
        return null;
    }

    @Test
    void aNeighbourThatMadeTheFieldL4DoesNotExcuseAnUnprotectedL3Value() {
        // Record 2's card made /card L4 FlowFile-wide and was encrypted; record 1's card is L3 (a masked-looking value
        // the classifier still graded L3) and nothing protected it: publicdata.protected claims ENCRYPT for only some
        final String records = "[{\"id\": 1, \"card\": \"6222 0202 0000 1234 562\", \"_grade\": \"L3\"},"
                + " {\"id\": 2, \"card\": \"pd2:A256GCM:k1:AAAA\", \"_grade\": \"L4\"}]";
        run(records, "{\"/id\":{\"grade\":\"L1\"},\"/card\":{\"grade\":\"L4\",\"labels\":[\"BANK_CARD\"]}}", "{\"/card\":{\"method\":\"PARTIAL\",\"methods\":[\"ENCRYPT\"]}}");
        runner.assertTransferCount(EnforceGrantScope.REL_UNAUTHORIZED, 1);
        assertEquals("PROTECTION_REQUIRED: 2 records (/card (L4) needs ENCRYPT but is partly in clear)",
                runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).getFirst().getAttribute(PublicDataAttributes.DENY_REASON));
    }

    @Test
    void anL3RecordIsHeldToL3ForAFieldTheFlowFileMadeL4() {
        // Before: an L3 record skipped every field graded above L3, so its unprotected card passed
        final String records = "[{\"id\": 1, \"card\": \"6222020200001234562\", \"_grade\": \"L3\"}, {\"id\": 2, \"card\": null, \"_grade\": \"L3\"}]";
        run(records, "{\"/id\":{\"grade\":\"L1\"},\"/card\":{\"grade\":\"L4\",\"labels\":[\"BANK_CARD\"]},\"/name\":{\"grade\":\"L3\"}}",
                "{\"/name\":\"MASK\"}");
        assertEquals("PROTECTION_REQUIRED: 1 record (/card (L3) needs MASK|PSEUDONYMIZE|ENCRYPT but is unprotected)",
                runner.getFlowFilesForRelationship(EnforceGrantScope.REL_UNAUTHORIZED).getFirst().getAttribute(PublicDataAttributes.DENY_REASON));
        final List<MockFlowFile> authorized = runner.getFlowFilesForRelationship(EnforceGrantScope.REL_AUTHORIZED);
        assertEquals("[{\"id\":2,\"card\":null,\"_grade\":\"L3\"}]", authorized.getFirst().getContent(),
                "the record that holds no card needs none protected");
    }
}
