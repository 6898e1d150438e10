package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.lineage.LineageEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.publicdata.nifi.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineageCommandsTest {

    private static final int EVENTS = 20;

    @TempDir
    Path dir;
    private Path events;
    private List<String> lines;
    private LineageChain.Head head;

    @BeforeEach
    void setUp() throws IOException {
        lines = new ArrayList<>();
        head = LineageChain.start("nifi-1", HashAlgorithm.SM3);
        for (int i = 0; i < EVENTS; i++) {
            final ObjectNode event = new LineageEvent("https://publicdata.io/nifi-publicdata/test")
                    .job("nifi", "open-data-release").output("nifi", "portal").records((long) i).toJson();
            head = LineageChain.seal(event, head);
            lines.add(event.toString());
        }
        events = dir.resolve("events.jsonl");
        Files.write(events, lines);
    }

    @Test
    void anIntactChainVerifies() {
        final CliRun verify = run("lineage", "verify", "--head", head.hash(), events.toString());
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertEquals("chain " + head.chainId() + ": events 1 to 20 linked, head SM3 " + head.hash() + System.lineSeparator()
                + "OK: 20 events on 1 chain, every link intact" + System.lineSeparator(), verify.out());
    }

    @Test
    void aSwappedPairIsReportedWithItsLine() throws IOException {
        Collections.swap(lines, 6, 7);
        Files.write(events, lines);
        final CliRun verify = run("lineage", "verify", events.toString());
        assertEquals(1, verify.exitCode());
        assertTrue(verify.out().contains("BROKEN at line 7: event 8 of chain " + head.chainId() + " follows event 6: event 7 is missing or out of order"),
                verify.out());
    }

    @Test
    void eventsStoredOutOfOrderVerifyWithAnyOrder() throws IOException {
        Collections.swap(lines, 6, 7);
        Files.write(events, lines);
        final CliRun verify = run("lineage", "verify", "--any-order", "--head", head.hash(), events.toString());
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().endsWith("OK: 20 events on 1 chain, every link intact" + System.lineSeparator()), verify.out());
    }

    @Test
    void aTruncatedChainIsReportedAgainstTheExpectedHead() throws IOException {
        Files.write(events, lines.subList(0, EVENTS - 1));
        final CliRun verify = run("lineage", "verify", "--head", head.hash(), events.toString());
        assertEquals(1, verify.exitCode());
        assertTrue(verify.out().contains("BROKEN at line 20: no chain ends at the expected head " + head.hash()), verify.out());
    }

    @Test
    void anUnreadableFileIsAUsageError() {
        final CliRun verify = run("lineage", "verify", dir.resolve("missing.jsonl").toString());
        assertEquals(2, verify.exitCode());
        assertTrue(verify.err().startsWith("error: no such file"), verify.err());
    }
}
