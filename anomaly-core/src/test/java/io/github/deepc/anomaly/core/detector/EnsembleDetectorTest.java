package io.github.deepc.anomaly.core.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.TestImages;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ensembles of detectors and stages that learn from the training images, with the core's test plugins. */
class EnsembleDetectorTest {
    @TempDir
    Path tmp;
    private final PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());

    private DataSet data() {
        for (int i = 0; i < 10; i++) {
            TestImages.png(tmp.resolve("data/NORMAL/n" + i + ".png"), 16, i, false);
        }
        for (int i = 0; i < 4; i++) {
            TestImages.png(tmp.resolve("data/ABNORMAL/a" + i + ".png"), 16, 100 + i, true);
        }
        return ClassFolderLayout.withNormalClass("NORMAL").load(tmp.resolve("data"));
    }

    private AnomalyDetector.Builder ensemble(ScoreCalibration.Method combine) {
        return AnomalyDetector.builder().registry(registry).seed(3)
                .pipeline(List.of(PluginSpec.of("test-scale", "factor", "0.5")))
                .model(PluginSpec.of("test-mean")).scorer(PluginSpec.of("test-mse"))
                .member(List.of(PluginSpec.of("test-centre")), PluginSpec.of("test-mean"), PluginSpec.of("test-mse"))
                .combine(combine);
    }

    @Test
    void ensembleScoresAreTheMeanOfCalibratedMemberScoresAndSurviveSaveLoad() throws IOException {
        DataSet ds = data();
        for (ScoreCalibration.Method method : ScoreCalibration.Method.values()) {
            try (AnomalyDetector d = ensemble(method).build()) {
                assertTrue(d.isEnsemble());
                d.fit(ds.normals(), ProgressListener.NONE);
                BatchResult<Detection> scores = d.scoreAll(ds.samples(), ProgressListener.NONE);
                assertTrue(scores.failures().isEmpty());
                double normal = scores.results().stream().filter(x -> !x.sample().isAbnormal()).mapToDouble(Detection::score).max().orElseThrow();
                double abnormal = scores.results().stream().filter(x -> x.sample().isAbnormal()).mapToDouble(Detection::score).min().orElseThrow();
                assertTrue(abnormal > normal, method + ": every bright square scores above every normal image");
                // one sample scored alone equals its batch score
                Detection single = d.score(ds.samples().get(0));
                assertEquals(scores.results().get(0).score(), single.score(), 0.0);
                assertNotNull(single.heatmap(), "the first detector's heat map");
                // the fitted stage's learned parameter is in the saved configuration
                String offset = d.config().members().get(0).pipeline().get(0).params().get("offset");
                assertFalse(offset == null || offset.isEmpty());
                Path file = tmp.resolve("ensemble-" + method.word() + ".detector");
                d.save(file);
                assertEquals(List.of("detector.json", "model.bin", "scorer.bin", "member-1/model.bin", "member-1/scorer.bin"),
                        entries(file));
                try (AnomalyDetector loaded = AnomalyDetector.load(file, registry)) {
                    assertTrue(loaded.isEnsemble());
                    assertEquals(d.config(), loaded.config());
                    BatchResult<Detection> again = loaded.scoreAll(ds.samples(), ProgressListener.NONE);
                    for (int i = 0; i < scores.results().size(); i++) {
                        assertEquals(Double.doubleToRawLongBits(scores.results().get(i).score()),
                                Double.doubleToRawLongBits(again.results().get(i).score()));
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameEnsembleScores() {
        DataSet ds = data();
        double[] first = null;
        for (int run = 0; run < 2; run++) {
            try (AnomalyDetector d = ensemble(ScoreCalibration.Method.ROBUST_Z).build()) {
                d.fit(ds.normals(), ProgressListener.NONE);
                double[] s = d.scoreAll(ds.samples(), ProgressListener.NONE).results().stream().mapToDouble(Detection::score).toArray();
                if (first == null) {
                    first = s;
                } else {
                    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void ensembleNeedsTwoNormalsAndRefusesWithScorer() {
        DataSet ds = data();
        try (AnomalyDetector d = ensemble(ScoreCalibration.Method.RANK).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.fit(ds.normals().subList(0, 1), ProgressListener.NONE));
            assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
            d.fit(ds.normals(), ProgressListener.NONE);
            assertThrows(IllegalStateException.class,
                    () -> d.withScorer(PluginSpec.of("test-mse"), ds.normals(), ProgressListener.NONE));
        }
    }

    @Test
    void fittedStageLearnsFromTrainingImagesAndPipelineWaitsForIt() throws IOException {
        DataSet ds = data();
        try (AnomalyDetector d = AnomalyDetector.builder().registry(registry).seed(3)
                .pipeline(List.of(PluginSpec.of("test-scale", "factor", "2"), PluginSpec.of("test-centre")))
                .model(PluginSpec.of("test-mean")).scorer(PluginSpec.of("test-mse")).build()) {
            assertNull(d.pipeline(), "no pipeline before the stage has learned");
            d.fit(ds.normals(), ProgressListener.NONE);
            assertNotNull(d.pipeline());
            float offset = Float.parseFloat(d.config().pipeline().get(1).params().get("offset"));
            assertTrue(offset > 0, "learned after the scale stage: " + offset);
            Path file = tmp.resolve("fitted-stage.detector");
            d.save(file);
            try (AnomalyDetector loaded = AnomalyDetector.load(file, registry)) {
                assertEquals(d.config().pipeline(), loaded.config().pipeline());
                assertEquals(d.score(ds.samples().get(3)).score(), loaded.score(ds.samples().get(3)).score(), 0.0);
            }
        }
    }

    @Test
    void testTimeShiftsAverageTheScoresOfShiftedCopiesAndAreSaved() throws IOException {
        DataSet ds = data();
        // no stages, so the shifted copies of the preprocessed image are shifted copies of the raw one
        AnomalyDetector.Builder b = AnomalyDetector.builder().registry(registry).seed(3).pipeline(List.of())
                .model(PluginSpec.of("test-mean")).scorer(PluginSpec.of("test-mse"));
        try (AnomalyDetector plain = b.build(); AnomalyDetector tta = b.testTimeAugmentation(4).build()) {
            plain.fit(ds.normals(), ProgressListener.NONE);
            tta.fit(ds.normals(), ProgressListener.NONE);
            GrayImage img = DataSet.load(ds.samples().get(11));
            double expected = plain.score(img).score();
            for (GrayImage shifted : TestTimeShifts.of(img, 4)) {
                expected += plain.score(shifted).score();
            }
            assertEquals(expected / 5, tta.score(img).score(), 1e-12);
            assertEquals(tta.score(ds.samples().get(11)).score(), tta.score(img).score(), 0.0);
            Path file = tmp.resolve("tta.detector");
            tta.save(file);
            try (AnomalyDetector loaded = AnomalyDetector.load(file, registry)) {
                assertEquals(4, loaded.config().testTimeShifts());
                assertEquals(tta.score(img).score(), loaded.score(img).score(), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> AnomalyDetector.builder().testTimeAugmentation(9));
    }

    @Test
    void shiftedCopiesMoveThePixelsAndMarkTheVacatedOnesInvalid() {
        float[] px = new float[100];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        GrayImage img = GrayImage.of(10, 10, px, null);
        List<GrayImage> copies = TestTimeShifts.of(img, 2);
        // d = max(1, round(0.3)) = 1: first right, then left
        assertEquals(img.get(3, 4), copies.get(0).get(4, 4));
        assertFalse(copies.get(0).isValid(0, 4));
        assertEquals(img.get(5, 4), copies.get(1).get(4, 4));
        assertFalse(copies.get(1).isValid(9, 4));
    }

    @Test
    void robustZAndRankCalibration() {
        ScoreCalibration c = ScoreCalibration.of(new double[] {5, 1, 3, 2, 4});
        assertEquals(3.0, c.median());
        assertEquals(1.4826, c.scale(), 1e-12); // MAD of {2,2,0,1,1} is 1
        assertEquals((7 - 3) / 1.4826, c.normalise(7, ScoreCalibration.Method.ROBUST_Z), 1e-12);
        assertEquals(0.5, c.normalise(3, ScoreCalibration.Method.RANK), 1e-12); // 2 below, one tie counted half
        assertEquals(1.0, c.normalise(9, ScoreCalibration.Method.RANK));
        assertEquals(0.0, c.normalise(0, ScoreCalibration.Method.RANK));
        ScoreCalibration constant = ScoreCalibration.of(new double[] {2, 2, 2});
        assertEquals(1.0, constant.scale(), "no spread at all: unit scale");
        assertThrows(IllegalArgumentException.class, () -> ScoreCalibration.of(new double[0]));
    }

    private static List<String> entries(Path file) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
