package io.github.deepc.anomaly.models.gan;

/**
 * The GAN losses on the direct engine, on plain arrays, with their gradients: the SameDiff graph's
 * {@link Layers#groupLogisticLosses} (one-sided label smoothing is a real-group target below 1),
 * {@link Layers#groupMeanProbabilities} and {@link Layers#maskedL1}. Sums are taken in double.
 */
final class GanLosses {
    private GanLosses() {
    }

    /**
     * Mean logistic losses of {@code targets.length} equal groups of logits, group after group, each against its own
     * target, and the gradient of their sum.
     *
     * @param logits  at least {@code count} logits
     * @param count   logits to use, {@code k m}
     * @param targets one label per group
     * @param grad    receives {@code (sigmoid(l) - t) / m} per logit, or {@code null}
     * @return the {@code k} group losses
     */
    static double[] groupLogistic(float[] logits, int count, double[] targets, float[] grad) {
        int k = targets.length;
        int m = count / k;
        double[] losses = new double[k];
        for (int g = 0; g < k; g++) {
            double t = targets[g];
            double s = 0;
            for (int i = g * m; i < (g + 1) * m; i++) {
                double l = logits[i];
                s += Math.max(l, 0) - l * t + Math.log1p(Math.exp(-Math.abs(l)));
                if (grad != null) {
                    grad[i] = (float) ((sigmoid(l) - t) / m);
                }
            }
            losses[g] = s / m;
        }
        return losses;
    }

    /**
     * @param logits at least {@code count} logits, group after group
     * @param count  logits to use, {@code k m}
     * @param k      groups
     * @return the mean probability {@code sigmoid(logit)} of each group
     */
    static double[] groupMeanProbabilities(float[] logits, int count, int k) {
        int m = count / k;
        double[] means = new double[k];
        for (int g = 0; g < k; g++) {
            double s = 0;
            for (int i = g * m; i < (g + 1) * m; i++) {
                s += sigmoid(logits[i]);
            }
            means[g] = s / m;
        }
        return means;
    }

    /**
     * The masked L1 reconstruction error, per image {@code sum(|r - x| mask) / max(sum(mask), 1)}, averaged over the
     * images, and its gradient with respect to the reconstruction ({@code sign(r - x) mask / (valid n)}; 0 where
     * {@code r = x}, as SameDiff's {@code abs}).
     *
     * @param reconstructed {@code n x px} values
     * @param x             the images
     * @param mask          1 for valid pixels, 0 otherwise
     * @param n             images
     * @param px            pixels per image
     * @param grad          receives the gradient ({@code n x px}), or {@code null}
     * @return the error
     */
    static double maskedL1(float[] reconstructed, float[] x, float[] mask, int n, int px, float[] grad) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            double s = 0;
            double valid = 0;
            for (int i = b * px; i < (b + 1) * px; i++) {
                s += Math.abs((double) reconstructed[i] - x[i]) * mask[i];
                valid += mask[i];
            }
            valid = Math.max(valid, 1);
            total += s / valid;
            if (grad != null) {
                for (int i = b * px; i < (b + 1) * px; i++) {
                    grad[i] = (float) (Math.signum(reconstructed[i] - x[i]) * mask[i] / (valid * n));
                }
            }
        }
        return total / n;
    }

    private static double sigmoid(double l) {
        return 1.0 / (1.0 + Math.exp(-l));
    }
}
