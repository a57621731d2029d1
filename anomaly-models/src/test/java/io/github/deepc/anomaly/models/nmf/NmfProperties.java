package io.github.deepc.anomaly.models.nmf;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class NmfProperties {
    /** Random non-negative data, some entries exactly 0 (like padding). */
    private static double[][] data(int n, int p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                row[j] = rng.nextInt(5) == 0 ? 0.0 : rng.nextDouble();
            }
        }
        return x;
    }

    private static double squaredError(double[][] x, double[][] h, double[][] w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                double r = 0;
                for (int c = 0; c < w.length; c++) {
                    r += h[i][c] * w[c][j];
                }
                s += (x[i][j] - r) * (x[i][j] - r);
            }
        }
        return s;
    }

    @Property(tries = 40)
    boolean reconstructionErrorNeverRises(@ForAll @IntRange(min = 2, max = 12) int n,
                                          @ForAll @IntRange(min = 2, max = 30) int p,
                                          @ForAll @IntRange(min = 1, max = 5) int k,
                                          @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        double[][] x = data(n, p, seed);
        NmfSolver.Result r = NmfSolver.factorise(x, k, 30, 0.0, seed, ProgressListener.NONE);
        double[] obj = r.objectives();
        double xx = 0;
        for (double[] row : x) {
            for (double v : row) {
                xx += v * v;
            }
        }
        double slack = 1e-9 * Math.max(xx, 1e-12);
        for (int t = 1; t < obj.length; t++) {
            if (obj[t] > obj[t - 1] + slack) {
                throw new AssertionError("objective rose at iteration " + t + ": " + obj[t - 1] + " -> " + obj[t]);
            }
        }
        // tolerance 0 stops early only at an exact fixed point
        return obj.length >= 2 && obj.length <= 31 && obj[obj.length - 1] <= obj[0]
                && (obj.length == 31 || obj[obj.length - 1] == obj[obj.length - 2]);
    }

    @Property(tries = 40)
    boolean factorsStayNonNegativeAndTheObjectiveIsTheSquaredError(@ForAll @IntRange(min = 2, max = 10) int n,
                                                                   @ForAll @IntRange(min = 2, max = 25) int p,
                                                                   @ForAll @IntRange(min = 1, max = 4) int k,
                                                                   @ForAll @IntRange(min = 1, max = 40) int iterations,
                                                                   @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        double[][] x = data(n, p, seed);
        NmfSolver.Result r = NmfSolver.factorise(x, k, iterations, 0.0, seed, ProgressListener.NONE);
        for (double[] row : r.basis()) {
            for (double v : row) {
                if (!(v >= 0) || !Double.isFinite(v)) {
                    return false;
                }
            }
        }
        for (double[] row : r.coefficients()) {
            for (double v : row) {
                if (!(v >= 0) || !Double.isFinite(v)) {
                    return false;
                }
            }
        }
        double direct = squaredError(x, r.coefficients(), r.basis());
        return r.basis().length == k && r.basis()[0].length == p && r.coefficients().length == n
                && Math.abs(direct - r.finalObjective()) <= 1e-9 * Math.max(1.0, direct);
    }
}
