package io.github.deepc.anomaly.eval.threshold;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.util.List;

/**
 * Counts of a binary decision against ground truth, abnormal being the positive class. Ratios whose denominator
 * is zero are {@link Double#NaN} (as precision is when nothing is called abnormal).
 *
 * @param truePositives  abnormal images called abnormal
 * @param falsePositives normal images called abnormal
 * @param trueNegatives  normal images called normal
 * @param falseNegatives abnormal images called normal
 */
public record ConfusionMatrix(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {
    /** Requires non-negative counts. */
    public ConfusionMatrix {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("confusion counts must not be negative");
        }
    }

    /**
     * Applies a threshold ({@code score >= value} is abnormal) to the labelled rows; unlabelled rows are ignored.
     *
     * @param rows      scored rows
     * @param threshold the threshold
     * @return the counts
     */
    public static ConfusionMatrix of(List<ScoreRow> rows, Threshold threshold) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (ScoreRow r : rows) {
            if (r.label() == Label.UNKNOWN) {
                continue;
            }
            boolean called = threshold.isAbnormal(r.score());
            if (r.label() == Label.ABNORMAL) {
                if (called) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (called) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** @return the number of images counted */
    public int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** @return TP / (TP + FP): the share of images called abnormal that are */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** @return TP / (TP + FN): sensitivity, the share of abnormal images found */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return TN / (TN + FP): the share of normal images called normal */
    public double specificity() {
        return ratio(trueNegatives, trueNegatives + falsePositives);
    }

    /** @return FP / (FP + TN) = 1 - specificity */
    public double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** @return 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall */
    public double f1() {
        return ratio(2.0 * truePositives, 2.0 * truePositives + falsePositives + falseNegatives);
    }

    /** @return (TP + TN) / total */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }
}
