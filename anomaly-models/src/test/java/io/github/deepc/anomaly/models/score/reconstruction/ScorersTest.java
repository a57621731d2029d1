package io.github.deepc.anomaly.models.score.reconstruction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Goldens of the reconstruction and VAE scorers on hand-computed 2x3 arrays, and their providers. */
class ScorersTest {
    /**
     * x = [0, .5, 1; .25, .8, .6], pixel 2 invalid; r = [.1, .3, 0; .25, .4, .9]. Squared errors of the valid pixels:
     * .01, .04, 0, .16, .09 (sum .30, 5 valid, mean .06); sorted: .16, .09, .04, .01, 0.
     */
    private static ModelOutput output() {
        GrayImage in = GrayImage.of(3, 2, new float[] {0f, 0.5f, 1f, 0.25f, 0.8f, 0.6f},
                new boolean[] {true, true, false, true, true, true});
        return ModelOutput.builder(in).reconstruction(new float[] {0.1f, 0.3f, 0f, 0.25f, 0.4f, 0.9f}).build();
    }

    private static final float[] SQUARED = {0.01f, 0.04f, 0f, 0f, 0.16f, 0.09f};

    private static ModelOutput noValidPixel() {
        GrayImage in = GrayImage.of(2, 1, new float[] {0f, 1f}, new boolean[] {false, false});
        return ModelOutput.builder(in).reconstruction(new float[] {1f, 0f}).scalar(OutputKind.KL_DIVERGENCE, 3.0).build();
    }

    private static void assertSquaredErrorHeatmap(Score s) {
        GrayImage h = s.heatmap();
        assertNotNull(h);
        assertEquals(3, h.width());
        assertEquals(2, h.height());
        assertArrayEquals(SQUARED, h.pixels(), 1e-7f);
        assertArrayEquals(new boolean[] {true, true, false, true, true, true}, h.mask());
    }

    @Test
    void maskedMseIsTheMeanSquaredErrorOverValidPixels() {
        Score s = new MaskedMseScorer().score(output());
        assertEquals(0.30 / 5, s.value(), 1e-7);
        assertSquaredErrorHeatmap(s);
        assertEquals(0.0, new MaskedMseScorer().score(noValidPixel()).value());
    }

