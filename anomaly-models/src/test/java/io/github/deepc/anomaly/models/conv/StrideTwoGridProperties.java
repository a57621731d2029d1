package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The column gather and the scatter against their definitions (the scatter bit for bit, its terms summed in the order
 * {@code ky, kx}), and the scatter as the gather's adjoint, for odd and even kernels up to 7 (shifts of two); also over
 * enough images that the work is split into several units of images, the last one partial.
 */
class StrideTwoGridProperties {
    @Property(tries = 60)
    void im2colFollowsItsDefinition(@ForAll @IntRange(min = 1, max = 7) int k,
                                    @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
                                    @ForAll @IntRange(min = 1, max = 3) int channels,
                                    @ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        assertGatherFollowsDefinition(k, h, w, channels, n, seed);
    }

    @Property(tries = 15)
    void im2colOverSeveralUnitsOfImagesFollowsItsDefinition(@ForAll @IntRange(min = 3, max = 5) int k,
                                                            @ForAll @IntRange(min = 6, max = 9) int side,
                                                            @ForAll @IntRange(min = 60, max = 130) int n,
                                                            @ForAll long seed) {
        assertGatherFollowsDefinition(k, side, side, 2, n, seed);
    }

    @Property(tries = 60)
    void col2imIsTheAdjointOfIm2col(@ForAll @IntRange(min = 1, max = 7) int k,
                                    @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
                                    @ForAll @IntRange(min = 1, max = 3) int channels,
                                    @ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        StrideTwoGrid grid = new StrideTwoGrid(k, h, w);
        float[] x = random(channels * n * 4 * h * w, seed);
        float[] y = random(channels * k * k * n * h * w, seed + 1);
        float[] gathered = new float[y.length];
        grid.im2col(x, channels, n, FloatBuffer.wrap(gathered));
        float[] scattered = new float[x.length];
        grid.col2im(FloatBuffer.wrap(y), channels, n, scattered);
        // <im2col(x), y> == <x, col2im(y)>
        double left = dot(gathered, y);
        double right = dot(x, scattered);
        assertEquals(left, right, 1e-4 * (1 + Math.abs(left)));
    }

    @Property(tries = 60)
    void col2imFollowsItsDefinition(@ForAll @IntRange(min = 1, max = 7) int k,
                                    @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
                                    @ForAll @IntRange(min = 1, max = 3) int channels,
                                    @ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        assertScatterFollowsDefinition(k, h, w, channels, n, seed);
    }

    @Property(tries = 15)
    void col2imOverSeveralUnitsOfImagesFollowsItsDefinition(@ForAll @IntRange(min = 3, max = 5) int k,
                                                            @ForAll @IntRange(min = 6, max = 9) int side,
                                                            @ForAll @IntRange(min = 60, max = 130) int n,
                                                            @ForAll long seed) {
        assertScatterFollowsDefinition(k, side, side, 2, n, seed);
    }

    private static void assertGatherFollowsDefinition(int k, int h, int w, int channels, int n, long seed) {
        int p = (k - 1) / 2;
        float[] big = random(channels * n * 4 * h * w, seed);
        float[] col = random(channels * k * k * n * h * w, seed + 1); // overwritten
        new StrideTwoGrid(k, h, w).im2col(big, channels, n, FloatBuffer.wrap(col));
        int cols = n * h * w;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    for (int b = 0; b < n; b++) {
                        for (int oy = 0; oy < h; oy++) {
                            for (int ox = 0; ox < w; ox++) {
                                int y = 2 * oy - p + ky;
                                int x = 2 * ox - p + kx;
                                float expected = y < 0 || y >= 2 * h || x < 0 || x >= 2 * w ? 0f
                                        : big[((c * n + b) * 2 * h + y) * 2 * w + x];
                                int row = (c * k + ky) * k + kx;
                                assertEquals(expected, col[row * cols + (b * h + oy) * w + ox]);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void assertScatterFollowsDefinition(int k, int h, int w, int channels, int n, long seed) {
        int p = (k - 1) / 2;
        float[] col = random(channels * k * k * n * h * w, seed);
        float[] big = random(channels * n * 4 * h * w, seed + 1); // overwritten
        new StrideTwoGrid(k, h, w).col2im(FloatBuffer.wrap(col), channels, n, big);
        float[] expected = new float[big.length];
        int cols = n * h * w;
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < n; b++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        for (int oy = 0; oy < h; oy++) {
                            for (int ox = 0; ox < w; ox++) {
                                int y = 2 * oy - p + ky;
                                int x = 2 * ox - p + kx;
                                if (y >= 0 && y < 2 * h && x >= 0 && x < 2 * w) {
                                    int row = (c * k + ky) * k + kx;
                                    expected[((c * n + b) * 2 * h + y) * 2 * w + x] +=
                                            col[row * cols + (b * h + oy) * w + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < big.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(big[i]), "position " + i);
        }
    }

    private static float[] random(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }
}
