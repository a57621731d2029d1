package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessRegistryTest {
    @Test
    void stagesAreDiscovered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        List<String> ids = registry.stages().ids();
        assertTrue(ids.containsAll(List.of("resize", "pad", "normalize")), ids.toString());
        assertTrue(registry.stages().failures().isEmpty(), registry.stages().failures().toString());
        assertInstanceOf(ResizeStageProvider.class, registry.stages().get("resize"));
        assertInstanceOf(PadStageProvider.class, registry.stages().get("pad"));
        assertInstanceOf(NormalizeStageProvider.class, registry.stages().get("normalize"));
    }

    @Test
    void openCvDecoderIsPreferred(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path png = dir.resolve("a.png");
        java.nio.file.Files.write(png, new byte[] {1});
        assertInstanceOf(OpenCvImageDecoder.class, ImageDecoders.decoderFor(png));
        assertEquals("opencv > imageio", ImageDecoders.preferred().name());
        assertEquals(List.of("imageio", "opencv"), PluginRegistry.defaultRegistry().decoders().ids());
        assertInstanceOf(OpenCvImageDecoder.class, ImageDecoders.decoder("opencv"));
        var unknown = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.deepc.anomaly.core.spi.PluginException.class, () -> ImageDecoders.decoder("jpeg2000"));
        assertEquals("unknown decoder 'jpeg2000'; available: imageio, opencv", unknown.getMessage());
    }

    @Test
    void pipelineOfTheThreeStagesRuns() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        Pipeline p = Pipeline.create(List.of(PluginSpec.of("resize", "size", "32"), PluginSpec.of("pad", "size", "32"),
                PluginSpec.of("normalize", "range", "symmetric")), registry);
        ProcessedImage out = p.apply(TestImages.ramp(100, 50), false, 1L);
        GrayImage img = out.image();
        assertEquals(32, img.width());
        assertEquals(32, img.height());
        assertEquals(32 * 16, img.validCount());
        float[] r = img.validRange();
        assertEquals(-1f, r[0], 0f);
        assertEquals(1f, r[1], 1e-6f);
        for (int x = 0; x < 32; x++) {
            assertEquals(-1f, img.get(x, 0), 0f, "padding has the lower bound");
        }
    }
}
