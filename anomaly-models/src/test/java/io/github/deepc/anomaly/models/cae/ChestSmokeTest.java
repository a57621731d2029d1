package io.github.deepc.anomaly.models.cae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A small run of each autoencoder on real radiographs through a complete detector (resize, pad, normalise at 32 px):
 * trains 2 epochs on 96 normal chest X-rays and scores 16 other normals and 16 pneumonia images. It checks that the
 * plumbing works on real data (every score finite, heat maps where promised), not accuracy. Skipped when the shared
 * data folder is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChestSmokeTest {
    private static final int SIZE = 32;

    private List<Sample> train;
    private List<Sample> probe;

    @BeforeAll
    void findData() {
        Path chest = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"), "data", "chest-xray", "train");
        Assumptions.assumeTrue(Files.isDirectory(chest.resolve("NORMAL")) && Files.isDirectory(chest.resolve("PNEUMONIA")),
                "chest X-ray data not found at " + chest.toAbsolutePath() + " (set -Danomaly.shared.dir)");
        DataSet ds = DataSets.detect(chest, "NORMAL");
        List<Sample> normals = new ArrayList<>(ds.normals());
        List<Sample> pneumonia = new ArrayList<>(ds.abnormals());
        normals.sort(Comparator.comparing(Sample::id));
        pneumonia.sort(Comparator.comparing(Sample::id));
        train = normals.subList(0, 96);
        probe = new ArrayList<>(normals.subList(normals.size() - 16, normals.size()));
        probe.addAll(pneumonia.subList(0, 16));
    }

    @ParameterizedTest
    @CsvSource({
        "cae, reference, masked-mse, true",
        "bottleneck-cae, 8, top-k-se, true",
        "vae, 8, vae-loss, true"})
    void trainsAndScoresRealRadiographs(String model, String channels, String scorer, boolean heatmap) {
        // the reference CAE as it is; the others with 8 first-stage channels to keep the test short
        PluginSpec m = channels.equals("reference") ? PluginSpec.of(model, "epochs", "2", "batch-size", "16")
                : PluginSpec.of(model, "epochs", "2", "batch-size", "16", "channels", channels);
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.basic(SIZE)).model(m)
                .scorer(PluginSpec.of(scorer)).seed(3).build()) {
            TrainingSummary s = d.fit(train, ProgressListener.NONE).summary();
            assertEquals(2, s.epochs());
            assertTrue(Double.isFinite(s.finalLoss()), "final loss " + s.finalLoss());
            BatchResult<Detection> res = d.scoreAll(probe, ProgressListener.NONE);
            assertTrue(res.failures().isEmpty(), "failures: " + res.failures());
            assertEquals(32, res.results().size());
            double normal = 0;
            double pneumonia = 0;
            for (Detection det : res.results()) {
                assertTrue(Double.isFinite(det.score()), det.sample().id() + " score " + det.score());
                assertEquals(heatmap, det.heatmapIfAny().isPresent(), "heat map of " + scorer);
                if (det.sample().isAbnormal()) {
                    pneumonia += det.score() / 16;
                } else {
                    normal += det.score() / 16;
                }
            }
            System.out.printf(Locale.ROOT, "%s + %s on chest (%d px, 2 epochs, 96 images): loss %.5f, mean score "
                    + "normal %.5g, pneumonia %.5g%n", model, scorer, SIZE, s.finalLoss(), normal, pneumonia);
        }
    }
}
