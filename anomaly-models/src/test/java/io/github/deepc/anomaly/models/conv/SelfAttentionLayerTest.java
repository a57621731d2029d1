package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.models.gan.AttentionReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's self-attention layer against the SameDiff graph of {@code gan.SelfAttention.apply}: output, the
 * gradients of all seven parameters and of the input agree to 1e-5 of the largest magnitude, with and without
 * spectrally normalised projections, on square and non-square maps, several batch sizes (also below the layer's
 * capacity), zero and non-zero {@code gamma}; a central-difference property; the parallel path bit-identical to the
 * serial one; clear errors for bad input.
 */
class SelfAttentionLayerTest {
    @ParameterizedTest
    @CsvSource({"16, 3, 4, 2, false, 0.7", "8, 4, 4, 1, true, 0.5", "16, 2, 5, 3, true, -0.3",
        "4, 4, 2, 4, false, 0", "32, 4, 4, 5, false, 1.2", "12, 1, 3, 2, true, 0.9", "3, 5, 3, 3, true, 0.4",
        // alpha-gan's own shapes: 2c = 32 channels at a quarter of 64x64 and of 64x32 images
        "32, 16, 16, 2, true, 0.5", "32, 16, 8, 3, false, 0.8"})
    void matchesTheSameDiffGraph(int c, int h, int w, int n, boolean spectral, double gamma) {
        SplittableRandom rng = new SplittableRandom(c * 31L + h * 7L + w + n);
        float[][] params = parameters(c, rng, (float) gamma);
        float[] x = random(c * n * h * w, rng, 1f);
        float[] r = random(x.length, rng, 1f);
        SpectralNormLayer[] sn = spectral ? converged(c, params, rng) : null;
        try (SelfAttentionLayer layer = new SelfAttentionLayer(c, h, w, n + 2, true, params, sn);
             AttentionReference.Graph graph = AttentionReference.selfAttention(c, h, w, n, spectral)) {
            assertMatches(graph, layer, params, sn, x, r, n);
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 3, 4, 2, false, 0.7", "8, 4, 4, 1, true, 0.5", "32, 16, 16, 3, true, 0.5",
        "32, 16, 8, 2, false, 0.8"})
    void inferenceOnlyLayersMatchTheGraphAndTheTrainableLayer(int c, int h, int w, int n, boolean spectral,
                                                              double gamma) {
        // a layer built for inference only takes oneDNN's softmax; the trainable one keeps the Java softmax
        SplittableRandom rng = new SplittableRandom(c * 17L + h + n);
        float[][] params = parameters(c, rng, (float) gamma);
        SpectralNormLayer[] sn = spectral ? converged(c, params, rng) : null;
        try (SelfAttentionLayer trainable = new SelfAttentionLayer(c, h, w, n, true, params, sn);
             SelfAttentionLayer inference = new SelfAttentionLayer(c, h, w, n, false, params, sn);
             AttentionReference.Graph graph = AttentionReference.selfAttention(c, h, w, n, spectral)) {
            for (int pass = 0; pass < 2; pass++) {
                float[] x = random(c * n * h * w, rng, 1f);
                float[][][] vectors = null;
                if (sn != null) {
                    vectors = new float[3][][];
                    for (int p = 0; p < 3; p++) {
                        vectors[p] = new float[][] {sn[p].u(), sn[p].v()};
                    }
                }
                float[] want = graph.evaluate(params, vectors, x, random(x.length, rng, 1f)).output();
                float[] got = java.util.Arrays.copyOf(inference.forward(x, n), x.length);
                assertClose(want, got, "inference output", 0);
                assertClose(java.util.Arrays.copyOf(trainable.forward(x, n), x.length), got,
                        "inference against trainable output", 0);
            }
        }
    }

    @Test
    void batchesBelowTheCapacityMatchTheGraph() {
        int c = 8;
        int h = 3;
        int w = 2;
        SplittableRandom rng = new SplittableRandom(5);
        float[][] params = parameters(c, rng, 0.6f);
        SpectralNormLayer[] sn = converged(c, params, rng);
        try (SelfAttentionLayer layer = new SelfAttentionLayer(c, h, w, 4, true, params, sn)) {
            for (int n : new int[] {4, 1, 3}) {
                float[] x = random(c * 4 * h * w, rng, 1f); // longer than n images need: only the front is read
                float[] r = random(x.length, rng, 1f);
                try (AttentionReference.Graph graph = AttentionReference.selfAttention(c, h, w, n, true)) {
                    assertMatches(graph, layer, params, sn, java.util.Arrays.copyOf(x, c * n * h * w),
                            java.util.Arrays.copyOf(r, c * n * h * w), n);
                }
            }
        }
    }

