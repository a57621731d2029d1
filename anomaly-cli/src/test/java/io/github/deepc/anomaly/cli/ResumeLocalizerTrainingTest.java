package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 for {@code defect-localizer}: a training killed with {@code kill -9} after a checkpoint continues with
 * {@code train --resume} in another JVM and ends with the detector an uninterrupted run gives, every score and heat
 * map bit for bit (the synthetic-defect stream is put back where the finished epochs left it, and the checkpoint's key
 * does not depend on a JVM's set order).
 */
class ResumeLocalizerTrainingTest {
    private static final int EPOCHS = 8;

    @TempDir
    Path tmp;

    private String[] train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--normal-class", "NORMAL",
                "--model", "defect-localizer", "--scorer", "anomaly-map", "--param", "channels=8", "--size", "32", "--epochs", Integer.toString(EPOCHS), "--seed", "5", "--out",
                out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path checkpointOf(Path detector) {
        return detector.resolveSibling(detector.getFileName() + ".checkpoint");
    }

    @Test
    void killedLocalizerTrainingResumesToTheUninterruptedResult() throws Exception {
        Path data = tmp.resolve("data");
        // enough 32 px images and epochs that the rest of the training outlasts the kill after the first checkpoint
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 240, 8, 11);
        Path resumed = tmp.resolve("resumed.detector");
        Path log = tmp.resolve("killed.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), AnomalyCli.class.getName()));
        command.addAll(List.of(train(data, resumed)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(ThreadBindingLauncher.MARKER);
        pb.environment().remove(ThreadBindingLauncher.PARENT_PID);
        pb.environment().put("OMP_PROC_BIND", "false"); // no relaunch: the process killed is the one training
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(checkpointOf(resumed)) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        String killedLog = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(Files.exists(checkpointOf(resumed)), "no checkpoint was written: " + killedLog);
        assertFalse(Files.exists(resumed), "the kill must land before the end of training: " + killedLog);

        CliRun.Result again = run(train(data, resumed, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming from " + checkpointOf(resumed)), again.err());
        assertFalse(again.err().contains("epoch 1/" + EPOCHS), "resumed, not restarted: " + again.err());
        assertTrue(again.err().contains("epoch " + EPOCHS + "/" + EPOCHS), again.err());
        assertFalse(Files.exists(checkpointOf(resumed)), "a finished training removes its checkpoint");

        Path reference = tmp.resolve("reference.detector");
        CliRun.Result r = run(train(data, reference));
        assertEquals(0, r.code(), r.err());

        List<Sample> all = ClassFolderLayout.withNormalClass("NORMAL").load(data).samples();
        List<Sample> samples = new ArrayList<>(all.subList(0, 8));
        samples.addAll(all.subList(all.size() - 8, all.size()));
        try (AnomalyDetector a = AnomalyDetector.load(reference); AnomalyDetector b = AnomalyDetector.load(resumed)) {
            for (Sample s : samples) {
                Detection x = a.score(s);
                Detection y = b.score(s);
                assertEquals(Double.doubleToLongBits(x.score()), Double.doubleToLongBits(y.score()),
                        s.id() + ": uninterrupted " + x.score() + ", resumed " + y.score());
                assertTrue(x.heatmapIfAny().isPresent(), s.id() + ": a heat map");
                assertArrayEquals(x.heatmapIfAny().get().pixels(), y.heatmapIfAny().get().pixels(), s.id());
            }
        }
    }
}
