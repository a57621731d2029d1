package io.github.deepc.anomaly.models.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's master seed is the only source of randomness: two detectors built with the same seed and fitted on
 * the same images score bit for bit alike, and another seed trains another network (the CAE's initial weights and
 * batch order come from it), so the scores differ.
 */
class DetectorSeedingTest {
    @TempDir
    static Path tmp;
    private static DataSet data;

    @BeforeAll
    static void writeData() throws IOException {
        Path dir = tmp.resolve("phantoms");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(dir, 16, 6, 13);
        data = ClassFolderLayout.withNormalClass("NORMAL").load(dir);
    }

    private static double[] scores(long seed) {
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.equalized(32))
                .model(PluginSpec.of("cae", "epochs", "1", "batch-size", "8")).scorer(PluginSpec.of("masked-mse"))
                .seed(seed).build()) {
            d.fit(data.normals(), ProgressListener.NONE);
            return d.scoreAll(data.samples(), ProgressListener.NONE).results().stream()
                    .mapToDouble(Detection::score).toArray();
        }
    }

    @Test
    void theSameSeedGivesTheSameScoresAndAnotherSeedOthers() {
        double[] first = scores(21);
        double[] again = scores(21);
        double[] other = scores(22);
        assertArrayEquals(first, again, 0.0, "same seed, same scores bit for bit");
        assertFalse(Arrays.equals(first, other), "another seed trained another network");
    }
}
