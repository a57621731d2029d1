package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-feature standardisation {@code (x - mean) / sd} fitted on the training normals, as scikit-learn's
 * {@code StandardScaler}: population standard deviation, and a scale of 1 for (near-)constant features (standard
 * deviation below {@code 10 * ulp(1)}), which are then only centred. Disabled, it is the identity (mean 0, scale
 * 1). Immutable.
 */
public final class Standardizer {
    private static final double TINY = 10 * Math.ulp(1.0);

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * @param x       training rows, at least one, all of one length
     * @param enabled whether to standardise; {@code false} gives the identity
     * @return the fitted standardiser
     */
    public static Standardizer fit(double[][] x, boolean enabled) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        Arrays.fill(scale, 1.0);
        if (!enabled) {
            return new Standardizer(mean, scale);
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= x.length;
        }
        double[] var = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                var[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / x.length);
            scale[j] = sd < TINY ? 1.0 : sd;
        }
        return new Standardizer(mean, scale);
    }

    /** @return the number of features */
    public int dimension() {
        return mean.length;
    }

    /**
     * @param v a vector of {@link #dimension()} values
     * @return a new, standardised vector
     */
    public double[] apply(double[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (v[j] - mean[j]) / scale[j];
        }
        return out;
    }

    /**
     * Standardises training rows and rounds them to float, the precision the scorers keep (and save) them in.
     *
     * @param x rows of {@link #dimension()} values
     * @return the standardised rows as floats
     */
    public float[][] applyToFloats(double[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] s = apply(x[i]);
            float[] f = new float[s.length];
            for (int j = 0; j < s.length; j++) {
                f[j] = (float) s[j];
            }
            out[i] = f;
        }
        return out;
    }

    /**
     * Writes the dimension, means and scales.
     *
     * @param out the state body
     * @throws IOException when writing fails
     */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        StateFormat.writeDoubles(out, mean);
        StateFormat.writeDoubles(out, scale);
    }

    /**
     * @param in     the state body
     * @param maxDim the largest plausible dimension
     * @param what   the state's name, for messages
     * @return the standardiser written by {@link #write}
     * @throws IOException when it is corrupt (a scale that is not positive and finite included)
     */
    public static Standardizer read(DataInputStream in, int maxDim, String what) throws IOException {
        int d = StateFormat.readInt(in, "latent dimension", 1, maxDim, what);
        double[] mean = StateFormat.readDoubles(in, d, "feature means", what);
        double[] scale = StateFormat.readDoubles(in, d, "feature scales", what);
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(mean[j]) || !(scale[j] > 0) || !Double.isFinite(scale[j])) {
                throw new IOException("corrupt " + what + " state: feature " + j + " has mean " + mean[j]
                        + " and scale " + scale[j]);
            }
        }
        return new Standardizer(mean, scale);
    }
}
