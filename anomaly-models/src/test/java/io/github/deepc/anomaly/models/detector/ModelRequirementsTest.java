package io.github.deepc.anomaly.models.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.preprocessing.ImageSizes;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import io.github.deepc.anomaly.models.TestPipelines;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Models declare what input they need and which scorer suits them; the registry and the detector use it. */
class ModelRequirementsTest {
    private final PluginRegistry registry = PluginRegistry.defaultRegistry();

    @Test
    void aSizeTheModelCannotTakeFailsWhenTheDetectorIsBuiltNamingTheRequirement() {
        PluginException e = assertThrows(PluginException.class, () -> AnomalyDetector.builder()
                .pipeline(TestPipelines.basic(100)).model(PluginSpec.of("cae")).scorer(PluginSpec.of("masked-mse")).build());
        assertTrue(e.getMessage().contains("'cae'") && e.getMessage().contains("multiples of 8")
                && e.getMessage().contains("96 or 104") && e.getMessage().contains("size=100"), e.getMessage());
        // the requirement follows the model's parameters: depth 4 needs multiples of 16
        e = assertThrows(PluginException.class, () -> AnomalyDetector.builder().pipeline(TestPipelines.basic(40))
                .model(PluginSpec.of("cae", "architecture", "custom", "depth", "4")).scorer(PluginSpec.of("masked-mse")).build());
        assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
        for (String model : List.of("dcgan", "deep-svdd", "defect-localizer", "vae")) {
            assertThrows(PluginException.class, () -> AnomalyDetector.builder().pipeline(TestPipelines.basic(36))
                    .model(PluginSpec.of(model)).scorer(registry.defaultScorer(model, null).orElseThrow()).build(), model);
        }
    }

    @Test
    void sidesTheModelTakesBuildAndModelsWithoutRequirementsTakeAnySide() {
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.basic(96)).model(PluginSpec.of("cae"))
                .scorer(PluginSpec.of("masked-mse")).build()) {
            assertEquals("cae", d.config().model().id());
        }
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.basic(37)).model(PluginSpec.of("pca"))
                .scorer(PluginSpec.of("knn")).build()) {
            assertEquals(Optional.of(new ImageSizes.Side("pad", "size", 37)), ImageSizes.side(d.config().pipeline(), registry));
        }
        assertEquals(InputRequirements.ANY, registry.models().get("pca").inputRequirements(
                registry.models().validate(PluginSpec.of("pca"))));
        assertEquals(Optional.empty(), ImageSizes.side(List.of(PluginSpec.of("equalize")), registry), "no stage sets a size");
    }

    @Test
    void theRegistryAnswersWhichScorersFitAModelAndTheDefault() {
        List<String> forCae = registry.scorersFor("cae").stream().map(ScorerProvider::id).toList();
        assertTrue(forCae.contains("masked-mse") && forCae.contains("top-k-se") && !forCae.contains("knn"), forCae.toString());
        PluginSpec knn = PluginSpec.of("knn", "k", "3");
        assertEquals(Optional.of(knn), registry.defaultScorer("pca", knn), "the preferred scorer when it fits");
        assertEquals("masked-mse", registry.defaultScorer("cae", knn).orElseThrow().id());
        assertEquals("discriminator", registry.defaultScorer("dcgan", knn).orElseThrow().id());
        assertEquals("distance", registry.defaultScorer("deep-svdd", null).orElseThrow().id());
        assertEquals("anomaly-map", registry.defaultScorer("patch-memory", knn).orElseThrow().id());
        assertTrue(registry.incompatibility(PluginSpec.of("cae"), knn).orElseThrow().contains("scorers that fit this model"));
        assertEquals(Optional.empty(), registry.incompatibility(PluginSpec.of("pca"), knn));
        // the same text in every JVM run (it lands in experiment results): kinds in their declaration order
        assertEquals("scorer 'distance' needs [DISTANCE] but model 'vae' produces only [RECONSTRUCTION, LATENT, "
                + "KL_DIVERGENCE]; scorers that fit this model: [dbscan, kl, knn, masked-mse, one-class-svm, top-k-se, "
                + "vae-loss]", registry.incompatibility(PluginSpec.of("vae"), PluginSpec.of("distance")).orElseThrow());
    }
}
