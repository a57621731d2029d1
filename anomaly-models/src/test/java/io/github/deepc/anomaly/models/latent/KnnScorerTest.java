package io.github.deepc.anomaly.models.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnnScorerTest {
    private static final double[][] SQUARE = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};

    @Test
    void goldenWithoutStandardisation() {
        KnnScorer s = new KnnScorer(2, false);
        s.fit(LatentOutputs.of(new double[][] {{0, 0}, {3, 0}, {0, 4}}));
        // distances 0, 3, 4 -> (0 + 3) / 2
        assertEquals(1.5, s.score(LatentOutputs.of(0, 0)).value(), 1e-12);
        // distances 5, 4, 3 -> (3 + 4) / 2
        assertEquals(3.5, s.score(LatentOutputs.of(3, 4)).value(), 1e-12);
    }

    @Test
    void goldenWithStandardisation() {
        // mean (1, 1), population sd (1, 1): the corners become (+-1, +-1)
        KnnScorer k2 = new KnnScorer(2, true);
        k2.fit(LatentOutputs.of(SQUARE));
        assertEquals(Math.sqrt(2), k2.score(LatentOutputs.of(1, 1)).value(), 1e-6);
        // (3, 1) -> (2, 0): distances sqrt2, sqrt2, sqrt10, sqrt10
        assertEquals(Math.sqrt(2), k2.score(LatentOutputs.of(3, 1)).value(), 1e-6);
        KnnScorer k3 = new KnnScorer(3, true);
        k3.fit(LatentOutputs.of(SQUARE));
        assertEquals((2 * Math.sqrt(2) + Math.sqrt(10)) / 3, k3.score(LatentOutputs.of(3, 1)).value(), 1e-6);
        assertTrue(k3.score(LatentOutputs.of(1, 1)).heatmapIfAny().isEmpty());
    }

    @Test
    void constantFeatureIsOnlyCentred() {
        KnnScorer s = new KnnScorer(1, true);
        s.fit(LatentOutputs.of(new double[][] {{0, 5}, {2, 5}}));
        // x: mean 1, sd 1; y: constant 5, scale 1
        assertEquals(Math.sqrt(1 + 9), s.score(LatentOutputs.of(1, 8)).value(), 1e-6);
    }

    @Test
    void errorsNameTheProblem() {
        KnnScorer s = new KnnScorer(5, true);
        assertTrue(s.needsFit());
        IllegalStateException unfitted = assertThrows(IllegalStateException.class, () -> s.score(LatentOutputs.of(1, 2)));
        assertTrue(unfitted.getMessage().contains("not fitted"), unfitted.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> s.fit(LatentOutputs.of(SQUARE)));
        assertTrue(few.getMessage().contains("knn.k=5") && few.getMessage().contains("got 4"), few.getMessage());
        KnnScorer ok = new KnnScorer(1, true);
        ok.fit(LatentOutputs.of(SQUARE));
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> ok.score(LatentOutputs.of(1, 2, 3)));
        assertTrue(dim.getMessage().contains("3 values, expected 2"), dim.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KnnScorer(0, true));
        IllegalArgumentException noLatent = assertThrows(IllegalArgumentException.class,
                () -> ok.score(ModelOutput.builder(GrayImage.filled(1, 1, 0f)).build()));
        assertTrue(noLatent.getMessage().contains("LATENT"), noLatent.getMessage());
    }

    @Test
    void saveAndLoadGiveIdenticalScores() throws IOException {
        double[][] train = LatentOutputs.gaussian(50, 0, 0, 1, 3);
        KnnScorer s = new KnnScorer(5, true);
        s.fit(LatentOutputs.of(train));
        KnnScorer loaded = LatentOutputs.roundTrip(s, new KnnScorer(5, true));
        for (double[] q : LatentOutputs.gaussian(20, 1, 1, 2, 4)) {
            assertEquals(s.score(LatentOutputs.of(q)).value(), loaded.score(LatentOutputs.of(q)).value());
        }
        byte[] state = LatentOutputs.state(s);
        IOException other = assertThrows(IOException.class,
                () -> new KnnScorer(5, false).readState(new ByteArrayInputStream(state)));
        assertTrue(other.getMessage().contains("standardize"), other.getMessage());
        state[state.length / 2] ^= 1;
        IOException corrupt = assertThrows(IOException.class,
                () -> new KnnScorer(5, true).readState(new ByteArrayInputStream(state)));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
        IOException truncated = assertThrows(IOException.class, () -> new KnnScorer(5, true)
                .readState(new ByteArrayInputStream(Arrays.copyOf(state, 30))));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void latentScorersAreRegistered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        for (String id : List.of("knn", "one-class-svm", "dbscan")) {
            ScorerProvider p = registry.scorers().get(id);
            assertEquals(Set.of(OutputKind.LATENT), p.requiredOutputs(), id);
            OutlierScorer created = registry.scorers().create(PluginSpec.of(id));
            assertTrue(created.needsFit(), id);
        }
        assertEquals(List.of("k", "standardize"),
                registry.scorers().get("knn").parameters().stream().map(s -> s.name()).toList());
        assertEquals(List.of("kernel", "nu", "gamma", "degree", "coef0", "standardize"),
                registry.scorers().get("one-class-svm").parameters().stream().map(s -> s.name()).toList());
        assertEquals(List.of("eps", "min-pts", "standardize"),
                registry.scorers().get("dbscan").parameters().stream().map(s -> s.name()).toList());
        RuntimeException bad = assertThrows(RuntimeException.class,
                () -> registry.scorers().get("one-class-svm").create(Map.of("gamma", "big")));
        assertTrue(bad.getMessage().contains("one-class-svm.gamma"), bad.getMessage());
    }
}
