package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 with the tool in its own JVM: no orphan writer after a kill, memory independent of the image count. */
class ProcessReliabilityTest {
    @TempDir
    Path tmp;

    /** The tool as a separate JVM with {@code heap}, its output going to {@code log}. */
    private static ProcessBuilder tool(String heap, Path log, boolean relaunch, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AnomalyCli.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove(ThreadBindingLauncher.MARKER);
        env.remove(ThreadBindingLauncher.PARENT_PID);
        if (relaunch) {
            env.remove("OMP_PROC_BIND");
        } else {
            env.put("OMP_PROC_BIND", "false");
        }
        return pb;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static ProcessHandle childOf(Process parent) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Optional<ProcessHandle> c = parent.toHandle().children().findFirst();
            if (c.isPresent()) {
                return c.get();
            }
            assertTrue(parent.isAlive(), "the tool ended before relaunching itself");
            Thread.sleep(50);
        }
        throw new AssertionError("the tool did not relaunch itself in a child JVM");
    }

    /** kill -9 (or SIGTERM) of the visible process stops the relaunched child before it writes anything. */
    private void killedParentLeavesNoWriter(boolean forcibly) throws Exception {
        Path data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 40, 0, 1);
        Path out = Files.createDirectories(tmp.resolve("out-" + forcibly));
        Path log = tmp.resolve("log-" + forcibly + ".txt");
        Process parent = tool("256m", log, true, "train", "--data", data.toString(), "--normal-class", "NORMAL",
                "--model", "cae", "--size", "32", "--epochs", "1000", "--out", out.resolve("cae.detector").toString())
                .start();
        try {
            ProcessHandle child = childOf(parent);
            Thread.sleep(3000); // let the child get going
            assertTrue(child.isAlive(), Files.readString(log, StandardCharsets.UTF_8));
            if (forcibly) {
                parent.destroyForcibly();
            } else {
                parent.destroy();
            }
            parent.waitFor(30, TimeUnit.SECONDS);
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the child must not outlive its parent");
            // the per-epoch checkpoint (for train --resume) may be there: nothing else
            assertEquals(List.of(), files(out).stream().filter(f -> !f.getFileName().toString().endsWith(
                    ".checkpoint")).toList(), "no detector and no temporary file");
        } finally {
            parent.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    @Test
    void killNineOfTheToolStopsItsChild() throws Exception {
        killedParentLeavesNoWriter(true);
    }

    @Test
    void sigtermOfTheToolIsForwardedToItsChild() throws Exception {
        killedParentLeavesNoWriter(false);
    }

    /**
     * 20,000 images scored under a 64 MiB heap: the results go to the file as they are produced. Before they did,
     * every result (preprocessed image included, 5 KB at 32 px) stayed in memory until the end.
     */
    @Test
    void scoringTwentyThousandImagesNeedsNoMoreHeapThanScoringAFew() throws Exception {
        Path data = tmp.resolve("data");
        List<Path> seeds = new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 40, 0, 7)
                .normalFiles();
        Path detector = tmp.resolve("pca.detector");
        CliRun.Result t = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--out", detector.toString());
        assertEquals(0, t.code(), t.err());
        Path many = Files.createDirectories(tmp.resolve("many/NORMAL"));
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            Files.copy(seeds.get(i % seeds.size()), many.resolve(String.format("img%05d.png", i)));
        }
        Path scores = tmp.resolve("many.csv");
        Path log = tmp.resolve("many.log");
        Process p = tool("64m", log, false, "score", "--detector", detector.toString(), "--data",
                many.getParent().toString(), "--out", scores.toString(), "--json").start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "timed out: " + output);
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertEquals(count, ScoresCsv.read(scores).size());
    }
}
