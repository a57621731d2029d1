package io.github.deepc.anomaly.models.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of window extraction, painting back and the k-center coreset. */
class PatchIndexProperties {
    @Property(tries = 60)
    void windowsHoldTheShrunkPixelsAtTheirGridPositions(@ForAll @IntRange(min = 8, max = 40) int w,
                                                        @ForAll @IntRange(min = 8, max = 40) int h,
                                                        @ForAll @IntRange(min = 2, max = 6) int patch,
                                                        @ForAll @IntRange(min = 1, max = 5) int stride,
                                                        @ForAll @IntRange(min = 0, max = 1) int scale,
                                                        @ForAll @LongRange(min = 0, max = 1000) long seed) {
        if (w / (1 << scale) < patch || h / (1 << scale) < patch) {
            return;
        }
        Random r = new Random(seed);
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        GrayImage img = GrayImage.of(w, h, px, null);
        PatchGrid grid = new PatchGrid(w, h, patch, stride, scale);
        float[] out = new float[grid.positions() * grid.dimension()];
        boolean[] counts = grid.extract(img, out);
        int f = 1 << scale;
        int cols = (w / f - patch) / stride + 1;
        for (int pos = 0; pos < grid.positions(); pos++) {
            assertTrue(counts[pos], "a fully valid image: every window counts");
            int r0 = pos / cols * stride;
            int c0 = pos % cols * stride;
            for (int y = 0; y < patch; y++) {
                for (int x = 0; x < patch; x++) {
                    double mean = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            mean += px[((r0 + y) * f + dy) * w + (c0 + x) * f + dx];
                        }
                    }
                    assertEquals(mean / (f * f), out[pos * grid.dimension() + y * patch + x], 1e-5);
                }
            }
        }
        // painting a constant back gives that constant wherever a window covers, 0 elsewhere
        float[] ones = new float[grid.positions()];
        Arrays.fill(ones, 2f);
        double[] sum = new double[w * h];
        int[] hits = new int[w * h];
        grid.paint(ones, counts, sum, hits);
        for (int i = 0; i < sum.length; i++) {
            assertEquals(hits[i] == 0 ? 0.0 : 2.0, hits[i] == 0 ? sum[i] : sum[i] / hits[i], 1e-12);
        }
        assertTrue(hits[0] > 0, "the top-left pixel is always covered");
    }

    @Property(tries = 60)
    void coresetIsDistinctDeterministicAndGreedyFarthest(@ForAll @IntRange(min = 1, max = 80) int n,
                                                        @ForAll @IntRange(min = 1, max = 5) int dim,
                                                        @ForAll @IntRange(min = 1, max = 90) int size,
                                                        @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Random r = new Random(seed);
        float[] pts = new float[n * dim];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = (float) r.nextGaussian();
        }
        int[] chosen = Coreset.select(pts, n, dim, size, seed);
        assertEquals(Math.min(n, size), chosen.length);
        assertArrayEquals(chosen, Coreset.select(pts, n, dim, size, seed));
        Set<Integer> distinctPoints = new HashSet<>();
        for (int c : chosen) {
            distinctPoints.add(Arrays.hashCode(Arrays.copyOfRange(pts, c * dim, c * dim + dim)));
        }
        assertEquals(chosen.length, new HashSet<>(Arrays.stream(chosen).boxed().toList()).size(), "no index twice");
        // each chosen point (after the first) was the farthest from those chosen before it
        for (int k = 1; k < chosen.length; k++) {
            float best = -1;
            for (int i = 0; i < n; i++) {
                best = Math.max(best, nearest(pts, dim, i, chosen, k));
            }
            assertEquals(best, nearest(pts, dim, chosen[k], chosen, k), 1e-6f);
        }
    }

    private static float nearest(float[] pts, int dim, int i, int[] chosen, int k) {
        float best = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            best = Math.min(best, Coreset.squaredDistance(pts, i * dim, pts, chosen[c] * dim, dim));
        }
        return best;
    }
}
