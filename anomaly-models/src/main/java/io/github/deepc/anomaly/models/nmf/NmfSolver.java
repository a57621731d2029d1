package io.github.deepc.anomaly.models.nmf;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Non-negative matrix factorisation {@code X ~ H W} by Lee and Seung's multiplicative updates for the Frobenius
 * norm ("Algorithms for non-negative matrix factorization", NIPS 2000). {@code X} is {@code n x p} (one flattened
 * image per row), {@code H} the {@code n x k} coefficients and {@code W} the {@code k x p} basis (one basis image
 * per row). Each iteration updates
 * <pre>
 *   H &larr; H &#8857; (X W&#7488;) / (H W W&#7488; + &epsilon;)
 *   W &larr; W &#8857; (H&#7488; X) / (H&#7488; H W + &epsilon;)
 * </pre>
 * which never increases {@code ||X - HW||^2} and keeps both factors non-negative. The objective is evaluated
 * without forming {@code HW}, as {@code ||X||^2 - 2 sum(H * X W^T) + sum(H^T H * W W^T)} (element-wise products).
 * Iteration stops after {@code maxIterations} or when the objective's relative decrease falls below
 * {@code tolerance}.
 *
 * <p>Initialisation is seeded: every entry of {@code H} and {@code W} is {@code sqrt(mean(X) / k)} times a uniform
 * factor in [0.5, 1.5) (strictly positive, since a multiplicative update cannot move an entry away from 0). The
 * products run as ND4J (OpenBLAS) double-precision matrix multiplications, none of them {@code n x p}-sized besides
 * {@code X} itself.
 */
public final class NmfSolver {
    /** Added to every denominator of the updates. */
    static final double EPSILON = 1e-12;

    private NmfSolver() {
    }

    /**
     * The factorisation and how it got there.
     *
     * @param basis        {@code W}, {@code k x p}, non-negative
     * @param coefficients {@code H}, {@code n x k}, non-negative
     * @param objectives   {@code ||X - HW||^2} at the initialisation and after every iteration run, in order
     * @param converged    whether the tolerance stopped it before {@code maxIterations}
     */
    public record Result(double[][] basis, double[][] coefficients, double[] objectives, boolean converged) {
        /** @return iterations run */
        public int iterations() {
            return objectives.length - 1;
        }

        /** @return the final objective */
        public double finalObjective() {
            return objectives[objectives.length - 1];
        }
    }

    /**
     * @param x             non-negative data, {@code n x p}, at least one row
     * @param components    {@code k}, at least 1
     * @param maxIterations at least 1
     * @param tolerance     relative objective decrease below which iteration stops, at least 0 (0: only when the objective
     *                      no longer changes)
     * @param seed          initialisation seed
     * @param listener      receives {@code onProgress("nmf", iteration, maxIterations)}
     * @return the factorisation
     * @throws IllegalArgumentException for ragged, negative or non-finite data or an invalid setting
     */
    public static Result factorise(double[][] x, int components, int maxIterations, double tolerance, long seed,
                                   ProgressListener listener) {
        check(x, components, maxIterations, tolerance);
        int n = x.length;
        int p = x[0].length;
        int k = components;
        double total = 0;
        double xx = 0;
        for (double[] row : x) {
            for (double v : row) {
                total += v;
                xx += v * v;
            }
        }
        double scale = Math.sqrt(total / ((double) n * p) / k);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] w0 = positive(k, p, scale, rng);
        double[][] h0 = positive(n, k, scale, rng);

        double[] objectives = new double[maxIterations + 1];
        int recorded = 0;
        boolean converged = false;
        try (INDArray xm = Nd4j.create(x);
             INDArray h = Nd4j.create(h0);
             INDArray w = Nd4j.create(w0)) {
            for (int it = 0; ; it++) {
                try (INDArray xwt = xm.mmul(w.transpose());
                     INDArray wwt = w.mmul(w.transpose());
                     INDArray hth = h.transpose().mmul(h)) {
                    double obj = objective(xx, h, xwt, hth, wwt);
                    objectives[recorded++] = obj;
                    if (it > 0) {
                        double prev = objectives[recorded - 2];
                        if (Math.abs(prev - obj) <= tolerance * Math.max(prev, Double.MIN_NORMAL)) {
                            converged = true;
                            break;
                        }
                    }
                    if (it == maxIterations) {
                        break;
                    }
                    // H <- H * (X W^T) / (H W W^T + eps)
                    try (INDArray den = h.mmul(wwt)) {
                        h.muli(xwt).divi(den.addi(EPSILON));
                    }
                }
                // W <- W * (H^T X) / (H^T H W + eps), with the updated H
                try (INDArray htx = h.transpose().mmul(xm);
                     INDArray hth = h.transpose().mmul(h);
                     INDArray den = hth.mmul(w)) {
                    w.muli(htx).divi(den.addi(EPSILON));
                }
                listener.onProgress("nmf", it + 1, maxIterations);
            }
            return new Result(w.toDoubleMatrix(), h.toDoubleMatrix(), Arrays.copyOf(objectives, recorded), converged);
        }
    }

    private static double objective(double xx, INDArray h, INDArray xwt, INDArray hth, INDArray wwt) {
        double cross;
        double quad;
        try (INDArray a = h.mul(xwt); INDArray b = hth.mul(wwt)) {
            cross = a.sumNumber().doubleValue();
            quad = b.sumNumber().doubleValue();
        }
        // rounding can make a near-perfect fit slightly negative
        return Math.max(0.0, xx - 2 * cross + quad);
    }

    private static double[][] positive(int rows, int cols, double scale, SplittableRandom rng) {
        double[][] m = new double[rows][cols];
        double s = scale > 0 ? scale : 1e-3;
        for (double[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = s * (0.5 + rng.nextDouble());
            }
        }
        return m;
    }

    private static void check(double[][] x, int components, int maxIterations, double tolerance) {
        if (x.length == 0) {
            throw new IllegalArgumentException("NMF needs at least one row of data");
        }
        if (components < 1) {
            throw new IllegalArgumentException("parameter nmf.components must be at least 1, got " + components);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("parameter nmf.max-iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("parameter nmf.tolerance must be a number >= 0, got " + tolerance);
        }
        int p = x[0].length;
        if (p == 0) {
            throw new IllegalArgumentException("NMF data rows are empty");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != p) {
                throw new IllegalArgumentException("NMF data row " + i + " has " + x[i].length + " values, row 0 has " + p);
            }
            for (double v : x[i]) {
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("NMF data row " + i + " has the value " + v
                            + "; data must be finite and non-negative");
                }
            }
        }
    }
}
