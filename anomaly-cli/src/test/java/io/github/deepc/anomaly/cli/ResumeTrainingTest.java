package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 10: a training killed with {@code kill -9} after a checkpoint continues with {@code train --resume}
 * and ends with the detector an uninterrupted run gives (every score bit for bit); a damaged checkpoint or one of
 * other arguments is refused with a one-line error.
 */
class ResumeTrainingTest {
    private static final int EPOCHS = 6;

    @TempDir
    static Path tmp;
    private static Path data;
    /** A pristine checkpoint left by the killed run (a copy: the tests resume from copies of it). */
    private static Path killedCheckpoint;
    private static String killedLog;

    @BeforeAll
    static void trainAndKill() throws Exception {
        data = tmp.resolve("data");
        // enough 32 px images that an epoch takes a noticeable time: the kill must land between two epochs
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 160, 8, 11);
        Path killed = tmp.resolve("killed.detector");
        Path log = tmp.resolve("killed.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), AnomalyCli.class.getName()));
        command.addAll(List.of(train(killed)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(ThreadBindingLauncher.MARKER);
        pb.environment().remove(ThreadBindingLauncher.PARENT_PID);
        pb.environment().put("OMP_PROC_BIND", "false"); // no relaunch: the process killed is the one training
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(checkpointOf(killed)) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        killedLog = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(Files.exists(checkpointOf(killed)), "no checkpoint was written: " + killedLog);
        assertFalse(Files.exists(killed), "the kill must land before the end of training: " + killedLog);
        killedCheckpoint = Files.copy(checkpointOf(killed), tmp.resolve("pristine.checkpoint"));
    }

    private static String[] train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--normal-class", "NORMAL",
                "--model", "cae", "--size", "32", "--out", out.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", Integer.toString(EPOCHS)));
        }
        if (!args.contains("--seed")) {
            args.addAll(List.of("--seed", "5"));
        }
        return args.toArray(String[]::new);
    }

    private static Path checkpointOf(Path detector) {
        return detector.resolveSibling(detector.getFileName() + ".checkpoint");
    }

    /** @return a detector path whose checkpoint is a copy of the killed run's */
    private static Path withKilledCheckpoint(String name) throws Exception {
        Path out = tmp.resolve(name + ".detector");
        Files.copy(killedCheckpoint, checkpointOf(out));
        return out;
    }

    @Test
    void killedTrainingResumesToTheUninterruptedResult() throws Exception {
        Path reference = tmp.resolve("reference.detector");
        CliRun.Result r = run(train(reference));
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(checkpointOf(reference)), "a finished training removes its checkpoint");
        assertFalse(killedLog.contains("epoch " + EPOCHS + "/" + EPOCHS), killedLog);

        Path resumed = withKilledCheckpoint("resumed");
        CliRun.Result again = run(train(resumed, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming from " + checkpointOf(resumed)), again.err());
        assertFalse(again.err().contains("epoch 1/" + EPOCHS), "resumed, not restarted: " + again.err());
        assertTrue(again.err().contains("epoch " + EPOCHS + "/" + EPOCHS), again.err());
        assertFalse(Files.exists(checkpointOf(resumed)), "a finished training removes its checkpoint");

        // the abnormal images and as many normal ones
        List<Sample> all = ClassFolderLayout.withNormalClass("NORMAL").load(data).samples();
        List<Sample> samples = new ArrayList<>(all.subList(0, 8));
        samples.addAll(all.subList(all.size() - 8, all.size()));
        try (AnomalyDetector a = AnomalyDetector.load(reference); AnomalyDetector b = AnomalyDetector.load(resumed)) {
            for (Sample s : samples) {
                double x = a.score(s).score();
                double y = b.score(s).score();
                assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(y),
                        s.id() + ": uninterrupted " + x + ", resumed " + y);
            }
        }
    }

    @Test
    void aCheckpointOfOtherArgumentsOrDataIsRefused() throws Exception {
        Path out = withKilledCheckpoint("other");
        CliRun.assertOneLineError(run(train(out, "--resume", "--json", "--seed", "6")), checkpointOf(out).toString(),
                "other arguments", "without --resume");
        CliRun.assertOneLineError(run(train(out, "--resume", "--json", "--limit", "150")), checkpointOf(out).toString(),
                "other data or model options", "without --resume");
        assertTrue(Files.exists(checkpointOf(out)), "a refused checkpoint is left as it was");
        assertFalse(Files.exists(out));
        // without --resume the training starts over, saying so, and replaces the checkpoint
        CliRun.Result fresh = run(train(out, "--epochs", "1"));
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("starting over"), fresh.err());
        assertFalse(Files.exists(checkpointOf(out)));
    }

    @Test
    void aTruncatedOrCorruptCheckpointIsRefused() throws Exception {
        Path out = withKilledCheckpoint("damaged");
        Path cp = checkpointOf(out);
        byte[] whole = Files.readAllBytes(cp);
        for (int cut : new int[] {0, 3, 20, whole.length / 2, whole.length - 1}) {
            Files.write(cp, Arrays.copyOf(whole, cut));
            CliRun.assertOneLineError(run(train(out, "--resume", "--json")), cp.toString(), "cannot resume");
        }
        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 0x10;
        Files.write(cp, flipped);
        CliRun.assertOneLineError(run(train(out, "--resume", "--json")), cp.toString(), "truncated or corrupt");
        Files.writeString(cp, "not a checkpoint at all");
        CliRun.assertOneLineError(run(train(out, "--resume", "--json")), cp.toString(), "not a training checkpoint");
        assertFalse(Files.exists(out), "nothing is saved from a refused checkpoint");
    }
}
