package io.github.deepc.anomaly.models.conv;

/**
 * Pixel-wise feature normalisation (Karras et al. 2018) on a channel-major batch, in place:
 * {@code y = x / sqrt(mean_c(x^2) + eps)} at each image position, the generator's normalisation of the GANs. Because
 * the factor is positive, {@code y} has {@code x}'s sign, so a rectifier before it can still take its derivative from
 * the normalised values; the backward pass needs only {@code y} and the factors:
 * {@code dx_c = r (dy_c - y_c mean_j(dy_j y_j))} with {@code r = 1 / sqrt(mean_c(x^2) + eps)}.
 */
final class PixelNorm {
    /** The epsilon inside the square root (as in the SameDiff graph). */
    static final double EPS = 1e-8;

    private PixelNorm() {
    }

    /**
     * @param x         {@code [channels][n][positions]}; receives the normalised values
     * @param channels  channels
     * @param n         images
     * @param positions positions per image
     * @param factors   receives the factors {@code r}, {@code [n][positions]}
     */
    static void forward(float[] x, int channels, int n, int positions, float[] factors) {
        // each image's positions are independent: split over the images
        ParallelRanges.run(n, (long) channels * positions, (from, to) -> {
            int stride = n * positions;
            double[] sums = new double[positions];
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(sums, 0);
                for (int c = 0; c < channels; c++) {
                    int at = c * stride + b * positions;
                    for (int s = 0; s < positions; s++) {
                        double v = x[at + s];
                        sums[s] += v * v;
                    }
                }
                for (int s = 0; s < positions; s++) {
                    factors[b * positions + s] = (float) (1.0 / Math.sqrt(sums[s] / channels + EPS));
                }
                for (int c = 0; c < channels; c++) {
                    int at = c * stride + b * positions;
                    for (int s = 0; s < positions; s++) {
                        x[at + s] *= factors[b * positions + s];
                    }
                }
            }
        });
    }

    /**
     * @param y         the normalised values of the latest {@link #forward}
     * @param g         the gradient with respect to {@code y}; receives the gradient with respect to {@code x}
     * @param channels  channels
     * @param n         images
     * @param positions positions per image
     * @param factors   the factors of that forward pass
     */
    static void backward(float[] y, float[] g, int channels, int n, int positions, float[] factors) {
        ParallelRanges.run(n, (long) channels * positions, (from, to) -> {
            int stride = n * positions;
            double[] dots = new double[positions];
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(dots, 0);
                for (int c = 0; c < channels; c++) {
                    int at = c * stride + b * positions;
                    for (int s = 0; s < positions; s++) {
                        dots[s] += (double) g[at + s] * y[at + s];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    int at = c * stride + b * positions;
                    for (int s = 0; s < positions; s++) {
                        float r = factors[b * positions + s];
                        g[at + s] = (float) (r * (g[at + s] - y[at + s] * dots[s] / channels));
                    }
                }
            }
        });
    }
}
