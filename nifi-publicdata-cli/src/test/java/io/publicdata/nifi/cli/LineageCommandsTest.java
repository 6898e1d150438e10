package io.publicdata.nifi.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.lineage.HashAlgorithm;
import io.publicdata.nifi.lineage.LineageChain;
import io.publicdata.nifi.lineage.LineageEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineageCommandsTest {

    @TempDir
    Path dir;
    private final List<String> events = new ArrayList<>();
    private LineageChain.Head head;

    @BeforeEach
    void writeChain() throws IOException {
        head = LineageChain.Head.start("node-1");
        for (int i = 0; i < 12; i++) {
            final ObjectNode event = LineageEvents.runEvent(new LineageEvents.Facts(Instant.ofEpochSecond(1_790_000_000L + i), UUID.randomUUID(),
                    "ns", "flow", new LineageEvents.Dataset("gov", "in"), new LineageEvents.Dataset("gov", "out"), i, "00".repeat(32), 10,
                    Map.of("grantId", "G-1"), "L3", "L3=" + i, null, Map.of("/idCard", "MASK")));
            head = LineageChain.append(event, head, HashAlgorithm.SM3);
            events.add(event.toString());
            // one file per event, as PutFile writes EmitLineage's output; names sort 1, 10, 11, 2 ... as text
            Files.writeString(dir.resolve("node-1-" + (i + 1) + ".json"), event.toString());
        }
        Files.writeString(dir.resolve("chain.jsonl"), String.join("\n", events) + "\n");
    }

    @Test
    void aFolderOfEventFilesVerifiesInSequenceOrder() {
        final CliRun run = CliRun.run("lineage", "verify", dir.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("VERIFIED 12 events on 1 chain"), run.out());
        assertTrue(run.out().contains("node-1  #12  " + head.hash()), run.out());
    }

    @Test
    void aBrokenLinkIsReportedWithItsFileAndLine() throws IOException {
        final Path jsonl = dir.resolve("chain.jsonl");
        final List<String> edited = new ArrayList<>(events);
        edited.set(6, edited.get(6).replace("\"L3\":6", "\"L3\":0"));
        Files.writeString(jsonl, String.join("\n", edited) + "\n");
        final CliRun run = CliRun.run("lineage", "verify", jsonl.toString());
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().startsWith("BROKEN at " + jsonl + ":7: chain 'node-1' sequence 7: the event does not hash to its stated hash"), run.out());
        assertTrue(run.out().contains("6 events verified before it"), run.out());
    }

    @Test
    void aKnownHeadFindsDeletedLastEvents() throws IOException {
        Files.delete(dir.resolve("node-1-12.json"));
        assertEquals(0, CliRun.run("lineage", "verify", dir.toString()).exitCode());
        final CliRun run = CliRun.run("lineage", "verify", "--head", "node-1=" + head.hash(), dir.toString());
        assertEquals(PublicDataCli.DENIED, run.exitCode());
        assertTrue(run.out().contains("ends at sequence 11"), run.out());
    }

    /**
     * The attack of issue 11: a forged second {@code outputs} member in front of the genuine one. A lenient parser keeps
     * the last (genuine) one, so the hash still verified, while a reader that keeps the first shows the forged output.
     */
    @Test
    void aRepeatedMemberIsRefusedEvenWhenTheHashWouldVerify() throws IOException {
        final Path jsonl = dir.resolve("chain.jsonl");
        final List<String> forged = new ArrayList<>(events);
        final String genuine = forged.get(4);
        assertTrue(genuine.contains("\"outputs\":["), genuine);
        forged.set(4, genuine.replaceFirst("\\{", "{\"outputs\":[{\"namespace\":\"gov\",\"name\":\"somewhere-else\"}],"));
        Files.writeString(jsonl, String.join("\n", forged) + "\n");
        final CliRun run = CliRun.run("lineage", "verify", jsonl.toString());
        assertEquals(PublicDataCli.DENIED, run.exitCode(), run.out());
        assertTrue(run.out().startsWith("BROKEN at " + jsonl + ":5: not one event but two readings of it: Duplicate field 'outputs'"), run.out());

        // A second event glued to the first on one line is refused too
        forged.set(4, genuine + " " + genuine);
        Files.writeString(jsonl, String.join("\n", forged) + "\n");
        final CliRun glued = CliRun.run("lineage", "verify", jsonl.toString());
        assertEquals(PublicDataCli.DENIED, glued.exitCode(), glued.out());
        assertTrue(glued.out().startsWith("BROKEN at " + jsonl + ":5: not a JSON event"), glued.out());
    }
}
