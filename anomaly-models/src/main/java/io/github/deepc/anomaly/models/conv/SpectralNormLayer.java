package io.github.deepc.anomaly.models.conv;

import java.util.SplittableRandom;

/**
 * Spectral normalisation (Miyato et al. 2018) of one weight on the direct engine, exactly as the SameDiff models'
 * {@code gan.SpectralNorm} does it: the weight, viewed as a matrix {@code M} of {@code rows x cols} (all dimensions
 * but the output one, by the output features), is used as {@code W / sigma} with {@code sigma = v^T M u}; the
 * persistent unit vectors {@code u} ({@code cols}) and {@code v} ({@code rows}) advance by one power iteration per
 * discriminator step ({@link #iterate}: {@code v = normalise(M u)}, {@code u = normalise(M^T v)}, each divided by its
 * norm + 1e-12), and the gradient flows through {@code sigma} to {@code W} with {@code u} and {@code v} held constant
 * ({@link #backward}). Inference uses the stored vectors without advancing them.
 *
 * <p>The quirk {@code gan.SpectralNorm} works around (SameDiff 1.0.0-M2.1 differentiates {@code w / sigma} wrongly
 * when {@code sigma} is a broadcast scalar, so the graph multiplies by {@code 1 / sigma}) does not arise here: the
 * gradient is written out, {@code dL/dW = G / sigma - (sum(G * W) / sigma^2) v u^T} for {@code G = dL/d(W / sigma)}.
 * The forward pass multiplies by the float reciprocal as the graph does.
 *
 * <p>Layout and state, matching the SameDiff variables so that GAN states stay loadable: {@link #u()} is the
 * placeholder {@code <weight>_sn_u} ({@code [cols, 1]}) and {@link #v()} is {@code <weight>_sn_v} ({@code [rows, 1]}).
 * The matrix view {@code M} is always SameDiff's: {@code reshape(w, rows, cols)} of a dense weight {@code [in, out]}
 * ({@code rows = in}) or of a convolution weight {@code [kH, kW, in, out]} ({@code rows = kH * kW * in}, row index
 * {@code (ky * kW + kx) * in + i}). The weight array itself may be stored that way ({@link #SpectralNormLayer(int, int,
 * SplittableRandom)}) or in the engine's PyTorch layout {@code [out][in][kH][kW]} ({@link #convolution}); the vectors
 * are the same either way. The initial vectors are drawn as {@code gan.SpectralNorm.create} draws them: {@code u}, then
 * {@code v}, standard normal values divided by their norm + 1e-12, from the given generator; several layers created
 * in the graph's declaration order from one generator therefore get the graph's vectors.
 *
 * <p>Internal support for the model packages (public for them), not API. Not thread-safe.
 */
public final class SpectralNormLayer {
    private static final double EPS = 1e-12;

    private final int rows;
    private final int cols;
    /** Index in the weight array of {@code M[r][c]}, at {@code r * cols + c}; {@code null} when it is that index. */
    private final int[] at;
    private final float[] u;
    private final float[] v;
    private double sigma = Double.NaN;

    /**
     * A normalisation of a weight stored as its matrix view, row-major {@code rows x cols} (SameDiff's layout of
     * dense weights {@code [in, out]} and convolution weights {@code [kH, kW, in, out]}).
     *
     * @param rows rows of the matrix view (all dimensions but the output one, multiplied)
     * @param cols columns (output features)
     * @param rng  randomness for the initial vectors ({@code u} drawn first), or {@code null} for zeros (a saved state
     *             follows)
     */
    public SpectralNormLayer(int rows, int cols, SplittableRandom rng) {
        this(rows, cols, null, rng);
    }

