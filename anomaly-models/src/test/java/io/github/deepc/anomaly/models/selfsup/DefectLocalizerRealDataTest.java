package io.github.deepc.anomaly.models.selfsup;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A small end-to-end run of {@code defect-localizer} + {@code anomaly-map} on each shared data set through a complete
 * detector (recommended pipeline at 32 px, 3 epochs on 96 normals): every score finite with a heat map of the image's
 * size, and the saved and reloaded detector scores identically. Plumbing on real data, not accuracy (the README has
 * the measured quality). Skipped when the shared data folder is absent.
 */
class DefectLocalizerRealDataTest {
    private static final int SIZE = 32;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"chest-xray/train", "hand-xray", "adult-chest-xray"})
    void trainsScoresAndReloadsOnRealRadiographs(String folder) throws Exception {
        Path root = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"), "data").resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("NORMAL")),
                "shared data not found at " + root.toAbsolutePath() + " (set -Danomaly.shared.dir)");
        DataSet ds = DataSets.detect(root, "NORMAL");
        List<Sample> normals = new ArrayList<>(ds.normals());
        List<Sample> abnormals = new ArrayList<>(ds.abnormals());
        normals.sort(Comparator.comparing(Sample::id));
        abnormals.sort(Comparator.comparing(Sample::id));
        List<Sample> train = normals.subList(0, 96);
        List<Sample> probe = new ArrayList<>(normals.subList(normals.size() - 8, normals.size()));
        probe.addAll(abnormals.subList(0, 8));
        PluginSpec model = PluginSpec.of("defect-localizer", "epochs", "3", "batch-size", "16", "channels", "8",
                "depth", "3");
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.equalized(SIZE))
                .model(model).scorer(PluginSpec.of("anomaly-map", "reduce", "top-k-mean")).seed(5).build()) {
            TrainingSummary s = d.fit(train, ProgressListener.NONE).summary();
            assertEquals(3, s.epochs());
            assertTrue(Double.isFinite(s.finalLoss()), "final loss " + s.finalLoss());
            BatchResult<Detection> res = d.scoreAll(probe, ProgressListener.NONE);
            assertTrue(res.failures().isEmpty(), "failures: " + res.failures());
            assertEquals(16, res.results().size());
            for (Detection det : res.results()) {
                assertTrue(Double.isFinite(det.score()) && det.score() >= 0 && det.score() <= 1,
                        det.sample().id() + " score " + det.score());
                assertEquals(SIZE * SIZE, det.heatmapIfAny().orElseThrow().size());
            }
            Path file = tmp.resolve("localizer.detector");
            d.save(file);
            try (AnomalyDetector again = AnomalyDetector.load(file)) {
                List<Detection> reloaded = again.scoreAll(probe, ProgressListener.NONE).results();
                for (int i = 0; i < probe.size(); i++) {
                    assertEquals(res.results().get(i).score(), reloaded.get(i).score(), 0.0,
                            "score of " + probe.get(i).id() + " after reload");
                }
            }
            System.out.printf(Locale.ROOT, "defect-localizer on %s (%d px, 3 epochs, 96 images): loss %.4f, %.0f img/s%n",
                    folder, SIZE, s.finalLoss(), s.imagesPerSecond());
        }
    }
}
