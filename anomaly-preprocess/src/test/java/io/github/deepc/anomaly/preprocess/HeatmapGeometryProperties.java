package io.github.deepc.anomaly.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.heatmap.HeatmapGeometry;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A heat map computed on the resized, padded image maps back onto the spot of the original it came from. */
class HeatmapGeometryProperties {
    private static final PluginRegistry REGISTRY = PluginRegistry.defaultRegistry();

    @Property(tries = 40)
    void aSpotInTheOriginalComesBackToItsPlace(@ForAll @IntRange(min = 40, max = 300) int width,
                                               @ForAll @IntRange(min = 40, max = 300) int height,
                                               @ForAll @IntRange(min = 0, max = 99) int px,
                                               @ForAll @IntRange(min = 0, max = 99) int py) {
        // a bright square of a tenth of the short side at a relative position (px, py) %
        int side = Math.max(4, Math.min(width, height) / 10);
        int x0 = (width - side) * px / 100;
        int y0 = (height - side) * py / 100;
        float[] p = new float[width * height];
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                p[y * width + x] = 1f;
            }
        }
        GrayImage original = GrayImage.of(width, height, p, null);
        Pipeline pipeline = Pipeline.create(List.of(PluginSpec.of("resize", "size", "64"), PluginSpec.of("pad", "size", "64"),
                PluginSpec.of("normalize")), REGISTRY);
        // the preprocessed image stands in for a heat map: same geometry, padding invalid
        GrayImage heat = pipeline.apply(original, false, 1).image();
        GrayImage back = HeatmapGeometry.toOriginal(heat, width, height);
        assertEquals(width, back.width());
        assertEquals(height, back.height());
        double sum = 0;
        double cx = 0;
        double cy = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = back.get(x, y);
                sum += v;
                cx += v * (x + 0.5);
                cy += v * (y + 0.5);
            }
        }
        double scale = Math.max(width, height) / 64.0;
        assertEquals(x0 + side / 2.0, cx / sum, 1.5 * scale + 1, "x centre");
        assertEquals(y0 + side / 2.0, cy / sum, 1.5 * scale + 1, "y centre");
    }

    @Test
    void aCroppedMapIsRefusedSayingWhy() {
        GrayImage square = GrayImage.filled(64, 64, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeatmapGeometry.toOriginal(square, 300, 100));
        assertTrue(e.getMessage().contains("only resize and pad can be undone"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeatmapGeometry.toOriginal(square, 0, 10));
    }
}
