package io.github.deepc.anomaly.models.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A closed detector says so, whatever its model, fitted or not, instead of "not fitted". */
class ClosedDetectorTest {
    private static final List<String> SCORERS = List.of("masked-mse", "knn", "distance", "discriminator", "anomaly-map");

    private static AnomalyDetector build(String model) {
        for (String scorer : SCORERS) {
            try {
                return AnomalyDetector.builder().pipeline(TestPipelines.basic(32)).model(PluginSpec.of(model))
                        .scorer(PluginSpec.of(scorer)).seed(1).build();
            } catch (IllegalArgumentException incompatible) {
                // the next scorer may fit this model's outputs
            }
        }
        throw new AssertionError("no scorer of " + SCORERS + " fits model " + model);
    }

    @Test
    void everyModelClosedSaysDetectorIsClosed() {
        GrayImage image = HandPhantomGenerator.ofSize(32).normals(1, 1).get(0).image();
        List<String> models = PluginRegistry.defaultRegistry().models().ids();
        assertTrue(models.size() >= 10, "models found: " + models);
        for (String model : models) {
            AnomalyDetector d = build(model);
            d.close();
            IllegalStateException score = assertThrows(IllegalStateException.class, () -> d.score(image), model);
            assertEquals("detector is closed: create or load a new one", score.getMessage(), model);
            IllegalStateException fit = assertThrows(IllegalStateException.class,
                    () -> d.fitImages(List.of(image), ProgressListener.NONE), model);
            assertTrue(fit.getMessage().startsWith("detector is closed"), model + ": " + fit.getMessage());
        }
    }

    @Test
    void fittedThenClosedSaysClosedNotUnfitted() {
        List<GrayImage> normals = new ArrayList<>();
        for (Phantom p : HandPhantomGenerator.ofSize(32).normals(1, 12)) {
            normals.add(p.image());
        }
        AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.basic(32))
                .model(PluginSpec.of("pca", "components", "4")).scorer(PluginSpec.of("masked-mse")).build();
        d.fitImages(normals, ProgressListener.NONE);
        assertFalse(Double.isNaN(d.score(normals.get(0)).score()));
        d.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.score(normals.get(0)));
        assertTrue(e.getMessage().startsWith("detector is closed"), e.getMessage());
    }
}
