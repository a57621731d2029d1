package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Stored (standardised) training vectors with brute-force Euclidean neighbour queries: each query computes the
 * distance to every stored point, {@code O(n * d)} time for {@code n} points of dimension {@code d} and no index
 * to build, which is fast enough for thousands of training images (about 4 million multiply-adds for 1,000 points
 * of 4,096 values). Points are kept as floats; distances are accumulated in double in index order, so a query
 * gives the same value before and after a save and load. Immutable and thread-safe.
 */
public final class PointSet {
    private final float[][] points;
    private final int dim;

    /**
     * @param points the points, at least one, all of {@code dim} values (the array is owned from now on)
     * @param dim    their dimension
     */
    public PointSet(float[][] points, int dim) {
        if (points.length == 0) {
            throw new IllegalArgumentException("a point set needs at least one point");
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " values, expected "
                        + dim);
            }
        }
        this.points = points;
        this.dim = dim;
    }

    /** @return the number of points */
    public int size() {
        return points.length;
    }

    /** @return the dimension */
    public int dimension() {
        return dim;
    }

    /**
     * @param i a point index
     * @return the point widened to double (a copy)
     */
    public double[] point(int i) {
        double[] d = new double[dim];
        for (int j = 0; j < dim; j++) {
            d[j] = points[i][j];
        }
        return d;
    }

    /**
     * @param q a query of {@link #dimension()} values
     * @param i a point index
     * @return the squared Euclidean distance from {@code q} to point {@code i}
     */
    public double squaredDistance(double[] q, int i) {
        float[] p = points[i];
        double s = 0;
        for (int j = 0; j < dim; j++) {
            double d = q[j] - p[j];
            s += d * d;
        }
        return s;
    }

    /**
     * @param q a query of {@link #dimension()} values
     * @return the Euclidean distance to the nearest point
     */
    public double nearestDistance(double[] q) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points.length; i++) {
            best = Math.min(best, squaredDistance(q, i));
        }
        return Math.sqrt(best);
    }

    /**
     * The distances to the {@code k} nearest points, ascending; with {@code skip >= 0}, point {@code skip} itself
     * is left out (for a point's neighbours among the others).
     *
     * @param q    a query of {@link #dimension()} values
     * @param k    how many, at least 1 and at most the number of points considered
     * @param skip a point index to leave out, or -1
     * @return {@code k} Euclidean distances, ascending
     */
    public double[] nearestDistances(double[] q, int k, int skip) {
        int available = points.length - (skip >= 0 ? 1 : 0);
        if (k < 1 || k > available) {
            throw new IllegalArgumentException("k must be in [1, " + available + "], got " + k);
        }
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int i = 0; i < points.length; i++) {
            if (i == skip) {
                continue;
            }
            double d = squaredDistance(q, i);
            if (d < best[k - 1]) {
                int pos = k - 1;
                while (pos > 0 && best[pos - 1] > d) {
                    best[pos] = best[pos - 1];
                    pos--;
                }
                best[pos] = d;
            }
        }
        for (int j = 0; j < k; j++) {
            best[j] = Math.sqrt(best[j]);
        }
        return best;
    }

    /**
     * Writes the points.
     *
     * @param out the state body
     * @throws IOException when writing fails
     */
    public void write(DataOutputStream out) throws IOException {
        StateFormat.writeMatrix(out, points);
    }

    /**
     * @param in        the state body
     * @param maxPoints the largest plausible number of points
     * @param dim       the expected dimension
     * @param what      the state's name, for messages
     * @return the point set written by {@link #write}
     * @throws IOException when it is corrupt
     */
    public static PointSet read(DataInputStream in, int maxPoints, int dim, String what) throws IOException {
        float[][] p = StateFormat.readMatrix(in, maxPoints, dim, "points", what);
        if (p.length == 0) {
            throw new IOException("corrupt " + what + " state: no points");
        }
        for (float[] row : p) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IOException("corrupt " + what + " state: a point has a non-finite value");
                }
            }
        }
        return new PointSet(p, dim);
    }
}
