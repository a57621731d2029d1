package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.assertOneLineError;
import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} refuses a pipeline whose output range the model cannot take before it reads a single image: the
 * training images here are not images at all, so reading one would end in a different error.
 */
class ValueRangeCliTest {
    @TempDir
    Path tmp;

    private Path garbageData() throws IOException {
        Path normal = Files.createDirectories(tmp.resolve("data/NORMAL"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(normal.resolve("n" + i + ".png"), "not an image " + i, StandardCharsets.US_ASCII);
        }
        return tmp.resolve("data");
    }

    private Path pipeline(String name, String stages) throws IOException {
        return Files.writeString(tmp.resolve(name + ".json"), "{\"stages\":[" + stages + "]}");
    }

    @Test
    void trainWithAPipelineOutsideTheModelsRangeStopsBeforeReadingImages() throws IOException {
        Path data = garbageData();
        Path out = tmp.resolve("cae.detector");
        Path equalized = pipeline("equalized", "{\"id\":\"equalize\"},{\"id\":\"resize\"},{\"id\":\"pad\"}");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "cae",
                "--pipeline", equalized.toString(), "--size", "32", "--epochs", "1", "--out", out.toString());
        assertOneLineError(r, "model 'cae' needs pixel values in [0, 1] (parameter output-activation=sigmoid)",
                "the pipeline gives [0, 255] (set by stage 'equalize')", "end the pipeline with stage 'normalize range=unit'");
        assertFalse(r.err().contains("could be used") || r.err().contains("training "), "no image was read: " + r.err());
        assertFalse(Files.exists(out));

        // the GAN's range parameter is what counts: a symmetric pipeline for a unit-range GAN
        Path symmetric = pipeline("symmetric", "{\"id\":\"resize\"},{\"id\":\"pad\"},"
                + "{\"id\":\"normalize\",\"params\":{\"range\":\"symmetric\"}}");
        r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "dcgan", "--pipeline",
                symmetric.toString(), "--size", "32", "--epochs", "1", "--out", out.toString());
        assertOneLineError(r, "model 'dcgan' needs pixel values in [0, 1] (parameter range=unit)",
                "the pipeline gives [-1, 1] (set by stage 'normalize')");
    }

    @Test
    void aFittingPipelineGoesOnToReadTheImages() throws IOException {
        Path data = garbageData();
        Path normalized = pipeline("normalized", "{\"id\":\"equalize\"},{\"id\":\"resize\"},{\"id\":\"pad\"},"
                + "{\"id\":\"normalize\"}");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "cae",
                "--pipeline", normalized.toString(), "--size", "32", "--epochs", "1", "--out",
                tmp.resolve("cae.detector").toString());
        assertTrue(r.code() != 0, r.out() + r.err());
        assertTrue(r.err().contains("none of the 3 training images could be used"), r.err());
        assertFalse(r.err().contains("needs pixel values"), r.err());
    }
}
