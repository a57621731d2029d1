package io.github.deepc.anomaly.models.patch;

import java.util.SplittableRandom;

/**
 * Greedy k-center coreset selection (as in PatchCore, Roth et al. 2022): start from one seeded point, then
 * repeatedly add the point farthest from everything chosen so far. The chosen set covers the data with the smallest
 * radius a greedy choice can give (within a factor 2 of the optimum), so rare normal patterns stay in the memory
 * bank, where a random subsample would drop them. Deterministic for a given seed.
 */
final class Coreset {
    private Coreset() {
    }

    /**
     * @param points    {@code n x dim} row-major
     * @param n         number of points
     * @param dim       values per point
     * @param size      how many to choose (all when {@code size >= n})
     * @param seed      picks the first point
     * @return indices of the chosen points, in the order chosen
     */
    static int[] select(float[] points, int n, int dim, int size, long seed) {
        int k = Math.min(size, n);
        int[] chosen = new int[k];
        if (k == 0) {
            return chosen;
        }
        float[] nearest = new float[n];
        java.util.Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        int next = new SplittableRandom(seed).nextInt(n);
        for (int c = 0; c < k; c++) {
            chosen[c] = next;
            int base = next * dim;
            int far = -1;
            float farDist = -1f;
            for (int i = 0; i < n; i++) {
                float d = squaredDistance(points, i * dim, points, base, dim);
                if (d < nearest[i]) {
                    nearest[i] = d;
                }
                if (nearest[i] > farDist) {
                    farDist = nearest[i];
                    far = i;
                }
            }
            next = far;
        }
        return chosen;
    }

    /** @return the squared Euclidean distance of two vectors stored in arrays */
    static float squaredDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s = 0f;
        for (int j = 0; j < dim; j++) {
            float d = a[aOff + j] - b[bOff + j];
            s += d * d;
        }
        return s;
    }
}
