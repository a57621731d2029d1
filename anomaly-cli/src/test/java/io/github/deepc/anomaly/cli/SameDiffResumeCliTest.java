package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: {@code train --resume} of a model on {@code engine=samediff}, which writes no checkpoints, ends with a
 * one-line error that names the option and says to use {@code engine=direct} (or to train without {@code --resume}),
 * instead of silently training from the start; nothing is saved.
 */
class SameDiffResumeCliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"cae", "deep-svdd"})
    void resumingASameDiffTrainingIsRefusedInOneLine(String model) throws Exception {
        Path data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 8, 2, 11);
        Path out = tmp.resolve(model + ".detector");
        CliRun.assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", model,
                        "--param", "engine=samediff", "--size", "32", "--epochs", "1", "--seed", "5", "--out",
                        out.toString(), "--resume", "--json"),
                "engine=samediff", "cannot resume", "engine=direct", "without --resume");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".checkpoint")));
    }
}
