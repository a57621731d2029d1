package io.github.deepc.anomaly.models.conv;

/** The activation after a stage, applied in place to a channel-major output, and its derivative. */
public enum Activation {
    /** {@code max(z, 0)}. */
    RELU,
    /** The logistic function {@code 1 / (1 + exp(-z))}. */
    SIGMOID,
    /** The identity. */
    LINEAR,
    /**
     * The leaky rectifier {@code z > 0 ? z : }{@value #LEAK}{@code  z} (ND4J's {@code leakyRelu} with that slope; the
     * deep one-class networks use it).
     */
    LEAKY_RELU(0.01),
    /** The leaky rectifier with slope 0.2 below 0 (the GANs' discriminators and encoders, after DCGAN). */
    LEAKY_RELU_0_2(0.2),
    /** The hyperbolic tangent (a GAN generator's output for pixels in [-1, 1]). */
    TANH;

    /** Slope of {@link #LEAKY_RELU} below 0. */
    public static final double LEAK = 0.01;

    /** Slope below 0 of a leaky rectifier (as a float, as the loops use it), 0 for the other activations. */
    private final float slope;

    Activation() {
        this(0);
    }

    Activation(double slope) {
        this.slope = (float) slope;
    }

    /** @return the slope below 0 of a leaky rectifier, 0 for the other activations */
    public double slope() {
        return slope;
    }

    /** @return the lowercase parameter word, e.g. {@code sigmoid} */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Adds each row's bias and applies the activation, in place.
     *
     * @param z    {@code [rows][cols]} pre-activations; receives the activations
     * @param bias one value per row
     * @param cols columns
     */
    void forward(float[] z, float[] bias, int cols) {
        ParallelRanges.run(bias.length, cols, (from, to) -> forward(z, bias, cols, from, to));
    }

    /** {@link #forward(float[], float[], int)} for the rows {@code [from, to)}. */
    private void forward(float[] z, float[] bias, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            float b = bias[r];
            int end = (r + 1) * cols;
            switch (this) {
                case RELU -> {
                    for (int i = r * cols; i < end; i++) {
                        z[i] = Math.max(z[i] + b, 0f);
                    }
                }
                case SIGMOID -> {
                    for (int i = r * cols; i < end; i++) {
                        z[i] = (float) (1.0 / (1.0 + Math.exp(-(z[i] + b))));
                    }
                }
                case LINEAR -> {
                    for (int i = r * cols; i < end; i++) {
                        z[i] += b;
                    }
                }
                case LEAKY_RELU, LEAKY_RELU_0_2 -> {
                    // max(v, slope v) is v < 0 ? slope v : v bit for bit when 0 < slope < 1 (signed zeros included,
                    // NaN stays NaN), and unlike the conditional it compiles to vector instructions
                    for (int i = r * cols; i < end; i++) {
                        float v = z[i] + b;
                        z[i] = Math.max(v, slope * v);
                    }
                }
                case TANH -> {
                    for (int i = r * cols; i < end; i++) {
                        z[i] = (float) Math.tanh(z[i] + b);
                    }
                }
            }
        }
    }

    /**
     * The bias gradient of {@link #forward}: each row's sum.
     *
     * @param g    {@code [rows][cols]} gradients with respect to the pre-activations
     * @param cols columns
     * @param sums receives one sum per row ({@code sums.length} rows)
     */
    static void rowSums(float[] g, int cols, float[] sums) {
        ParallelRanges.run(sums.length, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                sums[r] = (float) FloatSums.sum(g, r * cols, (r + 1) * cols);
            }
        });
    }

    /**
     * Turns the gradient with respect to the activations into the gradient with respect to the pre-activations, in
     * place.
     *
     * @param a    the activations (from {@link #forward})
     * @param g    the gradient with respect to {@code a}; receives the gradient with respect to the pre-activations
     * @param size values
     */
    void backward(float[] a, float[] g, int size) {
        if (this == LINEAR) {
            return;
        }
        // element-wise: split into blocks of BLOCK values
        int blocks = (size + BLOCK - 1) / BLOCK;
        ParallelRanges.run(blocks, BLOCK, (from, to) -> backward(a, g, from * BLOCK, (int) Math.min(size,
                (long) to * BLOCK)));
    }

    /** Values per block of an element-wise loop split over threads. */
    private static final int BLOCK = 4096;

    /** {@link #backward(float[], float[], int)} for the values {@code [from, to)}. */
    private void backward(float[] a, float[] g, int from, int to) {
        switch (this) {
            case RELU -> {
                for (int i = from; i < to; i++) {
                    if (a[i] <= 0f) {
                        g[i] = 0f;
                    }
                }
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) {
                    g[i] *= a[i] * (1f - a[i]);
                }
            }
            case LINEAR -> {
            }
            case LEAKY_RELU, LEAKY_RELU_0_2 -> {
                // the activation has the pre-activation's sign: the factor is 1 above 0, the slope otherwise. Scaling
                // by 2^252 takes every positive float (the smallest subnormal included) above 1 and keeps every other
                // at or below 0, so the clamp gives exactly 1 or the slope: the same bits as the branch
                // `if (a <= 0) g *= slope`, but vector instructions instead of a branch mispredicted on about half of
                // the values (17x faster measured, and a sixth of Deep SVDD's training step before)
                for (int i = from; i < to; i++) {
                    g[i] *= Math.min(Math.max(a[i] * 0x1p126f * 0x1p126f, slope), 1f);
                }
            }
            case TANH -> {
                for (int i = from; i < to; i++) {
                    g[i] *= 1f - a[i] * a[i];
                }
            }
        }
    }
}
