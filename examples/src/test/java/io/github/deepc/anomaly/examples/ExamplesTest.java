package io.github.deepc.anomaly.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example as a user would, so they keep compiling and working. */
class ExamplesTest {
    @TempDir
    Path tmp;

    private static String capture(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void trainAndScoreOnAFolder() throws Exception {
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(tmp, 24, 6, 3);
        String out = capture(() -> TrainAndScore.main(new String[] {tmp.toString(), "NORMAL", "1"}));
        assertTrue(out.lines().count() >= 30, out);
        assertTrue(out.contains("ABNORMAL"), out);
        assertTrue(Files.size(tmp.resolve("detector.zip")) > 0);
    }

    @Test
    void customPluginsArePickedUpById() throws Exception {
        PluginRegistry r = PluginRegistry.defaultRegistry();
        assertTrue(r.stages().ids().contains("example-gamma"));
        assertTrue(r.scorers().ids().contains("example-max-error"));
        String out = capture(() -> CustomPlugins.main(new String[0]));
        assertTrue(out.contains("FRACTURE") && out.contains("max-error score"), out);
    }
}
