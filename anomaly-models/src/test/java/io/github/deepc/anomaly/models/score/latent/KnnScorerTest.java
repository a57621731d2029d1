package io.github.deepc.anomaly.models.score.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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
        assertEquals(List.of("k", "standardize", "metric"),
                registry.scorers().get("knn").parameters().stream().map(s -> s.name()).toList());
        assertEquals(List.of("kernel", "nu", "gamma", "degree", "coef0", "standardize"),
                registry.scorers().get("one-class-svm").parameters().stream().map(s -> s.name()).toList());
        assertEquals(List.of("eps", "min-pts", "standardize"),
                registry.scorers().get("dbscan").parameters().stream().map(s -> s.name()).toList());
        RuntimeException bad = assertThrows(RuntimeException.class,
                () -> registry.scorers().get("one-class-svm").create(Map.of("gamma", "big")));
        assertTrue(bad.getMessage().contains("one-class-svm.gamma"), bad.getMessage());
    }

    /**
     * A state written by the scorer before it had a metric (format version 1): {@code new KnnScorer(2, true)} fitted
     * on (0, 0), (3, 0), (0, 4).
     */
    private static final String VERSION_1_STATE = "4b4e4e1a000000010100000002000000023ff00000000000003ff5555555555555"
            + "000000023ff6a09e667f3bcd3ffe2b7dddfefa660000000300000002bf3504f3bf3504f33fb504f3bf3504f3bf3504f33fb5"
            + "04f3de955d49";

    @Test
    void versionOneStateStillLoadsAsEuclidean() throws IOException {
        byte[] v1 = HexFormat.of().parseHex(VERSION_1_STATE);
        KnnScorer loaded = new KnnScorer(2, true);
        loaded.readState(new ByteArrayInputStream(v1));
        // the scores the version-1 scorer gave, bit for bit
        assertEquals(1.0606601682353396, loaded.score(LatentOutputs.of(0, 0)).value());
        assertEquals(2.1213203314580253, loaded.score(LatentOutputs.of(3, 4)).value());
        assertEquals(1.197132089664443, loaded.score(LatentOutputs.of(1, 1)).value());
        assertEquals(2.257792290794275, loaded.score(LatentOutputs.of(-2, 5)).value());
        KnnScorer fitted = new KnnScorer(2, true, KnnMetric.EUCLIDEAN);
        fitted.fit(LatentOutputs.of(new double[][] {{0, 0}, {3, 0}, {0, 4}}));
        assertEquals(fitted.score(LatentOutputs.of(-2, 5)).value(), loaded.score(LatentOutputs.of(-2, 5)).value());
        IOException cosine = assertThrows(IOException.class,
                () -> new KnnScorer(2, true, KnnMetric.COSINE).readState(new ByteArrayInputStream(v1)));
        assertTrue(cosine.getMessage().contains("metric=euclidean") && cosine.getMessage().contains("metric=cosine"),
                cosine.getMessage());
        // versions after the current one are refused, naming the range
        ByteArrayOutputStream v3 = new ByteArrayOutputStream();
        StateFormat.write(v3, 0x4B4E4E1A, 3, d -> d.writeUTF("euclidean"));
        IOException future = assertThrows(IOException.class,
                () -> new KnnScorer(2, true).readState(new ByteArrayInputStream(v3.toByteArray())));
        assertTrue(future.getMessage().contains("version 3 (supported: 1 to 2)"), future.getMessage());
    }

    @Test
    void cosineGoldens() {
        KnnScorer k1 = new KnnScorer(1, false, KnnMetric.COSINE);
        k1.fit(LatentOutputs.of(new double[][] {{1, 0}, {0, 2}, {-3, 0}}));
        // same direction as (1, 0), whatever the length
        assertEquals(0, k1.score(LatentOutputs.of(5, 0)).value(), 1e-12);
        // 45 degrees from (1, 0) and (0, 2): 1 - cos 45
        assertEquals(1 - Math.sqrt(0.5), k1.score(LatentOutputs.of(1, 1)).value(), 1e-7);
        // (3, 4): cos 0.6 to (1, 0), 0.8 to (0, 2), -0.6 to (-3, 0)
        assertEquals(0.2, k1.score(LatentOutputs.of(3, 4)).value(), 1e-7);
        KnnScorer k3 = new KnnScorer(3, false, KnnMetric.COSINE);
        k3.fit(LatentOutputs.of(new double[][] {{1, 0}, {0, 2}, {-3, 0}}));
        assertEquals((0.2 + 0.4 + 1.6) / 3, k3.score(LatentOutputs.of(3, 4)).value(), 1e-7);
        // (-1, -1): opposite to (1, 1) and (2, 2) (distance 2), orthogonal to (-1, 1) (distance 1)
        KnnScorer k2 = new KnnScorer(2, false, KnnMetric.COSINE);
        k2.fit(LatentOutputs.of(new double[][] {{1, 1}, {2, 2}, {-1, 1}}));
        assertEquals((1 + 2) / 2.0, k2.score(LatentOutputs.of(-1, -1)).value(), 1e-7);
        assertTrue(k2.toString().contains("metric=cosine"), k2.toString());
    }

    @Test
    void cosineZeroVectorIsHalfwayToEverything() {
        KnnScorer s = new KnnScorer(2, false, KnnMetric.COSINE);
        s.fit(LatentOutputs.of(new double[][] {{1, 0}, {0, 3}, {-2, -2}}));
        // a zero query stays zero: |0 - unit|^2 / 2 = 0.5 to every training point
        assertEquals(0.5, s.score(LatentOutputs.of(0, 0)).value(), 1e-7);
        // a zero training point is 0.5 from every non-zero query and 0 from a zero one
        KnnScorer withZero = new KnnScorer(1, false, KnnMetric.COSINE);
        withZero.fit(LatentOutputs.of(new double[][] {{0, 0}, {-1, 0}}));
        assertEquals(0.5, withZero.score(LatentOutputs.of(1, 0)).value(), 1e-7);
        assertEquals(0, withZero.score(LatentOutputs.of(0, 0)).value(), 1e-12);
        // standardised: the training mean itself is the zero vector
        KnnScorer std = new KnnScorer(1, true, KnnMetric.COSINE);
        std.fit(LatentOutputs.of(SQUARE));
        assertEquals(0.5, std.score(LatentOutputs.of(1, 1)).value(), 1e-7);
        // (3, 1) -> (2, 0): 45 degrees from (1, 1) and (1, -1)
        assertEquals(1 - Math.sqrt(0.5), std.score(LatentOutputs.of(3, 1)).value(), 1e-7);
    }

    private static double bruteCosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int j = 0; j < a.length; j++) {
            ab += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        return 1 - ab / Math.sqrt(aa * bb);
    }

    @Test
    void cosineMatchesABruteForceComputation() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int dim = 1 + rng.nextInt(6);
            int n = 2 + rng.nextInt(15);
            int k = 1 + rng.nextInt(n);
            double[][] train = new double[n][dim];
            for (double[] row : train) {
                for (int j = 0; j < dim; j++) {
                    row[j] = (float) (rng.nextDouble() * 4 - 2);
                }
            }
            KnnScorer s = new KnnScorer(k, false, KnnMetric.COSINE);
            s.fit(LatentOutputs.of(train));
            for (int q = 0; q < 5; q++) {
                double[] query = new double[dim];
                for (int j = 0; j < dim; j++) {
                    query[j] = (float) (rng.nextDouble() * 4 - 2);
                }
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = bruteCosine(query, train[i]);
                }
                Arrays.sort(d);
                double expected = 0;
                for (int i = 0; i < k; i++) {
                    expected += d[i] / k;
                }
                assertEquals(expected, s.score(LatentOutputs.of(query)).value(), 1e-6,
                        "trial " + trial + ", dim " + dim + ", n " + n + ", k " + k);
            }
        }
    }

    @Test
    void cosineStateRoundTripsAndMetricsMustMatch() throws IOException {
        double[][] train = LatentOutputs.gaussian(30, 1, -1, 1, 5);
        KnnScorer s = new KnnScorer(3, true, KnnMetric.COSINE);
        s.fit(LatentOutputs.of(train));
        KnnScorer loaded = LatentOutputs.roundTrip(s, new KnnScorer(3, true, KnnMetric.COSINE));
        for (double[] q : LatentOutputs.gaussian(10, 0, 0, 2, 6)) {
            assertEquals(s.score(LatentOutputs.of(q)).value(), loaded.score(LatentOutputs.of(q)).value());
        }
        byte[] state = LatentOutputs.state(s);
        IOException mismatch = assertThrows(IOException.class,
                () -> new KnnScorer(3, true).readState(new ByteArrayInputStream(state)));
        assertTrue(mismatch.getMessage().contains("fitted with metric=cosine")
                && mismatch.getMessage().contains("this scorer has metric=euclidean"), mismatch.getMessage());
        KnnScorer euclidean = new KnnScorer(3, true);
        euclidean.fit(LatentOutputs.of(train));
        IOException other = assertThrows(IOException.class,
                () -> new KnnScorer(3, true, KnnMetric.COSINE).readState(
                        new ByteArrayInputStream(LatentOutputs.state(euclidean))));
        assertTrue(other.getMessage().contains("metric=euclidean"), other.getMessage());
        // a cosine state whose points are not unit vectors is corrupt
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        StateFormat.write(bad, 0x4B4E4E1A, 2, d -> {
            d.writeUTF("cosine");
            d.writeBoolean(false);
            Standardizer.fit(new double[][] {{0, 0}}, false).write(d);
            new PointSet(new float[][] {{3, 4}}, 2).write(d);
        });
        IOException notUnit = assertThrows(IOException.class, () -> new KnnScorer(1, false, KnnMetric.COSINE)
                .readState(new ByteArrayInputStream(bad.toByteArray())));
        assertTrue(notUnit.getMessage().contains("length 5"), notUnit.getMessage());
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        StateFormat.write(unknown, 0x4B4E4E1A, 2, d -> d.writeUTF("manhattan"));
        IOException word = assertThrows(IOException.class, () -> new KnnScorer(1, false)
                .readState(new ByteArrayInputStream(unknown.toByteArray())));
        assertTrue(word.getMessage().contains("unknown metric 'manhattan'"), word.getMessage());
    }

    @Test
    void metricParameterIsAChoice() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        ScorerProvider p = registry.scorers().get("knn");
        assertEquals("euclidean", p.parameters().get(2).defaultValue());
        assertEquals(List.of("euclidean", "cosine"), p.parameters().get(2).choices());
        assertTrue(registry.scorers().create(PluginSpec.of("knn", "metric", "cosine")).toString()
                .contains("metric=cosine"));
        assertTrue(registry.scorers().create(PluginSpec.of("knn")).toString().contains("metric=euclidean"));
        RuntimeException bad = assertThrows(RuntimeException.class,
                () -> registry.scorers().create(PluginSpec.of("knn", "metric", "manhattan")));
        assertTrue(bad.getMessage().contains("knn.metric") && bad.getMessage().contains("euclidean")
                && bad.getMessage().contains("cosine"), bad.getMessage());
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> KnnMetric.of("l1"));
        assertEquals("parameter knn.metric='l1' is not valid; expected one of euclidean, cosine", direct.getMessage());
    }
}
