package io.github.deepc.anomaly.models.patch;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The windows' linear encoder: the leading principal directions of a sample of training windows (covariance of
 * {@code dim x dim}, at most a few hundred, eigendecomposed with Commons Math), and the projection of a window on
 * them. Signs follow scikit-learn's {@code svd_flip} (largest-magnitude entry positive) so fits are reproducible.
 */
final class PatchEncoder {
    private PatchEncoder() {
    }

    /**
     * @param windows per image, its windows' vectors
     * @param ids     (image << 32 | position) of the windows, the first {@code count} of which are used
     * @param count   how many to use
     * @param dim     values per window
     * @param k       directions to keep
     * @param mean    receives the sample mean, {@code dim} values
     * @return the directions, {@code k x dim} row-major
     */
    static float[] fit(List<float[]> windows, long[] ids, int count, int dim, int k, float[] mean) {
        double[] mu = new double[dim];
        for (int c = 0; c < count; c++) {
            float[] w = windows.get((int) (ids[c] >>> 32));
            int off = (int) ids[c] * dim;
            for (int j = 0; j < dim; j++) {
                mu[j] += w[off + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mu[j] /= count;
            mean[j] = (float) mu[j];
        }
        double[][] cov = new double[dim][dim];
        double[] x = new double[dim];
        for (int c = 0; c < count; c++) {
            float[] w = windows.get((int) (ids[c] >>> 32));
            int off = (int) ids[c] * dim;
            for (int j = 0; j < dim; j++) {
                x[j] = w[off + j] - mu[j];
            }
            for (int a = 0; a < dim; a++) {
                double xa = x[a];
                double[] row = cov[a];
                for (int b = a; b < dim; b++) {
                    row[b] += xa * x[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] lambda = eigen.getRealEigenvalues();
        Integer[] order = new Integer[dim];
        for (int j = 0; j < dim; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> lambda[a] != lambda[b] ? Double.compare(lambda[b], lambda[a]) : Integer.compare(a, b));
        float[] basis = new float[k * dim];
        for (int r = 0; r < k; r++) {
            double[] v = eigen.getEigenvector(order[r]).toArray();
            int arg = 0;
            for (int j = 1; j < dim; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            double sign = v[arg] < 0 ? -1 : 1;
            for (int j = 0; j < dim; j++) {
                basis[r * dim + j] = (float) (sign * v[j]);
            }
        }
        return basis;
    }

    /** Writes the {@code k} coefficients of one window (at {@code off} in {@code src}) to {@code out} at {@code outOff}. */
    static void encode(float[] src, int off, int dim, float[] mean, float[] basis, int k, float[] out, int outOff) {
        for (int r = 0; r < k; r++) {
            float s = 0f;
            int b = r * dim;
            for (int j = 0; j < dim; j++) {
                s += (src[off + j] - mean[j]) * basis[b + j];
            }
            out[outOff + r] = s;
        }
    }
}
