package io.github.deepc.anomaly.eval.scores;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.eval.metrics.RankingMetrics;
import java.util.List;

/**
 * ROC-AUC and average precision of a labelled score table (unlabelled rows are left out and counted).
 *
 * @param rocAuc           ROC-AUC, as scikit-learn computes it
 * @param averagePrecision average precision, as scikit-learn computes it
 * @param count            labelled rows evaluated
 * @param positives        abnormal rows among them
 * @param unlabelled       rows without a label (not evaluated)
 */
public record Evaluation(double rocAuc, double averagePrecision, int count, int positives, int unlabelled) {
    /**
     * @param rows scored rows
     * @return the evaluation
     * @throws IllegalArgumentException when the labelled rows do not contain both classes
     */
    public static Evaluation of(List<ScoreRow> rows) {
        List<ScoreRow> labelled = rows.stream().filter(r -> r.label() != Label.UNKNOWN).toList();
        int[] y = labelled.stream().mapToInt(r -> r.label().code()).toArray();
        double[] s = labelled.stream().mapToDouble(ScoreRow::score).toArray();
        int pos = (int) labelled.stream().filter(r -> r.label() == Label.ABNORMAL).count();
        return new Evaluation(RankingMetrics.rocAuc(y, s), RankingMetrics.averagePrecision(y, s), labelled.size(), pos,
                rows.size() - labelled.size());
    }
}
