package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.presets.DetectorPreset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.presets.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorRecipeTest {
    private final PluginRegistry registry = PluginRegistry.defaultRegistry();
    @TempDir
    Path tmp;

    private DetectorConfig config(DetectorRecipe recipe) throws IOException {
        return recipe.resolve(registry, null).buildConfig();
    }

    @Test
    void theDefaultRecipeIsTheDefaultBuilderIsTheGeneralPreset() throws IOException {
        DetectorConfig recipe = config(DetectorRecipe.defaults());
        assertEquals(AnomalyDetector.builder().buildConfig(), recipe);
        assertEquals(AnomalyDetector.builder().preset(DetectorPreset.GENERAL).buildConfig(), recipe);
        assertEquals(Seeds.DEFAULT_SEED, recipe.seed());
        assertEquals(DetectorDefaults.recommendedPipeline(DetectorRecipe.DEFAULT_SIZE), recipe.pipeline());
    }

    @Test
    void aPresetAsItIsKeepsItsEnsembleMembersAtTheRecipeSize() throws IOException {
        DetectorConfig chest = config(DetectorRecipe.defaults().withPreset("CHEST").withSize(32));
        assertTrue(chest.isEnsemble());
        assertEquals(AnomalyDetector.builder().preset(DetectorPreset.CHEST, 32).buildConfig(), chest);
        // naming a model makes it a single detector
        assertFalse(config(DetectorRecipe.defaults().withPreset("chest").withModel(PluginSpec.of("nmf"))).isEnsemble());
        PluginException e = assertThrows(PluginException.class, () -> config(DetectorRecipe.defaults().withPreset("knee")));
        assertTrue(e.getMessage().contains("general, chest, hand, non-xray"), e.getMessage());
    }

    @Test
    void theSizeReachesEveryStageThatDeclaresItWhateverThePipelineReference() throws IOException {
        assertEquals(Pipelines.named("hand", 48), config(DetectorRecipe.defaults().withSize(48)
                .withPipeline(new PipelineRef.Named("hand"))).pipeline());
        Path file = tmp.resolve("p.json");
        Files.writeString(file, Pipeline.toJson(List.of(PluginSpec.of("median", "kernel", "5"), PluginSpec.of("resize"),
                PluginSpec.of("pad", "size", "64"), PluginSpec.of("normalize"))));
        List<PluginSpec> fromFile = config(DetectorRecipe.defaults().withSize(40)
                .withPipeline(PipelineRef.parse(file.toString()))).pipeline();
        assertEquals(List.of(PluginSpec.of("median", "kernel", "5"), PluginSpec.of("resize", "size", "40"),
                PluginSpec.of("pad", "size", "40"), PluginSpec.of("normalize")), fromFile);
        List<PluginSpec> inline = config(DetectorRecipe.defaults().withSize(40)
                .withPipeline(new PipelineRef.Inline(List.of(PluginSpec.of("resize"), PluginSpec.of("pad"))))).pipeline();
        assertEquals(List.of(PluginSpec.of("resize", "size", "40"), PluginSpec.of("pad", "size", "40")), inline);
        // without a size a file stays as written
        assertEquals(PluginSpec.of("resize"), config(DetectorRecipe.defaults()
                .withPipeline(new PipelineRef.FromFile(file))).pipeline().get(1));
        IOException unknown = assertThrows(IOException.class, () -> config(DetectorRecipe.defaults()
                .withPipeline(PipelineRef.parse("knee"))));
        assertTrue(unknown.getMessage().contains("default, recommended, chest, hand, none"), unknown.getMessage());
    }

    @Test
    void aNamedModelGetsAScorerThatFitsItAndEpochsOnlyWhereDeclared() throws IOException {
        DetectorConfig cae = config(DetectorRecipe.defaults().withModel(PluginSpec.of("cae")).withEpochs(3).withSize(32));
        assertEquals(PluginSpec.of("cae", "epochs", "3"), cae.model());
        assertEquals(PluginSpec.of("masked-mse"), cae.scorer());
        DetectorConfig nmf = config(DetectorRecipe.defaults().withModel(PluginSpec.of("nmf")).withEpochs(3));
        assertEquals(PluginSpec.of("nmf"), nmf.model(), "nmf is not trained in epochs");
        assertEquals(DetectorPreset.GENERAL.scorer(), nmf.scorer(), "the preset's scorer fits a latent model");
        DetectorConfig params = config(DetectorRecipe.defaults().withParams(Map.of("components", "8"), Map.of("k", "7")));
        assertEquals(PluginSpec.of("pca", "components", "8"), params.model());
        assertEquals("7", params.scorer().params().get("k"));
    }

    @Test
    void aSizeTheModelCannotTakeIsRefusedWhenTheRecipeIsBuilt() {
        PluginException e = assertThrows(PluginException.class, () -> DetectorRecipe.defaults().withSize(100)
                .withModel(PluginSpec.of("cae")).resolve(registry, null).build());
        assertTrue(e.getMessage().contains("multiples of 8") && e.getMessage().contains("96 or 104"), e.getMessage());
    }
}
