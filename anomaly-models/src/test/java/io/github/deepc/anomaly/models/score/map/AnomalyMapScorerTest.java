package io.github.deepc.anomaly.models.score.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/** Goldens of {@code anomaly-map} on a hand-made 3x2 map, its ordering properties, and its provider. */
class AnomalyMapScorerTest {
    /** Map [.2, .9, .5; .1, .7, .3] with pixel 1 (the largest value, .9) invalid: valid values .7, .5, .3, .2, .1. */
    private static ModelOutput output() {
        GrayImage in = GrayImage.of(3, 2, new float[6], new boolean[] {true, false, true, true, true, true});
        return ModelOutput.builder(in).anomalyMap(new float[] {0.2f, 0.9f, 0.5f, 0.1f, 0.7f, 0.3f}).build();
    }

    @Test
    void maxIgnoresInvalidPixels() {
        Score s = new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01).score(output());
        assertEquals(0.7f, s.value(), 1e-7);
        assertArrayEquals(new float[] {0.2f, 0f, 0.5f, 0.1f, 0.7f, 0.3f}, s.heatmap().pixels());
        assertArrayEquals(new boolean[] {true, false, true, true, true, true}, s.heatmap().mask());
        assertEquals(3, s.heatmap().width());
    }

    @Test
    void topKMeanAveragesTheLargestFractionOfValidPixels() {
        // 5 valid pixels: 0.01 -> 1 pixel, 0.4 -> 2, 0.5 -> 3 (rounded up), 1 -> all 5
        assertEquals(0.7, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 0.01).score(output()).value(), 1e-7);
        assertEquals((0.7 + 0.5) / 2, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 0.4).score(output()).value(), 1e-7);
        assertEquals((0.7 + 0.5 + 0.3) / 3, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 0.5).score(output()).value(), 1e-7);
        assertEquals(1.8 / 5, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 1.0).score(output()).value(), 1e-7);
        assertEquals(7, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 0.07).count(100));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyMapScorer(AnomalyMapReduction.MAX, 0));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyMapScorer(AnomalyMapReduction.MAX, 1.01));
    }

    @Test
    void imageWithoutValidPixelsScoresZeroAndMissingMapIsNamed() {
        GrayImage none = GrayImage.of(2, 1, new float[2], new boolean[2]);
        ModelOutput o = ModelOutput.builder(none).anomalyMap(new float[] {5f, 6f}).build();
        assertEquals(0.0, new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01).score(o).value());
        assertEquals(0.0, new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 0.5).score(o).value());
        ModelOutput noMap = ModelOutput.builder(none).reconstruction(new float[2]).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AnomalyMapScorer(AnomalyMapReduction.MAX, 0.01).score(noMap));
        assertTrue(e.getMessage().contains("ANOMALY_MAP"), e.getMessage());
    }

    /** mean <= top-k-mean <= max, top-k-mean is monotone in the fraction, and the map is never changed. */
    @Property(tries = 200)
    void reductionsAreOrdered(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @DoubleRange(min = 0.001, max = 1) @Scale(4) double f,
                              @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] map = new float[n];
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            map[i] = (float) r.nextDouble(-1, 1);
            mask[i] = r.nextInt(4) > 0;
        }
        float[] copy = map.clone();
        ModelOutput o = ModelOutput.builder(GrayImage.of(n, 1, new float[n], mask)).anomalyMap(map).build();
        double max = new AnomalyMapScorer(AnomalyMapReduction.MAX, f).score(o).value();
        double top = new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, f).score(o).value();
        double wider = new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, Math.min(1, 2 * f)).score(o).value();
        double mean = new AnomalyMapScorer(AnomalyMapReduction.TOP_K_MEAN, 1).score(o).value();
        assertTrue(mean <= top + 1e-6 && top <= max + 1e-6 && wider <= top + 1e-6,
                "mean " + mean + ", top " + top + ", wider " + wider + ", max " + max);
        assertArrayEquals(copy, map);
    }

    @Test
    void providerIsRegisteredWithItsInputAndParameters() {
        ScorerProvider p = null;
        for (ScorerProvider candidate : ServiceLoader.load(ScorerProvider.class)) {
            if (candidate.id().equals("anomaly-map")) {
                p = candidate;
            }
        }
        assertTrue(p != null, "anomaly-map not registered in META-INF/services");
        assertEquals(Set.of(OutputKind.ANOMALY_MAP), p.requiredOutputs());
        assertEquals(List.of("reduce", "fraction"), p.parameters().stream().map(ParameterSpec::name).toList());
        OutlierScorer defaults = p.create(Map.of());
        assertEquals("AnomalyMapScorer[max]", defaults.toString());
        assertEquals((0.7 + 0.5) / 2, p.create(Map.of("reduce", "top-k-mean", "fraction", "0.4")).score(output()).value(), 1e-7);
        ScorerProvider provider = p;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(Map.of("reduce", "mean")));
        assertTrue(e.getMessage().contains("max") && e.getMessage().contains("top-k-mean"), e.getMessage());
        assertEquals(AnomalyMapReduction.TOP_K_MEAN, AnomalyMapReduction.parse(" Top-K-Mean "));
    }
}
