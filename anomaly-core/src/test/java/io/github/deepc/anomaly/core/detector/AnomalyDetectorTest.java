package io.github.deepc.anomaly.core.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.TestImages;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyDetectorTest {
    @TempDir
    Path tmp;
    private final PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());

    private AnomalyDetector.Builder builder() {
        return AnomalyDetector.builder().registry(registry)
                .pipeline(List.of(PluginSpec.of("test-scale", "factor", "0.5")))
                .model(PluginSpec.of("test-mean")).scorer(PluginSpec.of("test-mse")).seed(7);
    }

    private DataSet data() {
        for (int i = 0; i < 6; i++) {
            TestImages.png(tmp.resolve("data/NORMAL/n" + i + ".png"), 16, i, false);
        }
        for (int i = 0; i < 3; i++) {
            TestImages.png(tmp.resolve("data/ABNORMAL/a" + i + ".png"), 16, 100 + i, true);
        }
        return ClassFolderLayout.withNormalClass("NORMAL").load(tmp.resolve("data"));
    }

    @Test
    void fitScoreSaveLoadGivesIdenticalScores() throws IOException {
        DataSet ds = data();
        try (AnomalyDetector d = builder().build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            BatchResult<Detection> before = d.scoreAll(ds.samples(), ProgressListener.NONE);
            assertTrue(before.failures().isEmpty());
            double meanNormal = before.results().stream().filter(x -> !x.sample().isAbnormal()).mapToDouble(Detection::score).average().orElseThrow();
            double meanAbnormal = before.results().stream().filter(x -> x.sample().isAbnormal()).mapToDouble(Detection::score).average().orElseThrow();
            assertTrue(meanAbnormal > meanNormal, "the bright squares are abnormal");
            Path file = tmp.resolve("out/test.detector");
            d.save(file);
            try (AnomalyDetector loaded = AnomalyDetector.load(file, registry)) {
                BatchResult<Detection> after = loaded.scoreAll(ds.samples(), ProgressListener.NONE);
                for (int i = 0; i < before.results().size(); i++) {
                    assertEquals(Double.doubleToRawLongBits(before.results().get(i).score()),
                            Double.doubleToRawLongBits(after.results().get(i).score()));
                }
                assertEquals(d.config(), loaded.config());
                assertEquals(6, loaded.provenance().trainingImages());
                assertEquals(7, loaded.provenance().seed());
                assertEquals(System.getProperty("java.version"), loaded.provenance().javaVersion());
            }
        }
    }

    @Test
    void imagesAndSamplesGetTheSameKindOfResultAndReport() throws IOException {
        DataSet ds = data();
        try (AnomalyDetector fromFiles = builder().build(); AnomalyDetector fromImages = builder().build()) {
            TrainingReport files = fromFiles.fit(ds.normals(), ProgressListener.NONE);
            List<io.github.deepc.anomaly.core.image.GrayImage> images = new ArrayList<>();
            for (var s : ds.normals()) {
                images.add(DataSet.load(s));
            }
            TrainingReport inMemory = fromImages.fitImages(images, ProgressListener.NONE);
            assertEquals(List.of(), inMemory.failures());
            assertEquals(files.summary().epochs(), inMemory.summary().epochs());
            fromFiles.setThreshold(new Threshold(0.5, "fixed", "test"));
            var sample = ds.abnormals().get(0);
            Detection bySample = fromFiles.score(sample);
            Detection byImage = fromFiles.score(DataSet.load(sample));
            assertEquals(sample, bySample.sample());
            assertEquals(null, byImage.sample(), "an in-memory image has no sample");
            assertEquals(bySample.score(), byImage.score(), 0.0);
            assertEquals(bySample.decision(), byImage.decision());
            assertTrue(java.util.Arrays.equals(bySample.preprocessed().pixels(), byImage.preprocessed().pixels()));
        }
    }

    @Test
    void aBuilderWithoutPartsAndWithoutPresetsSaysWhatToAdd() {
        // anomaly-core's tests have no anomaly-presets on the class path
        PluginException e = assertThrows(PluginException.class, () -> AnomalyDetector.builder().registry(registry).build());
        assertTrue(e.getMessage().contains("anomaly-presets") && e.getMessage().contains("pipeline, model and scorer"),
                e.getMessage());
    }

    @Test
    void withScorerSharesTheFittedModelAndFitsTheNewScorer() throws IOException {
        DataSet ds = data();
        try (AnomalyDetector mse = builder().build()) {
            mse.fit(ds.normals(), ProgressListener.NONE);
            List<Double> shared;
            try (AnomalyDetector latent = mse.withScorer(PluginSpec.of("test-latent"), ds.normals(), ProgressListener.NONE)) {
                assertEquals("test-latent", latent.config().scorer().id());
                shared = latent.scoreAll(ds.samples(), ProgressListener.NONE).results().stream().map(Detection::score).toList();
            }
            // closing the derived detector leaves the shared model usable
            assertEquals(ds.size(), mse.scoreAll(ds.samples(), ProgressListener.NONE).results().size());
            try (AnomalyDetector fresh = builder().scorer(PluginSpec.of("test-latent")).build()) {
                fresh.fit(ds.normals(), ProgressListener.NONE);
                assertEquals(fresh.scoreAll(ds.samples(), ProgressListener.NONE).results().stream().map(Detection::score).toList(),
                        shared);
            }
            assertThrows(PluginException.class, () -> mse.withScorer(PluginSpec.of("test-disc"), ds.normals(), ProgressListener.NONE));
        }
    }

    @Test
    void scorerThatNeedsMissingOutputsFailsAtBuildTime() {
        PluginException e = assertThrows(PluginException.class, () -> builder().scorer(PluginSpec.of("test-disc")).build());
        assertTrue(e.getMessage().contains("test-disc") && e.getMessage().contains("DISCRIMINATOR_PROBABILITY")
                && e.getMessage().contains("test-mse"), e.getMessage());
    }

    @Test
    void batchJobsReportBadFilesAndGoOn() throws IOException {
        DataSet ds = data();
        Files.writeString(tmp.resolve("data/NORMAL/broken.png"), "not a png");
        DataSet withBroken = ClassFolderLayout.withNormalClass("NORMAL").load(tmp.resolve("data"));
        List<String> reported = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override
            public void onItemFailed(String item, String reason) {
                reported.add(item);
            }
        };
        try (AnomalyDetector d = builder().build()) {
            TrainingReport r = d.fit(withBroken.normals(), l);
            assertEquals(1, r.failures().size());
            assertEquals(6, r.summary().images());
            BatchResult<Detection> scored = d.scoreAll(withBroken.samples(), l);
            assertEquals(ds.size(), scored.results().size());
            assertEquals(1, scored.failures().size());
            assertTrue(scored.failures().get(0).item().endsWith("broken.png"));
            assertEquals(2, reported.size());
        }
    }

    @Test
    void corruptAndIncompatibleFilesAreClearErrors() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.detector"), "hello");
        IOException e = assertThrows(IOException.class, () -> AnomalyDetector.load(junk, registry));
        assertTrue(e.getMessage().contains("junk.detector"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> AnomalyDetector.load(tmp.resolve("none.detector"), registry));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        // a detector saved with plugins this registry lacks
        DataSet ds = data();
        try (AnomalyDetector d = builder().build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            d.save(tmp.resolve("ok.detector"));
        }
        PluginRegistry empty = PluginRegistry.load(new ClassLoader(null) {
        });
        IOException incompatible = assertThrows(IOException.class, () -> AnomalyDetector.load(tmp.resolve("ok.detector"), empty));
        assertTrue(incompatible.getMessage().contains("test-scale"), incompatible.getMessage());
    }

    @Test
    void scoringBeforeFittingIsAnError() {
        try (AnomalyDetector d = builder().build()) {
            assertThrows(IllegalStateException.class, () -> d.scoreAll(List.of(), ProgressListener.NONE));
        }
    }

    @Test
    void pipelineJsonRoundTrip() throws IOException {
        List<PluginSpec> specs = List.of(PluginSpec.of("test-scale", "factor", "2"), PluginSpec.of("test-scale"));
        Path f = tmp.resolve("p.json");
        Pipeline.create(specs, registry).write(f);
        assertEquals(specs, Pipeline.readSpecs(f));
        Files.writeString(f, "{\"stagez\": 1}");
        IOException e = assertThrows(IOException.class, () -> Pipeline.readSpecs(f));
        assertTrue(e.getMessage().contains("p.json"), e.getMessage());
    }
}
