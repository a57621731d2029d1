package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork.FeatureLoss;

/**
 * The one-class losses on the direct engine, the same functions as the SameDiff graphs' ({@link DeepSvddGraph},
 * {@link DeepOneClassGraph}), with their gradients with respect to the features and logits. Sums run in double.
 */
final class OneClassLosses {
    private OneClassLosses() {
    }

    /**
     * Deep SVDD: {@code mean_b ||phi(x_b) - c||^2}; gradient {@code 2 (phi - c) / n}.
     *
     * @param centre the fixed centre
     * @return the loss
     */
    static FeatureLoss svdd(float[] centre) {
        int d = centre.length;
        return (features, logits, n, featureGrad, logitGrad) -> {
            double total = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < d; j++) {
                    int i = b * d + j;
                    double diff = (double) features[i] - centre[j];
                    total += diff * diff;
                    featureGrad[i] = (float) (2 * diff / n);
                }
            }
            return total / n;
        };
    }

    /**
     * Deep one-class on a batch of {@code normals} normal images followed by reference images:
     * {@code descriptiveness + lambda * compactness}, where compactness is the normals' intra-batch variance
     * {@code mean_{b,j} (z_bj - mean_b z_bj)^2} (gradient {@code 2 (z - mean) / (normals d)}; the mean's own
     * gradient sums to zero) and descriptiveness the references' mean softmax cross-entropy (gradient
     * {@code (softmax - onehot) / references}).
     *
     * @param normals the batch's normal images, first in the batch
     * @param labels  each reference image's class, in batch order after the normals
     * @param repDim  features per image
     * @param classes reference classes
     * @param lambda  weight of the compactness loss
     * @return the loss
     */
    static FeatureLoss compactDescriptive(int normals, int[] labels, int repDim, int classes, double lambda) {
        return (features, logits, n, featureGrad, logitGrad) -> {
            if (n - normals != labels.length || normals < 1) {
                throw new IllegalArgumentException("a batch of " + normals + " normal and " + labels.length
                        + " reference images was expected, got " + n + " images");
            }
            return lambda * compactness(features, normals, repDim, 2 * lambda, featureGrad)
                    + descriptiveness(logits, normals, labels, classes, logitGrad);
        };
    }

    /** @return the normals' intra-batch variance; writes {@code gradScale (z - mean) / (n d)} into {@code grad} */
    private static double compactness(float[] z, int n, int d, double gradScale, float[] grad) {
        double total = 0;
        double count = (double) n * d;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                mean += z[b * d + j];
            }
            mean /= n;
            for (int b = 0; b < n; b++) {
                double dev = z[b * d + j] - mean;
                total += dev * dev;
                grad[b * d + j] = (float) (gradScale * dev / count);
            }
        }
        return total / count;
    }

    /** @return the references' mean cross-entropy; writes {@code (softmax - onehot) / refs} into {@code grad} */
    private static double descriptiveness(float[] logits, int normals, int[] labels, int classes, float[] grad) {
        int refs = labels.length;
        double total = 0;
        double[] p = new double[classes];
        for (int r = 0; r < refs; r++) {
            int row = (normals + r) * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(logits[row + c] - max);
                sum += p[c];
            }
            total -= logits[row + labels[r]] - max - Math.log(sum);
            for (int c = 0; c < classes; c++) {
                grad[row + c] = (float) ((p[c] / sum - (c == labels[r] ? 1 : 0)) / refs);
            }
        }
        return total / refs;
    }
}
