package io.github.deepc.anomaly.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.DetectorCatalogs;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinesTest {
    @TempDir
    Path dir;

    @Test
    void namesAreStable() {
        assertEquals(List.of("default", "recommended", "chest", "hand", "none"), Pipelines.names());
    }

    @Test
    void defaultIsTheDetectorDefault() {
        assertEquals(DetectorDefaults.pipeline(DetectorDefaults.SIZE), Pipelines.named("default"));
    }

    @Test
    void everyNamedPipelineTakesASizeAndTheCatalogueResolvesSizeSuffixes() {
        assertEquals(DetectorDefaults.recommendedPipeline(32), Pipelines.named("recommended", 32));
        assertEquals(List.of(), Pipelines.named("none", 32));
        List<PluginSpec> hand32 = Pipelines.named("hand", 32);
        assertEquals(List.of(PluginSpec.of("resize", "size", "32"), PluginSpec.of("pad", "size", "32")),
                hand32.stream().filter(s -> s.params().containsKey("size")).toList());
        assertEquals(hand32, DetectorCatalogs.pipeline("hand-32", 64));
        assertEquals(Pipelines.named("chest", 48), DetectorCatalogs.pipeline("chest", 48));
        assertThrows(PluginException.class, () -> DetectorCatalogs.pipeline("hand-4", 64), "below the smallest size");
    }

    @Test
    void chestAndHandAddContrastStagesToTheDefault() {
        List<String> chest = Pipelines.named("chest").stream().map(PluginSpec::id).toList();
        List<String> hand = Pipelines.named("hand").stream().map(PluginSpec::id).toList();
        assertEquals(List.of("clahe", "resize", "pad", "normalize"), chest);
        assertEquals(List.of("median", "clahe", "resize", "pad", "normalize"), hand);
    }

    @Test
    void everyNamedPipelineBuildsAndRuns() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        for (String name : List.of("default", "recommended", "chest", "hand")) {
            Pipeline p = Pipeline.create(Pipelines.named(name), registry);
            GrayImage out = p.apply(body(120, 90), false, 1L).image();
            assertEquals(64, out.width(), name);
            assertEquals(64, out.height(), name);
            float[] r = out.validRange();
            assertEquals(0f, r[0], 0f, name);
            assertEquals(1f, r[1], 1e-6f, name);
            assertTrue(Pipelines.json(name).contains("\"stages\""), name);
        }
    }

    @Test
    void loadPrefersAnExistingFileThenAName() throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, Pipeline.toJson(List.of(PluginSpec.of("median", "kernel", "5"))));
        assertEquals(List.of(PluginSpec.of("median", "kernel", "5")), Pipelines.load(file.toString()));
        assertEquals(Pipelines.named("hand"), Pipelines.load("hand"));
        // a file called like a name wins over the name
        Path chest = dir.resolve("chest");
        Files.writeString(chest, Pipeline.toJson(List.of(PluginSpec.of("equalize"))));
        assertEquals(List.of(PluginSpec.of("equalize")), Pipelines.load(chest.toString()));
    }

    @Test
    void unknownNameOrMissingFileListsTheNames() {
        IOException e = assertThrows(IOException.class, () -> Pipelines.load("knee"));
        assertTrue(e.getMessage().contains("'knee'") && e.getMessage().contains("default, recommended, chest, hand, none"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> Pipelines.load(dir.resolve("missing.json").toString()));
        assertTrue(e.getMessage().contains("missing.json") && e.getMessage().contains("not found"), e.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> Pipelines.named("knee"));
        assertTrue(i.getMessage().contains("default, recommended, chest, hand, none"), i.getMessage());
    }

    @Test
    void aBrokenFileIsReportedAsSuch() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"stages\": 3");
        IOException e = assertThrows(IOException.class, () -> Pipelines.load(bad.toString()));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    }

    /** A bright elliptic body on a dark background, 8-bit grey levels. */
    private static GrayImage body(int w, int h) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - (w - 1) / 2.0) / (w / 2.0);
                double dy = (y - (h - 1) / 2.0) / (h / 2.0);
                p[y * w + x] = (float) Math.round(255 * (0.1 + 0.75 * Math.exp(-(dx * dx + dy * dy) * 2.5)));
            }
        }
        return GrayImage.of(w, h, p, null);
    }
}
