package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's parallel loops give the serial results bit for bit: gathers, scatters, activations and bias sums on
 * random data, and whole training steps of an autoencoder with a variational bottleneck, with every loop split over
 * three threads (no size threshold) against one thread.
 */
class ParallelRangesTest {
    /** Runs {@code work} serially and split over 3 threads, restoring the default configuration afterwards. */
    private static <T> List<T> serialAndParallel(Supplier<T> work) {
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

    private static float[] random(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Property(tries = 40)
    void gathersAndScattersAreBitIdentical(@ForAll @IntRange(min = 0, max = 3) int kernelIndex,
                                           @ForAll @IntRange(min = 1, max = 6) int h,
                                           @ForAll @IntRange(min = 1, max = 6) int w,
                                           @ForAll @IntRange(min = 1, max = 4) int channels,
                                           @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
        int k = new int[] {1, 3, 4, 5}[kernelIndex];
        StrideTwoGrid grid = new StrideTwoGrid(k, h, w);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] big = random(channels * n * grid.bigArea(), rng);
        float[] col = random(channels * k * k * n * grid.smallArea(), rng);
        List<float[][]> r = serialAndParallel(() -> {
            float[] gathered = new float[col.length];
            grid.im2col(big, channels, n, FloatBuffer.wrap(gathered));
            float[] scattered = random(big.length, new SplittableRandom(1)); // stale values must be overwritten
            grid.col2im(FloatBuffer.wrap(col), channels, n, scattered);
            return new float[][] {gathered, scattered};
        });
        assertArrayEquals(r.get(0)[0], r.get(1)[0], "im2col");
        assertArrayEquals(r.get(0)[1], r.get(1)[1], "col2im");
    }

    @Property(tries = 30)
    void activationsAndBiasSumsAreBitIdentical(@ForAll @IntRange(min = 1, max = 9) int rows,
                                               @ForAll @IntRange(min = 1, max = 9000) int cols, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] z = random(rows * cols, rng);
        float[] bias = random(rows, rng);
        float[] grad = random(rows * cols, rng);
        for (Activation a : Activation.values()) {
            List<float[][]> r = serialAndParallel(() -> {
                float[] out = z.clone();
                a.forward(out, bias, cols);
                float[] g = grad.clone();
                a.backward(out, g, rows * cols);
                float[] sums = new float[rows];
                Activation.rowSums(g, cols, sums);
                return new float[][] {out, g, sums};
            });
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(r.get(0)[i], r.get(1)[i], a + " array " + i);
            }
        }
    }

    @Test
    void wholeTrainingStepsAreBitIdentical() {
        List<Stage> stages = List.of(new Stage(false, 1, 4, 3, Activation.RELU),
                new Stage(false, 4, 8, 5, Activation.RELU), new Stage(true, 8, 4, 5, Activation.RELU),
                new Stage(true, 4, 1, 3, Activation.SIGMOID));
        int n = 5;
        int side = 16;
        SplittableRandom rng = new SplittableRandom(3);
        float[] pixels = new float[n * side * side];
        float[] masks = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
            masks[i] = rng.nextDouble() < 0.9 ? 1f : 0f;
        }
        float[] noise = random(n * 6, rng);
        List<List<float[]>> r = serialAndParallel(() -> {
            try (DirectAutoencoder net = new DirectAutoencoder(stages, new Bottleneck(true, 6, 0.5), PixelLoss.BCE,
                    side, side, n, true)) {
                SplittableRandom init = new SplittableRandom(9);
                for (int s = 0; s < stages.size(); s++) {
                    Stage st = stages.get(s);
                    net.setParameters(s, scaled(random(st.in() * st.out() * st.kernel() * st.kernel(), init), 0.2f),
                            scaled(random(st.out(), init), 0.1f));
                }
                for (int d = 0; d < net.denseLayers(); d++) {
                    float[][] p = net.denseParameters(d);
                    net.setDenseParameters(d, scaled(random(p[0].length, init), 0.05f), scaled(random(p[1].length,
                            init), 0.05f));
                }
                List<float[]> out = new ArrayList<>();
                for (int step = 0; step < 3; step++) {
                    out.add(new float[] {(float) net.trainStep(pixels, masks, noise, n, 1e-2)});
                }
                for (int s = 0; s < stages.size(); s++) {
                    out.add(net.parameters(s)[0]);
                    out.add(net.parameters(s)[1]);
                }
                for (int d = 0; d < net.denseLayers(); d++) {
                    out.add(net.denseParameters(d)[0]);
                }
                out.add(net.reconstruct(pixels, n));
                return out;
            }
        });
        assertEquals(r.get(0).size(), r.get(1).size());
        for (int i = 0; i < r.get(0).size(); i++) {
            assertArrayEquals(r.get(0).get(i), r.get(1).get(i), "output " + i);
        }
    }

    private static float[] scaled(float[] v, float f) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= f;
        }
        return v;
    }

    @Test
    void workIsSpreadOverThreadsAndFailuresReachTheCaller() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        int[] covered = new int[100];
        List<Object> unused = serialAndParallel(() -> {
            ParallelRanges.run(100, 1, (from, to) -> {
                names.add(Thread.currentThread().getName());
                for (int i = from; i < to; i++) {
                    covered[i]++;
                }
            });
            return List.of();
        });
        assertEquals(2, unused.size());
        for (int c : covered) {
            assertEquals(2, c, "every item once per run");
        }
        assertTrue(names.stream().anyMatch(s -> s.startsWith("anomaly-conv-")), "workers ran: " + names);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> serialAndParallel(() -> {
            ParallelRanges.run(3, 1, (from, to) -> {
                if (from == 2) {
                    throw new IllegalStateException("range " + from);
                }
            });
            return ParallelRanges.threads() == 1 ? "serial" : fail();
        }));
        assertEquals("range 2", e.getMessage());
    }

    private static Object fail() {
        throw new AssertionError("the worker's failure was not rethrown");
    }

    @Test
    void featureNetworkTrainingStepsAreBitIdentical() {
        List<Stage> stages = List.of(new Stage(false, 1, 4, 3, Activation.LEAKY_RELU),
                new Stage(false, 4, 6, 3, Activation.LEAKY_RELU));
        int side = 16;
        int n = 5;
        SplittableRandom rng = new SplittableRandom(17);
        float[] pixels = random(n * side * side, rng);
        float[] masks = new float[pixels.length];
        java.util.Arrays.fill(masks, 1f);
        float[][] init = {random(4 * 9, rng), random(6 * 4 * 9, rng), random(6 * 16 * 3, rng), random(3 * 2, rng),
                random(2, rng)};
        DirectFeatureNetwork.FeatureLoss loss = (f, l, m, fg, lg) -> {
            double s = 0;
            for (int i = 0; i < m * 3; i++) {
                s += f[i] * f[i];
                fg[i] = 2 * f[i] / m;
            }
            for (int i = 0; i < m * 2; i++) {
                s += l[i];
                lg[i] = 1f / m;
            }
            return s / m;
        };
        List<float[][]> r = serialAndParallel(() -> {
            float[][] params = new float[init.length][];
            for (int i = 0; i < init.length; i++) {
                params[i] = init[i].clone();
            }
            try (DirectFeatureNetwork net = new DirectFeatureNetwork(stages, 3, 2, side, side, n, true, params)) {
                for (int step = 0; step < 3; step++) {
                    net.trainStep(pixels, masks, n, loss, 1e-2, 1e-3);
                }
                float[][] out = java.util.Arrays.copyOf(params, params.length + 1);
                out[params.length] = net.features(pixels, masks, n);
                return out;
            }
        });
        for (int i = 0; i < r.get(0).length; i++) {
            assertArrayEquals(r.get(0)[i], r.get(1)[i], "array " + i);
        }
    }

    /** Random attention parameters for {@code channels} (weights and biases, and a nonzero gain). */
    private static float[][] attentionParameters(int channels, SplittableRandom init) {
        int[][] shapes = SelfAttentionLayer.parameterShapes(channels);
        float[][] p = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int size = 1;
            for (int d : shapes[i]) {
                size *= d;
            }
            p[i] = scaled(random(size, init), i == shapes.length - 1 ? 0.5f : 0.3f);
        }
        return p;
    }

    private static float[][] inserted(float[][] base, int at, float[][] extra) {
        float[][] out = new float[base.length + extra.length][];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(base, at, out, at + extra.length, base.length - at);
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ganNetworkTrainingStepsAreBitIdentical(boolean attentionAndSpectralNorm) {
        int h = 32;
        int w = 16;
        int n = 3;
        int latent = 5;
        int c = 3;
        SplittableRandom rng = new SplittableRandom(23);
        float[] z = random(n * latent, rng);
        float[] codes = random(n * latent, rng);
        List<List<float[]>> r = serialAndParallel(() -> {
            SplittableRandom init = new SplittableRandom(29);
            int flat = 8 * c * (h / 16) * (w / 16);
            int[] widths = {8 * c, 4 * c, 2 * c, c, 1};
            float[][] gp0 = new float[10][];
            gp0[0] = scaled(random(latent * flat, init), 0.2f);
            gp0[1] = scaled(random(flat, init), 0.1f);
            for (int i = 0; i < 4; i++) {
                gp0[2 + 2 * i] = scaled(random(widths[i] * widths[i + 1] * 16, init), 0.2f);
                gp0[3 + 2 * i] = scaled(random(widths[i + 1], init), 0.1f);
            }
            int[] down = {1, c, 2 * c, 4 * c, 8 * c};
            float[][] dp0 = new float[12][];
            for (int i = 0; i < 4; i++) {
                dp0[2 * i] = scaled(random(down[i] * down[i + 1] * 16, init), 0.2f);
                dp0[2 * i + 1] = scaled(random(down[i + 1], init), 0.1f);
            }
            dp0[8] = scaled(random((flat + latent) * 8 * c, init), 0.1f);
            dp0[9] = scaled(random(8 * c, init), 0.1f);
            dp0[10] = scaled(random(8 * c, init), 0.1f);
            dp0[11] = scaled(random(1, init), 0.1f);
            boolean extras = attentionAndSpectralNorm;
            if (extras) {
                // alpha-gan's defaults: attention in both, spectral norm in the critic
                gp0 = inserted(gp0, 6, attentionParameters(2 * c, init));
                dp0 = inserted(dp0, 4, attentionParameters(2 * c, init));
            }
            try (DirectGenerator g = new DirectGenerator(latent, c, h, w, Activation.TANH, n, true, extras, gp0);
                 DirectCritic d = new DirectCritic(c, h, w, latent, 8 * c, 1, n, true, extras, extras,
                         new SplittableRandom(31), dp0)) {
                List<float[]> out = new ArrayList<>();
                float[][] gp = new float[0][];
                for (int step = 0; step < 3; step++) {
                    d.iterateSpectralNorms();
                    float[] images = g.forward(z, n).clone();
                    float[] logits = d.forward(images, codes, n).clone();
                    float[] grad = new float[n];
                    for (int i = 0; i < n; i++) {
                        grad[i] = (float) (1 / (1 + Math.exp(-logits[i])) - 1) / n;
                    }
                    float[] imageGrad = new float[n * h * w];
                    d.backward(grad, n, imageGrad, new float[n * latent]);
                    g.backward(imageGrad, n, new float[n * latent]);
                    d.update(1e-2);
                    g.update(1e-2);
                    out.add(images);
                    out.add(logits);
                    out.add(imageGrad);
                    gp = g.gradients();
                }
                out.addAll(List.of(gp));
                out.addAll(List.of(d.gradients()));
                out.addAll(List.of(gp0));
                out.addAll(List.of(dp0));
                for (SpectralNormLayer sn : d.spectralNorms()) {
                    out.add(sn.u().clone());
                    out.add(sn.v().clone());
                }
                return out;
            }
        });
        assertEquals(r.get(0).size(), r.get(1).size());
        for (int i = 0; i < r.get(0).size(); i++) {
            assertArrayEquals(r.get(0).get(i), r.get(1).get(i), "output " + i);
        }
    }
}