    private SpectralNormLayer(int rows, int cols, int[] at, SplittableRandom rng) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a spectrally normalised weight needs rows >= 1 and cols >= 1, got "
                    + rows + " x " + cols);
        }
        Math.multiplyExact(rows, cols);
        this.rows = rows;
        this.cols = cols;
        this.at = at;
        this.u = unitVector(cols, rng);
        this.v = unitVector(rows, rng);
    }

    /**
     * A normalisation of a convolution weight stored in the engine's PyTorch layout {@code [out][in][kernel][kernel]},
     * with the vectors of SameDiff's view {@code reshape([kernel, kernel, in, out], kernel * kernel * in, out)}.
     *
     * @param in     input channels
     * @param out    output channels
     * @param kernel kernel side
     * @param rng    randomness for the initial vectors, or {@code null} for zeros
     * @return the normalisation
     */
    public static SpectralNormLayer convolution(int in, int out, int kernel, SplittableRandom rng) {
        if (in < 1 || out < 1 || kernel < 1) {
            throw new IllegalArgumentException("a convolution needs in, out and kernel >= 1, got in " + in + ", out "
                    + out + ", kernel " + kernel);
        }
        int kk = kernel * kernel;
        int rows = kk * in;
        int[] at = new int[Math.multiplyExact(rows, out)];
        for (int k = 0; k < kk; k++) {
            for (int i = 0; i < in; i++) {
                int r = k * in + i;
                for (int o = 0; o < out; o++) {
                    at[r * out + o] = (o * in + i) * kk + k;
                }
            }
        }
        return new SpectralNormLayer(rows, out, at, rng);
    }

    private static float[] unitVector(int n, SplittableRandom rng) {
        float[] f = new float[n];
        if (rng != null) {
            // as gan.SpectralNorm: Gaussian values in double, divided by their norm + eps, rounded once
            double[] d = new double[n];
            double sq = 0;
            for (int i = 0; i < n; i++) {
                d[i] = rng.nextGaussian();
                sq += d[i] * d[i];
            }
            double norm = Math.sqrt(sq) + EPS;
            for (int i = 0; i < n; i++) {
                f[i] = (float) (d[i] / norm);
            }
        }
        return f;
    }

    /** @return rows of the matrix view ({@code v}'s length) */
    public int rows() {
        return rows;
    }

    /** @return columns of the matrix view ({@code u}'s length) */
    public int cols() {
        return cols;
    }

    /** @return the live right vector {@code u} ({@code <weight>_sn_u}, {@code cols} values; for saving and loading) */
    public float[] u() {
        return u;
    }

    /** @return the live left vector {@code v} ({@code <weight>_sn_v}, {@code rows} values; for saving and loading) */
    public float[] v() {
        return v;
    }

    /**
     * Replaces the vectors (a loaded state).
     *
     * @param newU {@code cols} values
     * @param newV {@code rows} values
     */
    public void setVectors(float[] newU, float[] newV) {
        check("u", newU, cols);
        check("v", newV, rows);
        System.arraycopy(newU, 0, u, 0, cols);
        System.arraycopy(newV, 0, v, 0, rows);
    }

    private double m(float[] w, int r, int c) {
        int i = r * cols + c;
        return w[at == null ? i : at[i]];
    }

    /**
     * One power iteration on the current weight (once per discriminator step, before its forward pass).
     *
     * @param w the raw weight
     */
    public void iterate(float[] w) {
        check("weight", w, rows * cols);
        double[] mu = new double[rows];
        double sq = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += m(w, r, c) * u[c];
            }
            mu[r] = s;
            sq += s * s;
        }
        double vNorm = Math.sqrt(sq) + EPS;
        for (int r = 0; r < rows; r++) {
            v[r] = (float) (mu[r] / vNorm);
        }
        double[] mtv = new double[cols];
        for (int r = 0; r < rows; r++) {
            double vr = v[r];
            for (int c = 0; c < cols; c++) {
                mtv[c] += m(w, r, c) * vr;
            }
        }
        sq = 0;
        for (double x : mtv) {
            sq += x * x;
        }
        double uNorm = Math.sqrt(sq) + EPS;
        for (int c = 0; c < cols; c++) {
            u[c] = (float) (mtv[c] / uNorm);
        }
    }

    /**
     * @param w the raw weight
     * @return {@code sigma = v^T M u} with the current vectors
     */
    public double sigma(float[] w) {
        check("weight", w, rows * cols);
        double s = 0;
        for (int r = 0; r < rows; r++) {
            double row = 0;
            for (int c = 0; c < cols; c++) {
                row += m(w, r, c) * u[c];
            }
            s += row * v[r];
        }
        return s;
    }

    /**
     * Writes the normalised weight {@code W / sigma} and keeps {@code sigma} for {@link #backward}.
     *
     * @param w          the raw weight
     * @param normalised receives the normalised weight, in {@code w}'s layout (may not be {@code w})
     */
    public void forward(float[] w, float[] normalised) {
        check("normalised weight", normalised, w.length);
        if (normalised == w) {
            throw new IllegalArgumentException("the normalised weight needs its own array: the raw one is kept");
        }
        sigma = sigma(w);
        float inverse = (float) (1.0 / sigma);
        for (int i = 0; i < w.length; i++) {
            normalised[i] = w[i] * inverse;
        }
    }

    /** @return {@code sigma} of the latest {@link #forward} ({@code NaN} before the first) */
    public double lastSigma() {
        return sigma;
    }

    /**
     * The gradient with respect to the raw weight, {@code G / sigma - (sum(G * W) / sigma^2) v u^T}, with {@code u},
     * {@code v} and {@code sigma} those of the latest {@link #forward}.
     *
     * @param w              the raw weight of that forward pass
     * @param normalisedGrad the gradient with respect to the normalised weight, in {@code w}'s layout
     * @param weightGrad     receives the gradient with respect to {@code w} (may be {@code normalisedGrad})
     */
    public void backward(float[] w, float[] normalisedGrad, float[] weightGrad) {
        if (Double.isNaN(sigma)) {
            throw new IllegalStateException("backward before forward");
        }
        check("weight", w, rows * cols);
        check("normalised-weight gradient", normalisedGrad, w.length);
        check("weight gradient", weightGrad, w.length);
        double dot = 0;
        for (int i = 0; i < w.length; i++) {
            dot += (double) normalisedGrad[i] * w[i];
        }
        double scale = 1.0 / sigma;
        double outer = dot / (sigma * sigma);
        for (int r = 0; r < rows; r++) {
            double vr = outer * v[r];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int k = at == null ? i : at[i];
                weightGrad[k] = (float) (normalisedGrad[k] * scale - vr * u[c]);
            }
        }
    }

    private static void check(String what, float[] a, int length) {
        if (a == null || a.length != length) {
            throw new IllegalArgumentException("spectral normalisation: the " + what + " must have " + length
                    + " values, got " + (a == null ? "none" : String.valueOf(a.length)));
        }
    }
}
