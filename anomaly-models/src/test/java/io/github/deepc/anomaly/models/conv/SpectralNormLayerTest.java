package io.github.deepc.anomaly.models.conv;

import static io.github.deepc.anomaly.models.conv.SelfAttentionLayerTest.assertClose;
import static io.github.deepc.anomaly.models.conv.SelfAttentionLayerTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.models.gan.AttentionReference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's spectral normalisation against {@code gan.SpectralNorm}: the initial vectors (same seed, same vectors,
 * in the graph's declaration order), the power iteration over several steps, the normalised weight and the gradient
 * with respect to the raw weight (u, v held constant) to 1e-5, for dense and convolution shapes and for weights stored
 * in the engine's PyTorch convolution layout; a central-difference property; clear errors.
 */
class SpectralNormLayerTest {
    @ParameterizedTest
    @CsvSource({"5, 3, 0", "32, 4, 0", "1, 7, 0", "7, 1, 0", "4, 5, 3", "2, 6, 1"})
    void normalisedWeightAndGradientMatchTheGraph(int a, int b, int convIn) {
        // convIn > 0: a convolution weight [a, a, convIn, b] (kernel a), else a dense weight [a, b]
        long[] shape = convIn > 0 ? new long[] {a, a, convIn, b} : new long[] {a, b};
        int rows = convIn > 0 ? a * a * convIn : a;
        SplittableRandom rng = new SplittableRandom(rows * 13L + b);
        float[] w = random(rows * b, rng, 0.5f);
        float[] upstream = random(w.length, rng, 1f);
        SpectralNormLayer sn = new SpectralNormLayer(rows, b, rng);
        for (int step = 0; step < 3; step++) {
            sn.iterate(w);
            float[][] want = AttentionReference.spectralNorm(w, shape, rows, b, sn.u(), sn.v(), upstream);
            float[] normalised = new float[w.length];
            sn.forward(w, normalised);
            assertClose(want[0], normalised, "normalised weight", 0);
            float[] grad = new float[w.length];
            sn.backward(w, upstream, grad);
            assertClose(want[1], grad, "weight gradient", 0);
            // in place, as SelfAttentionLayer uses it
            float[] inPlace = upstream.clone();
            sn.backward(w, inPlace, inPlace);
            assertArrayEquals(grad, inPlace);
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.05f * upstream[i]; // a training step changes the weight between iterations
            }
        }
    }

    @Test
    void powerIterationAndInitialVectorsMatchSpectralNorm() {
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("d_w", new long[] {48, 8});
        shapes.put("att_f_w", new long[] {8, 1});
        shapes.put("att_h_w", new long[] {8, 8});
        SplittableRandom data = new SplittableRandom(21);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            weights.put(e.getKey(), random((int) (e.getValue()[0] * e.getValue()[1]), data, 0.3f));
        }
        int steps = 6;
        List<Map<String, float[]>> want = AttentionReference.powerIterations(shapes, 77, weights, steps);
        // one generator for all, in declaration order, as SpectralNorm.create draws them
        SplittableRandom rng = new SplittableRandom(77);
        Map<String, SpectralNormLayer> layers = new LinkedHashMap<>();
        shapes.forEach((name, s) -> layers.put(name, new SpectralNormLayer((int) s[0], (int) s[1], rng)));
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                layers.forEach((name, l) -> l.iterate(weights.get(name)));
            }
            for (Map.Entry<String, SpectralNormLayer> e : layers.entrySet()) {
                Map<String, float[]> w = want.get(step);
                assertArrayEquals(w.get(e.getKey() + "_sn_u"), e.getValue().u(), 1e-5f, e.getKey() + " u, step " + step);
                assertArrayEquals(w.get(e.getKey() + "_sn_v"), e.getValue().v(), 1e-5f, e.getKey() + " v, step " + step);
            }
        }
        // converged: sigma approaches the largest singular value, so the normalised weight has spectral norm ~1
        SpectralNormLayer d = layers.get("d_w");
        for (int i = 0; i < 200; i++) {
            d.iterate(weights.get("d_w"));
        }
        double sigma = d.sigma(weights.get("d_w"));
        d.iterate(weights.get("d_w"));
        assertEquals(sigma, d.sigma(weights.get("d_w")), 1e-5 * sigma, "a fixed point");
        assertTrue(sigma > 0);
    }

    @Test
    void attentionNormalisationsAreDrawnInTheGraphsOrder() {
        int c = 16;
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("att_f_w", new long[] {c, 2});
        shapes.put("att_g_w", new long[] {c, 2});
        shapes.put("att_h_w", new long[] {c, c});
        Map<String, float[]> weights = new LinkedHashMap<>();
        shapes.forEach((name, s) -> weights.put(name, new float[(int) (s[0] * s[1])]));
        Map<String, float[]> want = AttentionReference.powerIterations(shapes, 5, weights, 0).get(0);
        SpectralNormLayer[] sn = SelfAttentionLayer.spectralNorms(c, new SplittableRandom(5));
        String[] names = {"att_f_w", "att_g_w", "att_h_w"};
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(want.get(names[p] + "_sn_u"), sn[p].u(), names[p]);
            assertArrayEquals(want.get(names[p] + "_sn_v"), sn[p].v(), names[p]);
        }
    }

    @Test
    void vectorsAreSeeded() {
        SpectralNormLayer a = new SpectralNormLayer(9, 4, new SplittableRandom(3));
        SpectralNormLayer b = new SpectralNormLayer(9, 4, new SplittableRandom(3));
        SpectralNormLayer other = new SpectralNormLayer(9, 4, new SplittableRandom(4));
        assertArrayEquals(a.u(), b.u());
        assertArrayEquals(a.v(), b.v());
        assertFalse(Arrays.equals(a.u(), other.u()));
        assertEquals(1.0, norm(a.u()), 1e-6);
        assertEquals(1.0, norm(a.v()), 1e-6);
        SpectralNormLayer zeros = new SpectralNormLayer(9, 4, null);
        assertArrayEquals(new float[4], zeros.u());
        zeros.setVectors(a.u(), a.v());
        assertArrayEquals(a.v(), zeros.v());
        float[] w = random(36, new SplittableRandom(1), 1f);
        a.iterate(w);
        b.iterate(w);
        assertArrayEquals(a.u(), b.u(), "same seed, same iteration");
    }

    @Test
    void convolutionLayoutIsTheSameNormalisation() {
        int in = 3;
        int out = 5;
        int k = 4;
        SplittableRandom rng = new SplittableRandom(11);
        float[] yxio = random(k * k * in * out, rng, 0.4f); // SameDiff [kH, kW, in, out]
        float[] oiyx = new float[yxio.length];               // engine [out][in][kH][kW]
        float[] upstreamYxio = random(yxio.length, rng, 1f);
        float[] upstreamOiyx = new float[yxio.length];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int s = ((ky * k + kx) * in + i) * out + o;
                        int t = ((o * in + i) * k + ky) * k + kx;
                        oiyx[t] = yxio[s];
                        upstreamOiyx[t] = upstreamYxio[s];
                    }
                }
            }
        }
        SpectralNormLayer plain = new SpectralNormLayer(k * k * in, out, new SplittableRandom(2));
        SpectralNormLayer conv = SpectralNormLayer.convolution(in, out, k, new SplittableRandom(2));
        for (int step = 0; step < 3; step++) {
            plain.iterate(yxio);
            conv.iterate(oiyx);
            assertArrayEquals(plain.u(), conv.u(), 1e-6f);
            assertArrayEquals(plain.v(), conv.v(), 1e-6f);
        }
        float[] nPlain = new float[yxio.length];
        float[] nConv = new float[yxio.length];
        plain.forward(yxio, nPlain);
        conv.forward(oiyx, nConv);
        float[] gPlain = new float[yxio.length];
        float[] gConv = new float[yxio.length];
        plain.backward(yxio, upstreamYxio, gPlain);
        conv.backward(oiyx, upstreamOiyx, gConv);
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int s = ((ky * k + kx) * in + i) * out + o;
                        int t = ((o * in + i) * k + ky) * k + kx;
                        assertEquals(nPlain[s], nConv[t], 1e-6f * Math.abs(nPlain[s]) + 1e-7f);
                        assertEquals(gPlain[s], gConv[t], 1e-5f * Math.abs(gPlain[s]) + 1e-6f);
                    }
                }
            }
        }
    }

    /** The gradient with respect to the raw weight along a random direction equals the central difference. */
    @Property(tries = 60)
    void gradientMatchesCentralDifferences(@ForAll @IntRange(min = 1, max = 20) int rows,
                                           @ForAll @IntRange(min = 1, max = 8) int cols, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = random(rows * cols, rng, 1f);
        float[] g = random(w.length, rng, 1f);
        float[] dir = random(w.length, rng, 1f);
        SpectralNormLayer sn = new SpectralNormLayer(rows, cols, rng);
        for (int s = 0; s < 10; s++) {
            sn.iterate(w);
        }
        float[] normalised = new float[w.length];
        sn.forward(w, normalised);
        float[] grad = new float[w.length];
        sn.backward(w, g, grad);
        double analytic = 0;
        for (int i = 0; i < w.length; i++) {
            analytic += (double) grad[i] * dir[i];
        }
        double eps = 1e-3;
        double numeric = (lossAt(sn, w, dir, g, eps) - lossAt(sn, w, dir, g, -eps)) / (2 * eps);
        assertTrue(Math.abs(numeric - analytic) <= 1e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 1e-3,
                "numeric " + numeric + " vs analytic " + analytic);
    }

    private static double lossAt(SpectralNormLayer sn, float[] w, float[] dir, float[] g, double t) {
        float[] wt = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wt[i] = (float) (w[i] + t * dir[i]);
        }
        float[] n = new float[w.length];
        sn.forward(wt, n);
        double loss = 0;
        for (int i = 0; i < w.length; i++) {
            loss += (double) n[i] * g[i];
        }
        return loss;
    }

    @Test
    void badInputIsReportedClearly() {
        SpectralNormLayer sn = new SpectralNormLayer(4, 3, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sn.iterate(new float[11]));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> sn.backward(new float[12], new float[12], new float[12]));
        e = assertThrows(IllegalArgumentException.class, () -> sn.setVectors(new float[4], new float[4]));
        assertTrue(e.getMessage().contains(" u ") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SpectralNormLayer(0, 3, null));
        assertTrue(e.getMessage().contains("0 x 3"), e.getMessage());
        float[] w = new float[12];
        e = assertThrows(IllegalArgumentException.class, () -> sn.forward(w, w));
        assertTrue(e.getMessage().contains("own array"), e.getMessage());
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
