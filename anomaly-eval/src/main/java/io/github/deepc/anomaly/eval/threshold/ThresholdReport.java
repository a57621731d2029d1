package io.github.deepc.anomaly.eval.threshold;

import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a chosen threshold does on (test) scores: the confusion matrix and the figures derived from it.
 *
 * @param threshold the threshold applied
 * @param matrix    the confusion matrix of the labelled rows
 */
public record ThresholdReport(Threshold threshold, ConfusionMatrix matrix) {
    /** Requires both. */
    public ThresholdReport {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(matrix, "matrix");
    }

    /**
     * @param threshold the threshold
     * @param rows      scored rows (unlabelled ones are ignored)
     * @return the report
     */
    public static ThresholdReport of(Threshold threshold, List<ScoreRow> rows) {
        return new ThresholdReport(threshold, ConfusionMatrix.of(rows, threshold));
    }

    /** @return precision on the rows */
    public double precision() {
        return matrix.precision();
    }

    /** @return recall (sensitivity) on the rows */
    public double recall() {
        return matrix.recall();
    }

    /** @return specificity on the rows */
    public double specificity() {
        return matrix.specificity();
    }

    /** @return F1 on the rows */
    public double f1() {
        return matrix.f1();
    }

    /** @return the figures by name, for JSON output: threshold, method, precision, recall, specificity, f1, tp, fp, tn, fn */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", threshold.value());
        m.put("method", threshold.method());
        m.put("description", threshold.description());
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("specificity", specificity());
        m.put("f1", f1());
        m.put("tp", matrix.truePositives());
        m.put("fp", matrix.falsePositives());
        m.put("tn", matrix.trueNegatives());
        m.put("fn", matrix.falseNegatives());
        return m;
    }

    /** @return a short human summary with the confusion matrix */
    public String describe() {
        return String.format(Locale.ROOT, "threshold %s (%s): precision %.4f  recall %.4f  specificity %.4f  F1 %.4f%n"
                        + "                 called abnormal  called normal%n"
                        + "  abnormal       %15d  %13d%n"
                        + "  normal         %15d  %13d",
                threshold.value(), threshold.method(), precision(), recall(), specificity(), f1(),
                matrix.truePositives(), matrix.falseNegatives(), matrix.falsePositives(), matrix.trueNegatives());
    }
}
