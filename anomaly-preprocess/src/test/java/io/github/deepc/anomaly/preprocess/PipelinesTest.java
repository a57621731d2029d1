package io.github.deepc.anomaly.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.Pipeline;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
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
        assertEquals(List.of("default", "chest", "hand"), Pipelines.names());
    }

    @Test
    void defaultIsTheDetectorDefault() {
        assertEquals(DetectorDefaults.pipeline(DetectorDefaults.SIZE), Pipelines.named("default"));
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
        for (String name : Pipelines.names()) {
            Pipeline p = Pipeline.create(Pipelines.named(name), registry);
            GrayImage out = p.apply(Radiographs.bodyFilling(120, 90, 1, 255f), false, 1L).image();
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
        assertTrue(e.getMessage().contains("'knee'") && e.getMessage().contains("default, chest, hand"), e.getMessage());
        e = assertThrows(IOException.class, () -> Pipelines.load(dir.resolve("missing.json").toString()));
        assertTrue(e.getMessage().contains("missing.json") && e.getMessage().contains("not found"), e.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> Pipelines.named("knee"));
        assertTrue(i.getMessage().contains("default, chest, hand"), i.getMessage());
    }

    @Test
    void aBrokenFileIsReportedAsSuch() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"stages\": 3");
        IOException e = assertThrows(IOException.class, () -> Pipelines.load(bad.toString()));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    }
}
