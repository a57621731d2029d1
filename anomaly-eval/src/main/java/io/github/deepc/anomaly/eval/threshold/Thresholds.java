package io.github.deepc.anomaly.eval.threshold;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses decision thresholds from validation scores. A score at or above the threshold is called abnormal, as in
 * {@link Threshold}. Unlabelled rows are ignored; non-finite scores are an error.
 */
public final class Thresholds {
    private Thresholds() {
    }

    /**
     * The threshold with the highest F1 on the validation rows. The candidates are the distinct validation scores
     * (each one the lowest score called abnormal); on a tie in F1 the higher threshold wins (fewer images called
     * abnormal).
     *
     * @param validation labelled validation scores; at least one abnormal
     * @return the threshold, method {@code f1}, its validation F1 in the description
     * @throws IllegalArgumentException when there is no abnormal or no normal validation image, or a score is not
     *                                  finite
     */
    public static Threshold maxF1(List<ScoreRow> validation) {
        double[] normal = scores(validation, Label.NORMAL);
        double[] abnormal = scores(validation, Label.ABNORMAL);
        if (abnormal.length == 0) {
            throw new IllegalArgumentException("the F1 threshold needs at least one abnormal validation image (got "
                    + normal.length + " normal, 0 abnormal)");
        }
        if (normal.length == 0) {
            // with no normal image every threshold at or below the lowest score has F1 = 1: the choice means nothing
            throw new IllegalArgumentException("the F1 threshold needs at least one normal validation image (got 0"
                    + " normal, " + abnormal.length + " abnormal); score a validation set with both classes");
        }
        double[] candidates = new double[normal.length + abnormal.length];
        System.arraycopy(normal, 0, candidates, 0, normal.length);
        System.arraycopy(abnormal, 0, candidates, normal.length, abnormal.length);
        Arrays.sort(candidates);
        double bestF1 = -1;
        double best = Double.NaN;
        // from the highest candidate down, so that on a tie the higher threshold is kept
        for (int i = candidates.length - 1; i >= 0; i--) {
            if (i < candidates.length - 1 && candidates[i] == candidates[i + 1]) {
                continue;
            }
            double t = candidates[i];
            int tp = countAtLeast(abnormal, t);
            int fp = countAtLeast(normal, t);
            int fn = abnormal.length - tp;
            double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = t;
            }
        }
        return new Threshold(best, ThresholdMethod.F1.word(), String.format(Locale.ROOT,
                "max F1 %.4f on %d validation images (%d abnormal)", bestF1, normal.length + abnormal.length,
                abnormal.length));
    }

    /**
     * The lowest threshold whose false-positive rate on the validation normals is at most {@code targetFpr}: with
     * {@code n} normals, at most {@code k = floor(targetFpr x n)} of them may be called abnormal, so the threshold is
     * the smallest number above the {@code (k+1)}-th highest normal score ({@link Math#nextUp(double)} of it); for
     * {@code k >= n} it is the lowest normal score. Abnormal validation images are not needed.
     *
     * @param validation labelled validation scores; at least one normal
     * @param targetFpr  the largest acceptable false-positive rate, in [0, 1]
     * @return the threshold, method {@code fpr}, the target and the rate reached in the description
     * @throws IllegalArgumentException when there is no normal validation image, the target is out of range or a
     *                                  score is not finite
     */
    public static Threshold forFalsePositiveRate(List<ScoreRow> validation, double targetFpr) {
        if (!(targetFpr >= 0 && targetFpr <= 1)) {
            throw new IllegalArgumentException("target false-positive rate must be in [0, 1], got " + targetFpr);
        }
        double[] normal = scores(validation, Label.NORMAL);
        if (normal.length == 0) {
            throw new IllegalArgumentException("the false-positive-rate threshold needs at least one normal validation image");
        }
        Arrays.sort(normal);
        int n = normal.length;
        // small tolerance so that e.g. 0.05 x 20 counts as 1, not 0.9999999
        int k = (int) Math.floor(targetFpr * n + 1e-9);
        double t = k >= n ? normal[0] : Math.nextUp(normal[n - 1 - k]);
        int fp = countAtLeast(normal, t);
        return new Threshold(t, ThresholdMethod.FPR.word(), String.format(Locale.ROOT,
                "false-positive rate %.4f (target %.4f) on %d validation normals", (double) fp / n, targetFpr, n));
    }

    /**
     * @param value the threshold
     * @return a fixed threshold
     */
    public static Threshold fixed(double value) {
        return Threshold.fixed(value);
    }

    /**
     * Chooses a threshold by a method.
     *
     * @param method     the method
     * @param validation validation scores (ignored for {@link ThresholdMethod#FIXED})
     * @param targetFpr  the target rate for {@link ThresholdMethod#FPR}
     * @param value      the value for {@link ThresholdMethod#FIXED}, else ignored (may be {@code null})
     * @return the threshold
     * @throws IllegalArgumentException when the method's input is missing or unusable
     */
    public static Threshold choose(ThresholdMethod method, List<ScoreRow> validation, double targetFpr, Double value) {
        return switch (method) {
            case F1 -> maxF1(validation);
            case FPR -> forFalsePositiveRate(validation, targetFpr);
            case FIXED -> {
                if (value == null) {
                    throw new IllegalArgumentException("the fixed threshold method needs a value");
                }
                yield fixed(value);
            }
        };
    }

    private static double[] scores(List<ScoreRow> rows, Label label) {
        double[] out = rows.stream().filter(r -> r.label() == label).mapToDouble(ScoreRow::score).toArray();
        for (double d : out) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("scores must be finite to choose a threshold, got " + d);
            }
        }
        return out;
    }

    private static int countAtLeast(double[] scores, double t) {
        int c = 0;
        for (double s : scores) {
            if (s >= t) {
                c++;
            }
        }
        return c;
    }
}
