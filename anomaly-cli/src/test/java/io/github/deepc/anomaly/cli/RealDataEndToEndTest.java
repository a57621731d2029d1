package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.presets.DetectorPreset;
import io.github.deepc.anomaly.core.detector.TrainingReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.eval.scores.Evaluation;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.split.PatientSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the default detector on part of the real normals of the shared data sets (patient-grouped) and scores
 * held-out normals plus abnormal images. Skipped, with a message, where {@code ../shared/data} is absent.
 */
class RealDataEndToEndTest {
    private static final Path SHARED = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"));
    @TempDir
    Path tmp;

    private static Path dataOrSkip(String relative) {
        Path p = SHARED.resolve(relative);
        Assumptions.assumeTrue(Files.isDirectory(p), "real data not found at " + p.toAbsolutePath()
                + " (set -Danomaly.shared.dir); skipping the real-data end-to-end test");
        return p;
    }

    /** The recommended detector (equalize, PCA, cosine kNN) separates pneumonia from normal even at 32 px. */
    @Test
    void chestXraysPatientGroupedWithTheRecommendedDetector() throws IOException {
        Evaluation e = run(dataOrSkip("data/chest-xray/train"), "NORMAL", 240, 60, AnomalyDetector.builder()
                .pipeline(DetectorDefaults.recommendedPipeline(32)));
        assertTrue(e.rocAuc() > 0.7, "ROC-AUC " + e.rocAuc());
    }

    /** The hand preset ranks fractures above held-out normals at 32 px, better than chance. */
    @Test
    void handXraysWithTheHandPreset() throws IOException {
        DetectorPreset hand = DetectorPreset.HAND;
        Evaluation e = run(dataOrSkip("data/hand-xray"), "NORMAL", 400, 60, AnomalyDetector.builder()
                .pipeline(hand.pipeline(32)).model(hand.model()).scorer(hand.scorer()));
        assertTrue(e.rocAuc() > 0.55, "ROC-AUC " + e.rocAuc());
    }

    /** The reference CAE trains and scores end to end on the noisy hand radiographs. */
    @Test
    void handXraysWithTheReferenceCae() throws IOException {
        run(dataOrSkip("data/hand-xray"), "NORMAL", 240, 60, AnomalyDetector.builder().pipeline(DetectorDefaults.pipeline(32))
                .model(PluginSpec.of("cae", "epochs", "2")).scorer(PluginSpec.of("masked-mse")));
    }

    private Evaluation run(Path root, String normalClass, int trainImages, int perClass, AnomalyDetector.Builder builder)
            throws IOException {
        DataSet ds = ClassFolderLayout.withNormalClass(normalClass).loadForTraining(root);
        PatientSplit split = PatientSplit.of(ds.normals(), 0.7, 1);
        List<Sample> train = split.first().subList(0, Math.min(trainImages, split.first().size()));
        List<Sample> test = new ArrayList<>(split.second().subList(0, Math.min(perClass, split.second().size())));
        PatientSplit abnormal = PatientSplit.of(ds.abnormals(), 0.5, 2);
        test.addAll(abnormal.first().subList(0, Math.min(perClass, abnormal.first().size())));

        Set<String> trainPatients = new HashSet<>(train.stream().map(Sample::patientId).toList());
        test.forEach(s -> assertTrue(!trainPatients.contains(s.patientId()), "patient in train and test: " + s.patientId()));

        try (AnomalyDetector d = builder.seed(5).normalClass(normalClass).build()) {
            TrainingReport report = d.fit(train, ProgressListener.NONE);
            assertEquals(train.size(), report.summary().images());
            assertTrue(report.failures().isEmpty(), report.failures().toString());
            assertTrue(Double.isFinite(report.summary().finalLoss()), "loss " + report.summary().finalLoss());

            BatchResult<Detection> scored = d.scoreAll(test, ProgressListener.NONE);
            assertTrue(scored.failures().isEmpty(), scored.failures().toString());
            assertEquals(test.size(), scored.results().size());
            List<ScoreRow> rows = scored.results().stream()
                    .map(x -> new ScoreRow(x.sample().path().toString(), x.sample().patientId(), x.sample().label(), x.score()))
                    .toList();
            rows.forEach(r -> assertTrue(Double.isFinite(r.score()) && r.score() >= 0, "score " + r));
            Evaluation e = Evaluation.of(rows);
            assertEquals(2 * perClass, e.count());
            assertEquals(perClass, e.positives());

            Path file = tmp.resolve("real.detector");
            d.save(file);
            try (AnomalyDetector loaded = AnomalyDetector.load(file)) {
                BatchResult<Detection> again = loaded.scoreAll(test, ProgressListener.NONE);
                for (int i = 0; i < test.size(); i++) {
                    assertEquals(scored.results().get(i).score(), again.results().get(i).score(), 0.0,
                            "reloaded detector scores identically");
                }
            }
            return e;
        }
    }
}