    @Test
    void startsAsTheIdentity() {
        int c = 16;
        SplittableRandom rng = new SplittableRandom(8);
        float[][] params = parameters(c, rng, 0f);
        float[] x = random(c * 2 * 12, rng, 1f);
        try (SelfAttentionLayer layer = new SelfAttentionLayer(c, 3, 4, 2, false, params, null)) {
            assertArrayEquals(x, java.util.Arrays.copyOf(layer.forward(x, 2), x.length), "gamma 0: output = input");
        }
        try (SelfAttentionLayer fresh = new SelfAttentionLayer(c, 3, 4, 2, true, null, null)) {
            assertEquals(0f, fresh.parameters()[6][0], "gamma starts at 0");
            assertEquals(List.of("_f_w", "_f_b", "_g_w", "_g_b", "_h_w", "_h_b", "_gamma"),
                    SelfAttentionLayer.PARAMETER_SUFFIXES);
            int[][] shapes = SelfAttentionLayer.parameterShapes(c);
            assertArrayEquals(new int[] {16, 2}, shapes[0]);
            assertArrayEquals(new int[] {16, 16}, shapes[4]);
            assertEquals(1, SelfAttentionLayer.keyChannels(4));
        }
    }

    @Test
    void parallelPathIsBitIdenticalToTheSerialOne() {
        int c = 16;
        int h = 6;
        int w = 5;
        int n = 4;
        SplittableRandom rng = new SplittableRandom(13);
        float[][] init = parameters(c, rng, 0.8f);
        float[] x = random(c * n * h * w, rng, 1f);
        float[] r = random(x.length, rng, 1f);
        List<List<float[]>> runs = serialAndParallel(() -> {
            float[][] params = copy(init);
            SpectralNormLayer[] sn = SelfAttentionLayer.spectralNorms(c, new SplittableRandom(3));
            try (SelfAttentionLayer layer = new SelfAttentionLayer(c, h, w, n, true, params, sn)) {
                List<float[]> out = new ArrayList<>();
                for (int step = 0; step < 2; step++) {
                    layer.iterateSpectralNorms();
                    out.add(layer.forward(x, n).clone());
                    float[] dx = new float[x.length];
                    layer.backward(r, n, dx);
                    out.add(dx);
                    for (float[] g : layer.gradients()) {
                        out.add(g.clone());
                    }
                }
                return out;
            }
        });
        assertEquals(runs.get(0).size(), runs.get(1).size());
        for (int i = 0; i < runs.get(0).size(); i++) {
            assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "array " + i);
        }
    }

    /**
     * The gradient along a random direction of all parameters and the input equals the central difference of the loss
     * {@code sum(output * r)} (float32 layer, so a 2 % tolerance above a small absolute floor).
     */
    @Property(tries = 25)
    void gradientMatchesCentralDifferences(@ForAll @IntRange(min = 1, max = 12) int c,
                                           @ForAll @IntRange(min = 1, max = 4) int h,
                                           @ForAll @IntRange(min = 1, max = 4) int w,
                                           @ForAll @IntRange(min = 1, max = 3) int n,
                                           @ForAll boolean spectral, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] params = parameters(c, rng, (float) (rng.nextDouble() * 2 - 1));
        SpectralNormLayer[] sn = spectral ? converged(c, params, rng) : null;
        float[] x = random(c * n * h * w, rng, 1f);
        float[] r = random(x.length, rng, 1f);
        float[][] dirP = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            dirP[i] = random(params[i].length, rng, 1f);
        }
        float[] dirX = random(x.length, rng, 1f);
        try (SelfAttentionLayer layer = new SelfAttentionLayer(c, h, w, n, true, params, sn)) {
            layer.forward(x, n);
            float[] dx = new float[x.length];
            layer.backward(r, n, dx);
            float[][] g = layer.gradients();
            double analytic = dot(dx, dirX);
            for (int i = 0; i < params.length; i++) {
                analytic += dot(g[i], dirP[i]);
            }
            float[][] original = copy(params);
            double eps = 1e-2;
            double plus = lossAlong(layer, params, original, dirP, x, dirX, r, n, eps);
            double minus = lossAlong(layer, params, original, dirP, x, dirX, r, n, -eps);
            double numeric = (plus - minus) / (2 * eps);
            assertTrue(Math.abs(numeric - analytic) <= 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3,
                    "numeric " + numeric + " vs analytic " + analytic);
        }
    }

    @Test
    void badInputIsReportedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SelfAttentionLayer(8, 2, 2, 1, true, new float[][] {new float[8], new float[1],
                    new float[8], new float[1], new float[63], new float[8], new float[1]}, null));
        assertTrue(e.getMessage().contains("_h_w") && e.getMessage().contains("64"), e.getMessage());
        try (SelfAttentionLayer layer = new SelfAttentionLayer(8, 2, 2, 2, true, null, null)) {
            e = assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[10], 1));
            assertTrue(e.getMessage().contains("input") && e.getMessage().contains("32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[96], 3));
            assertTrue(e.getMessage().contains("1 to 2"), e.getMessage());
            layer.forward(new float[32], 1);
            e = assertThrows(IllegalArgumentException.class, () -> layer.backward(new float[64], 2, null));
            assertTrue(e.getMessage().contains("2 images"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> new SelfAttentionLayer(8, 2, 2, 1, true, null,
                new SpectralNormLayer[] {new SpectralNormLayer(8, 1, null), new SpectralNormLayer(8, 1, null),
                    new SpectralNormLayer(8, 7, null)}));
        assertTrue(e.getMessage().contains("_h_w") && e.getMessage().contains("8 x 8"), e.getMessage());
        try (SelfAttentionLayer inference = new SelfAttentionLayer(8, 2, 2, 1, false, null, null)) {
            inference.forward(new float[32], 1);
            assertThrows(IllegalStateException.class, () -> inference.backward(new float[32], 1, null));
        }
    }

    private static double lossAlong(SelfAttentionLayer layer, float[][] params, float[][] original, float[][] dirP,
                                    float[] x, float[] dirX, float[] r, int n, double t) {
        for (int i = 0; i < params.length; i++) {
            for (int k = 0; k < params[i].length; k++) {
                params[i][k] = (float) (original[i][k] + t * dirP[i][k]);
            }
        }
        float[] xt = new float[x.length];
        for (int k = 0; k < x.length; k++) {
            xt[k] = (float) (x[k] + t * dirX[k]);
        }
        double loss = dot(layer.forward(xt, n), r);
        for (int i = 0; i < params.length; i++) {
            System.arraycopy(original[i], 0, params[i], 0, params[i].length);
        }
        return loss;
    }

    private static void assertMatches(AttentionReference.Graph graph, SelfAttentionLayer layer, float[][] params,
                                      SpectralNormLayer[] sn, float[] x, float[] r, int n) {
        float[][][] vectors = null;
        if (sn != null) {
            vectors = new float[3][][];
            for (int p = 0; p < 3; p++) {
                vectors[p] = new float[][] {sn[p].u(), sn[p].v()};
            }
        }
        AttentionReference.Result want = graph.evaluate(params, vectors, x, r);
        float[] out = layer.forward(x, n);
        assertClose(want.output(), java.util.Arrays.copyOf(out, x.length), "output", 0);
        float[] dx = new float[x.length];
        layer.backward(r, n, dx);
        assertClose(want.inputGrad(), dx, "input gradient", 0);
        float[][] g = layer.gradients();
        for (int i = 0; i < g.length; i++) {
            // the key bias f_b cancels in the softmax (s_ij gains b_f . g_j, the same for every i): its gradient is
            // a sum of terms that cancel, 0 up to their rounding on both sides, so it is compared at the scale of
            // the key weight's gradient (sums of the same terms weighted by the input)
            double floor = i == 1 ? max(want.paramGrads()[0]) : 0;
            assertClose(want.paramGrads()[i], g[i], SelfAttentionLayer.PARAMETER_SUFFIXES.get(i) + " gradient", floor);
        }
    }

    /** Spectral normalisations whose vectors have converged a little (as after a few discriminator steps). */
    private static SpectralNormLayer[] converged(int c, float[][] params, SplittableRandom rng) {
        SpectralNormLayer[] sn = SelfAttentionLayer.spectralNorms(c, rng);
        for (int s = 0; s < 5; s++) {
            for (int p = 0; p < 3; p++) {
                sn[p].iterate(params[2 * p]);
            }
        }
        return sn;
    }

    /** Random parameters large enough for a non-uniform attention, and non-zero biases. */
    static float[][] parameters(int c, SplittableRandom rng, float gamma) {
        int[][] shapes = SelfAttentionLayer.parameterShapes(c);
        float[][] p = new float[shapes.length][];
        for (int i = 0; i < shapes.length - 1; i++) {
            int size = 1;
            for (int d : shapes[i]) {
                size *= d;
            }
            p[i] = random(size, rng, i % 2 == 0 ? 0.6f : 0.2f);
        }
        p[shapes.length - 1] = new float[] {gamma};
        return p;
    }

    static float[] random(int n, SplittableRandom rng, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double max(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Agreement to 1e-5 of the largest magnitude (or of {@code floor} when that is larger). */
    static void assertClose(float[] expected, float[] actual, String what, double floor) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = Math.max(1e-12, Math.max(floor, max(expected)));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-5 * scale, what + ": largest difference " + worst + " at scale " + scale);
    }

    /** Runs {@code work} serially and split over 3 threads, restoring the default configuration afterwards. */
    static <T> List<T> serialAndParallel(Supplier<T> work) {
        int threads = ParallelRanges.threads();
        try {
            ParallelRanges.configure(1, Long.MAX_VALUE);
            T serial = work.get();
            ParallelRanges.configure(3, 0);
            T parallel = work.get();
            return List.of(serial, parallel);
        } finally {
            ParallelRanges.configure(threads, ParallelRanges.MIN_WORK);
        }
    }
}
