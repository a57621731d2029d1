package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The discriminator scorer on hand-made model outputs. */
class GanDiscriminatorScorerTest {
    private static final GrayImage IMG = GrayImage.filled(4, 4, 0.5f);

    private static ModelOutput both(double d, double c) {
        return ModelOutput.builder(IMG).scalar(OutputKind.DISCRIMINATOR_PROBABILITY, d)
                .scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY, c).build();
    }

    private static ModelOutput imageOnly(double d) {
        return ModelOutput.builder(IMG).scalar(OutputKind.DISCRIMINATOR_PROBABILITY, d).build();
    }

    private static ScorerProvider provider() {
        return PluginRegistry.load(GanDiscriminatorScorerTest.class.getClassLoader()).scorers().get("discriminator");
    }

    @Test
    void goldenValuesForEachSource() {
        OutlierScorer image = provider().create(Map.of());
        OutlierScorer code = provider().create(Map.of("source", "code"));
        OutlierScorer mean = provider().create(Map.of("source", "mean"));
        assertEquals(0.2, image.score(both(0.8, 0.3)).value(), 1e-12);
        assertEquals(0.7, code.score(both(0.8, 0.3)).value(), 1e-12);
        assertEquals(0.45, mean.score(both(0.8, 0.3)).value(), 1e-12);
        assertEquals(1.0, image.score(imageOnly(0.0)).value(), 0.0);
        assertEquals(0.0, image.score(imageOnly(1.0)).value(), 0.0);
        // more real-looking ranks lower
        assertTrue(image.score(imageOnly(0.9)).value() < image.score(imageOnly(0.1)).value());
        assertNull(image.score(both(0.8, 0.3)).heatmap(), "no heat map");
        assertFalse(image.needsFit());
        assertTrue(code.needsFit() && mean.needsFit());
    }

    @Test
    void providerDeclaresSourceAndRequiresTheImageDiscriminator() {
        ScorerProvider p = provider();
        assertEquals(Set.of(OutputKind.DISCRIMINATOR_PROBABILITY), p.requiredOutputs());
        assertEquals(List.of("image", "code", "mean"), p.parameters().get(0).choices());
        assertEquals("image", p.parameters().get(0).defaultValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("source", "both")));
        assertTrue(e.getMessage().contains("source"), e.getMessage());
        assertNotNull(p.description());
    }

    @Test
    void codeSourceOnAModelWithoutCodeDiscriminatorFailsClearly() {
        for (String source : List.of("code", "mean")) {
            OutlierScorer s = provider().create(Map.of("source", source));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.score(imageOnly(0.4)));
            assertTrue(e.getMessage().contains("source=" + source) && e.getMessage().contains("CODE_DISCRIMINATOR_PROBABILITY")
                    && e.getMessage().contains("alpha-gan"), e.getMessage());
            // checked right after training, before a detector is saved
            assertThrows(IllegalStateException.class, () -> s.fit(List.of(imageOnly(0.4))));
            s.fit(List.of(both(0.4, 0.6)));
        }
        provider().create(Map.of()).fit(List.of(imageOnly(0.4)));
    }
}
