package io.github.deepc.anomaly.models.score.latent;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k-distance curve of a point set and the DBSCAN radius chosen at its knee.
 *
 * <p><b>Convention.</b> A point is a <em>core point</em> for {@code (eps, minPts)} when at least {@code minPts}
 * points, <em>counting itself</em>, lie within distance {@code eps} (scikit-learn's convention; Apache Commons Math
 * counts only the others). The k-distance of a point, with {@code k = minPts}, is therefore the distance to its
 * {@code (minPts - 1)}-th nearest <em>other</em> point: the smallest {@code eps} at which it is a core point.
 *
 * <p><b>Knee.</b> The k-distances sorted ascending form a convex, rising curve. Both axes are scaled to [0, 1]
 * (index {@code i / (n - 1)}, value {@code (y_i - y_0) / (y_(n-1) - y_0)}) and the knee is the point farthest below
 * the chord from the first to the last point, that is, the index maximising {@code x_i - y_i} (the "kneedle" rule,
 * Satopaa et al. 2011); the first such index wins ties. The radius is the k-distance there: all points up to the
 * knee become core points, the steep tail (sparse points) does not.
 */
public final class KDistance {
    private KDistance() {
    }

    /**
     * @param points the points
     * @param minPts DBSCAN's minimum neighbourhood size, counting the point itself, in [2, points.size()]
     * @return each point's k-distance ({@code k = minPts}), in point order; brute force, {@code O(n^2 d)}
     */
    public static double[] of(PointSet points, int minPts) {
        if (minPts < 2 || minPts > points.size()) {
            throw new IllegalArgumentException("min-pts must be in [2, " + points.size() + "] (the number of points), got "
                    + minPts);
        }
        double[] kd = new double[points.size()];
        // each point's row is independent: the parallel result is the sequential one
        IntStream.range(0, kd.length).parallel().forEach(i -> {
            double[] nearest = points.nearestDistances(points.point(i), minPts - 1, i);
            kd[i] = nearest[minPts - 2];
        });
        return kd;
    }

    /**
     * @param sorted a k-distance curve sorted ascending, at least one value
     * @return the index of its knee (see the class comment); 0 for a flat curve or fewer than three values
     */
    public static int knee(double[] sorted) {
        int n = sorted.length;
        if (n < 3) {
            return 0;
        }
        double lo = sorted[0];
        double span = sorted[n - 1] - lo;
        if (!(span > 0)) {
            return 0;
        }
        int best = 0;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double gap = (double) i / (n - 1) - (sorted[i] - lo) / span;
            if (gap > bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        return best;
    }

    /**
     * The radius chosen from a k-distance curve: the value at its {@link #knee}; when that is 0 (many coinciding
     * points), the smallest positive value; when all are 0 (all points coincide), 1, so that scores stay finite.
     *
     * @param kDistances k-distances in any order
     * @return a positive radius
     */
    public static double eps(double[] kDistances) {
        double[] sorted = kDistances.clone();
        Arrays.sort(sorted);
        double e = sorted[knee(sorted)];
        if (e > 0) {
            return e;
        }
        for (double v : sorted) {
            if (v > 0) {
                return v;
            }
        }
        return 1.0;
    }
}
