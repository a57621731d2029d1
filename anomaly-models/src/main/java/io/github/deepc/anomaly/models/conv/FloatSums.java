package io.github.deepc.anomaly.models.conv;

/**
 * Sums of float runs in double with four running sums, combined as {@code (s0 + s1) + (s2 + s3)}: one chain of
 * dependent additions waits on each addition's latency, four chains overlap (about 2x measured on the engine's bias
 * gradients, the softmax's row sums and the L2 penalty). The order of the additions is fixed, so a given run gives the
 * same bits every time.
 */
final class FloatSums {
    private FloatSums() {
    }

    /** @return the sum of {@code a[from..to)} */
    static double sum(float[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** @return the sum of the squares of {@code a[from..to)}, each square in double */
    static double sumOfSquares(float[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) a[i] * a[i];
            s1 += (double) a[i + 1] * a[i + 1];
            s2 += (double) a[i + 2] * a[i + 2];
            s3 += (double) a[i + 3] * a[i + 3];
        }
        for (; i < to; i++) {
            s0 += (double) a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
