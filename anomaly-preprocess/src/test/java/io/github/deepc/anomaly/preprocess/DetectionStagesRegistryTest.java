package io.github.deepc.anomaly.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionStagesRegistryTest {
    @TempDir
    Path dir;

    @Test
    void theFourStagesAreDiscovered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        List<String> ids = registry.stages().ids();
        assertTrue(ids.containsAll(List.of("square-crop", "body-part-crop", "marker-removal", "segment")), ids.toString());
        assertInstanceOf(SquareCropStageProvider.class, registry.stages().get("square-crop"));
        assertInstanceOf(BodyPartCropStageProvider.class, registry.stages().get("body-part-crop"));
        assertInstanceOf(MarkerRemovalStageProvider.class, registry.stages().get("marker-removal"));
        assertInstanceOf(SegmentStageProvider.class, registry.stages().get("segment"));
    }

    @Test
    void aPipelineOfTheStagesRunsFromItsJsonAndCollectsTheNotes() throws Exception {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, new float[][] {{0, 1, 0.9f, 0.1f, 0.1f, 0.9f, 0.9f}}, 7);
        List<PluginSpec> specs = List.of(PluginSpec.of("square-crop"), PluginSpec.of("marker-removal"),
                PluginSpec.of("body-part-crop", "model", model.toString(), "input-size", "32", "margin", "0"),
                PluginSpec.of("segment", "method", "grabcut", "iterations", "2"), PluginSpec.of("resize", "size", "32"));
        Path file = dir.resolve("pipeline.json");
        Files.writeString(file, Pipeline.toJson(specs));
        Pipeline p = Pipeline.create(Pipeline.readSpecs(file), registry);
        int w = 200;
        int h = 160;
        GrayImage film = GrayImage.of(w, h, Drawn.scannedFilm(w, h, new Rectangle2D.Double(30, 20, 140, 120), 70, 200, 9), null);
        ProcessedImage a = p.apply(film, false, 3L);
        ProcessedImage b = p.apply(film, false, 3L);
        assertEquals(a.image(), b.image());
        assertEquals(32, Math.max(a.image().width(), a.image().height()));
        assertTrue(a.notes().stream().anyMatch(n -> n.startsWith("square-crop: cropped to")), a.notes().toString());
        assertTrue(a.notes().stream().anyMatch(n -> n.startsWith("body-part-crop: cropped to")), a.notes().toString());
    }
}
