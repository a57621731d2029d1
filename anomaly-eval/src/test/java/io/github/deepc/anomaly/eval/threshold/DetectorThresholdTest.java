package io.github.deepc.anomaly.eval.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional threshold of a detector file: saved, loaded, applied; files without one still load. */
class DetectorThresholdTest {
    @TempDir
    Path tmp;

    @Test
    void thresholdIsSavedLoadedAndApplied() throws IOException {
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(tmp.resolve("data"), 8, 2, 1);
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(tmp.resolve("data"));
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(List.of()).model(PluginSpec.of("test-mean"))
                .scorer(PluginSpec.of("test-mse")).build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            Path plain = tmp.resolve("plain.detector");
            d.save(plain);
            try (ZipFile z = new ZipFile(plain.toFile())) {
                String manifest = new String(z.getInputStream(z.getEntry("detector.json")).readAllBytes(), StandardCharsets.UTF_8);
                assertFalse(manifest.contains("threshold"), "no threshold field without a threshold: " + manifest);
            }
            try (AnomalyDetector loaded = AnomalyDetector.load(plain)) {
                assertTrue(loaded.threshold().isEmpty());
                assertEquals(OptionalInt.empty(), loaded.score(ds.samples().get(0)).decision());
            }

            double cut = d.score(ds.abnormals().get(0)).score();
            Threshold t = new Threshold(cut, "f1", "test");
            d.setThreshold(t);
            Path with = tmp.resolve("with.detector");
            d.save(with);
            try (AnomalyDetector loaded = AnomalyDetector.load(with)) {
                assertEquals(t, loaded.threshold().orElseThrow());
                for (Detection det : loaded.scoreAll(ds.samples(), ProgressListener.NONE).results()) {
                    assertEquals(det.score() >= cut ? 1 : 0, det.decision().getAsInt());
                    assertEquals(t, det.threshold());
                }
                assertEquals(OptionalInt.of(1), loaded.decision(cut));
                assertEquals(OptionalInt.of(0), loaded.decision(Math.nextDown(cut)));
                loaded.setThreshold(null);
                assertTrue(loaded.threshold().isEmpty());
            }
        }
    }
}
