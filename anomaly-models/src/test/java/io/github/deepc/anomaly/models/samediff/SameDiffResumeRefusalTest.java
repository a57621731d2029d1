package io.github.deepc.anomaly.models.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.FileCheckpoints;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: the autoencoders and the deep one-class models write no checkpoints on {@code engine=samediff}, so a
 * resume is refused with one line that names the option and says to use {@code engine=direct}, before any training
 * (rather than silently starting over); without a resume they train as before, writing no checkpoint.
 */
class SameDiffResumeRefusalTest {
    @TempDir
    Path tmp;

    private static AnomalyModel samediff(String id) {
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            if (p.id().equals(id)) {
                return p.create(Map.of("engine", "samediff", "epochs", "1", "batch-size", "4"));
            }
        }
        throw new AssertionError("no model " + id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cae", "bottleneck-cae", "vae", "deep-svdd", "deep-one-class"})
    void aResumeOnSameDiffIsRefusedNamingTheOption(String id) throws Exception {
        List<GrayImage> images = TestImages.blobs(8, 16, 2, 3);
        Path file = tmp.resolve(id + ".checkpoint");
        try (AnomalyModel m = samediff(id)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(images,
                    new TrainingContext(5, ProgressListener.NONE, new FileCheckpoints(file, "run", true))));
            String message = e.getMessage();
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.contains("engine=samediff") && message.contains("cannot resume")
                    && message.contains("engine=direct") && message.contains("without --resume"), message);
            assertThrows(IllegalStateException.class, () -> m.infer(images), "nothing was trained");
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void withoutAResumeSameDiffTrainsAndWritesNoCheckpoint() throws Exception {
        List<GrayImage> images = TestImages.blobs(8, 16, 2, 3);
        Path file = tmp.resolve("cae.checkpoint");
        try (AnomalyModel m = samediff("cae")) {
            assertEquals(1, m.fit(images, new TrainingContext(5, ProgressListener.NONE,
                    new FileCheckpoints(file, "run", false))).epochs());
            assertEquals(images.size(), m.infer(images).size());
        }
        assertFalse(Files.exists(file));
    }
}