    @Test
    void topKSquaredErrorAveragesTheLargestErrors() {
        assertEquals(0.16, new TopKSquaredErrorScorer(1, 1.0).score(output()).value(), 1e-7);
        assertEquals((0.16 + 0.09) / 2, new TopKSquaredErrorScorer(2, 1.0).score(output()).value(), 1e-7);
        assertEquals(0.30 / 5, new TopKSquaredErrorScorer(99, 1.0).score(output()).value(), 1e-7, "k capped at 5");
        // fractions of the 5 valid pixels, rounded up: 0.01 -> 1, 0.5 -> 3, 1 -> 5 (masked-mse)
        assertEquals(0.16, new TopKSquaredErrorScorer(0, 0.01).score(output()).value(), 1e-7);
        assertEquals((0.16 + 0.09 + 0.04) / 3, new TopKSquaredErrorScorer(0, 0.5).score(output()).value(), 1e-7);
        assertEquals(new MaskedMseScorer().score(output()).value(),
                new TopKSquaredErrorScorer(0, 1.0).score(output()).value(), 1e-9);
        assertSquaredErrorHeatmap(new TopKSquaredErrorScorer(2, 1.0).score(output()));
        assertEquals(0.0, new TopKSquaredErrorScorer(3, 1.0).score(noValidPixel()).value());

        TopKSquaredErrorScorer f = new TopKSquaredErrorScorer(0, 0.07);
        assertEquals(7, f.count(100), "0.07 * 100 is 7, not 8, despite floating point");
        assertEquals(1, f.count(3));
        assertEquals(0, f.count(0));
        assertEquals(4, new TopKSquaredErrorScorer(4, 0.5).count(100), "k wins over the fraction");
        assertThrows(IllegalArgumentException.class, () -> new TopKSquaredErrorScorer(-1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new TopKSquaredErrorScorer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TopKSquaredErrorScorer(0, 1.5));
    }

    @Test
    void vaeLossIsMeanReconstructionErrorPlusBetaKl() {
        // x = [1, 0, .5], r = [.5, .5, .5]: BCE of every pixel is ln 2; squared errors .25, .25, 0
        GrayImage in = GrayImage.of(3, 1, new float[] {1f, 0f, 0.5f}, null);
        ModelOutput o = ModelOutput.builder(in).reconstruction(new float[] {0.5f, 0.5f, 0.5f})
                .scalar(OutputKind.KL_DIVERGENCE, 2.0).build();
        assertEquals(Math.log(2) + 0.5 * 2.0, new VaeLossScorer(PixelLoss.BCE, 0.5).score(o).value(), 1e-6);
        assertEquals(0.5 / 3 + 0.5 * 2.0, new VaeLossScorer(PixelLoss.MSE, 0.5).score(o).value(), 1e-7);
        assertEquals(Math.log(2), new VaeLossScorer(PixelLoss.BCE, 0).score(o).value(), 1e-6);
        Score s = new VaeLossScorer(PixelLoss.BCE, 0.5).score(o);
        assertArrayEquals(new float[] {(float) Math.log(2), (float) Math.log(2), (float) Math.log(2)},
                s.heatmap().pixels(), 1e-6f);
        // a saturated reconstruction stays finite: r = 1 for x = 0 costs -ln(1e-7)
        ModelOutput sat = ModelOutput.builder(GrayImage.of(1, 1, new float[] {0f}, null))
                .reconstruction(new float[] {1f}).scalar(OutputKind.KL_DIVERGENCE, 0.0).build();
        assertEquals(-Math.log(PixelLoss.BCE_EPSILON), new VaeLossScorer(PixelLoss.BCE, 1).score(sat).value(), 1e-3);
        // invalid pixels count for neither term's average: only KL is left
        assertEquals(0.5 * 3.0, new VaeLossScorer(PixelLoss.BCE, 0.5).score(noValidPixel()).value(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new VaeLossScorer(PixelLoss.MSE, -1));
        ModelOutput noKl = output();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new VaeLossScorer(PixelLoss.MSE, 1).score(noKl));
        assertTrue(e.getMessage().contains("KL_DIVERGENCE"), e.getMessage());
    }

    @Test
    void klScorerReturnsTheKlWithoutAHeatmap() {
        Score s = new KlScorer().score(noValidPixel());
        assertEquals(3.0, s.value());
        assertNull(s.heatmap());
        assertTrue(s.heatmapIfAny().isEmpty());
    }

    @Test
    void pixelLossesMatchTheirFormulas() {
        assertEquals(0.04f, PixelLoss.MSE.of(0.5f, 0.3f), 1e-7f);
        assertEquals(-(0.2 * Math.log(0.7) + 0.8 * Math.log(0.3)), PixelLoss.BCE.of(0.2f, 0.7f), 1e-6);
        assertEquals(PixelLoss.BCE, PixelLoss.parse(" BCE "));
        assertThrows(IllegalArgumentException.class, () -> PixelLoss.parse("l1"));
    }

    private static ScorerProvider provider(String id) {
        for (ScorerProvider p : ServiceLoader.load(ScorerProvider.class)) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("scorer " + id + " not registered in META-INF/services");
    }

    @Test
    void providersAreRegisteredWithTheirInputsAndParameters() {
        ScorerProvider topK = provider("top-k-se");
        ScorerProvider vaeLoss = provider("vae-loss");
        ScorerProvider kl = provider("kl");
        assertEquals(Set.of(OutputKind.RECONSTRUCTION), provider("masked-mse").requiredOutputs());
        assertEquals(Set.of(OutputKind.RECONSTRUCTION), topK.requiredOutputs());
        assertEquals(Set.of(OutputKind.RECONSTRUCTION, OutputKind.KL_DIVERGENCE), vaeLoss.requiredOutputs());
        assertEquals(Set.of(OutputKind.KL_DIVERGENCE), kl.requiredOutputs());
        assertEquals(List.of("fraction", "k"), topK.parameters().stream().map(ParameterSpec::name).toList());
        assertEquals(List.of("reconstruction", "beta"), vaeLoss.parameters().stream().map(ParameterSpec::name).toList());
        assertTrue(kl.parameters().isEmpty());

        OutlierScorer defaults = topK.create(Map.of());
        assertEquals(1, ((TopKSquaredErrorScorer) defaults).count(100), "default fraction 0.01");
        assertEquals(0.16, topK.create(Map.of("k", "1")).score(output()).value(), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> topK.create(Map.of("fraction", "0")));
        assertEquals("VaeLossScorer[mse, beta=0.001]", vaeLoss.create(Map.of()).toString());
        assertEquals("VaeLossScorer[bce, beta=2.0]",
                vaeLoss.create(Map.of("reconstruction", "bce", "beta", "2")).toString());
        assertThrows(IllegalArgumentException.class, () -> vaeLoss.create(Map.of("reconstruction", "l1")));
        assertTrue(kl.create(Map.of()) instanceof KlScorer);
    }
}
