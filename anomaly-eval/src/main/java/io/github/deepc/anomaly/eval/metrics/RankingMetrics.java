package io.github.deepc.anomaly.eval.metrics;

import java.util.Objects;

/**
 * Ranking metrics for binary labels and real-valued anomaly scores, computed exactly as
 * scikit-learn 1.2.1 computes them.
 *
 * <p>Label {@code 1} is the positive class (an anomaly) and a higher score means "more likely
 * positive". Every method replicates the scikit-learn code path step by step, including the order
 * of floating-point operations and NumPy's pairwise summation, so the results agree with
 * {@code sklearn.metrics.roc_auc_score} and {@code sklearn.metrics.average_precision_score} to the
 * last bit rather than merely to a tolerance:
 *
 * <ol>
 *   <li>{@code _binary_clf_curve}: a stable ascending sort of the scores, reversed (NumPy's
 *       {@code np.argsort(y_score, kind="mergesort")[::-1]}); one threshold at the last index of
 *       each run of equal scores (compared with {@code !=}, so {@code 0.0} and {@code -0.0} are
 *       tied); {@code tps} = cumulative sum of the labels there, {@code fps = 1 + index - tps}.
 *   <li>{@code roc_curve(drop_intermediate=True)}: drop the points that are collinear with their
 *       neighbours, prepend {@code (0, 0)}, divide by the totals.
 *   <li>{@code auc}: {@code np.trapz(tpr, fpr)}.
 *   <li>{@code precision_recall_curve} and {@code average_precision_score}: the step-wise integral
 *       {@code -np.sum(np.diff(recall) * precision[:-1])}.
 * </ol>
 *
 * <p>All methods validate their input and throw {@link IllegalArgumentException} for arrays of
 * different lengths, empty input, labels other than 0 and 1, non-finite scores, and (where the
 * metric is undefined) a missing class. Sample weights and labels other than 0/1 are not supported.
 *
 * <p>The class is stateless and thread-safe.
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * Area under the ROC curve; the same value as scikit-learn 1.2.1's {@code roc_auc_score(labels,
   * scores)} for binary labels.
   *
   * <p>Ties between scores count as half a correctly ordered pair, so the result equals the
   * Mann-Whitney U statistic divided by {@code positives * negatives} (up to rounding).
   *
   * @param labels 0 (normal) or 1 (anomalous) per sample; both classes must occur
   * @param scores a finite score per sample, higher meaning more anomalous
   * @return the ROC-AUC, in {@code [0, 1]}
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a label is not 0
   *     or 1, a score is not finite, or only one class occurs
   */
  public static double rocAuc(int[] labels, double[] scores) {
    validate(labels, scores);
    requireBothClasses("ROC-AUC", labels);
    double[][] roc = roc(labels, scores);
    return trapezoid(roc[1], roc[0]);
  }

  /**
   * The ROC curve; the same arrays as scikit-learn 1.2.1's {@code roc_curve(labels, scores)} (with
   * its default {@code drop_intermediate=True}), except for the first threshold.
   *
   * <p>The first point is {@code (0, 0)} and the last {@code (1, 1)}. Its first threshold is
   * {@link Double#POSITIVE_INFINITY}, as scikit-learn returns it from version 1.3 on; version 1.2.1
   * itself returns {@code max(scores) + 1} there. The rates do not depend on that value.
   *
   * @param labels 0 (normal) or 1 (anomalous) per sample; both classes must occur
   * @param scores a finite score per sample, higher meaning more anomalous
   * @return the curve, with decreasing thresholds
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a label is not 0
   *     or 1, a score is not finite, or only one class occurs
   */
  public static RocCurve rocCurve(int[] labels, double[] scores) {
    validate(labels, scores);
    requireBothClasses("ROC curve", labels);
    double[][] roc = roc(labels, scores);
    return new RocCurve(roc[0], roc[1], roc[2]);
  }

  /**
   * Average precision; the same value as scikit-learn 1.2.1's {@code
   * average_precision_score(labels, scores)} for binary labels.
   *
   * <p>This is the step-wise (not interpolated) area under the precision-recall curve: the sum,
   * over the distinct score thresholds, of the increase in recall times the precision at that
   * threshold.
   *
   * @param labels 0 (normal) or 1 (anomalous) per sample; at least one label must be 1
   * @param scores a finite score per sample, higher meaning more anomalous
   * @return the average precision, in {@code (0, 1]}
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a label is not 0
   *     or 1, a score is not finite, or no label is 1
   */
  public static double averagePrecision(int[] labels, double[] scores) {
    validate(labels, scores);
    requirePositive("Average precision", labels);
    double[][] pr = precisionRecall(labels, scores);
    double[] precision = pr[0];
    double[] recall = pr[1];
    // -np.sum(np.diff(recall) * np.array(precision)[:-1])
    double[] terms = new double[recall.length - 1];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = (recall[i + 1] - recall[i]) * precision[i];
    }
    return -pairwiseSum(terms, 0, terms.length);
  }

  /**
   * The precision-recall curve; the same arrays as scikit-learn 1.2.1's {@code
   * precision_recall_curve(labels, scores)}.
   *
   * <p>Thresholds increase and recall decreases; the curve ends at precision 1, recall 0 (a point
   * with no threshold). Points beyond full recall are kept, as in scikit-learn 1.1 and later.
   *
   * @param labels 0 (normal) or 1 (anomalous) per sample; at least one label must be 1
   * @param scores a finite score per sample, higher meaning more anomalous
   * @return the curve
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a label is not 0
   *     or 1, a score is not finite, or no label is 1
   */
  public static PrecisionRecallCurve precisionRecallCurve(int[] labels, double[] scores) {
    validate(labels, scores);
    requirePositive("Precision-recall curve", labels);
    double[][] pr = precisionRecall(labels, scores);
    return new PrecisionRecallCurve(pr[0], pr[1], pr[2]);
  }

  // ---------------------------------------------------------------------------------------------
  // scikit-learn's algorithm

  /**
   * {@code roc_curve(drop_intermediate=True)}: returns {@code {fpr, tpr, thresholds}}. The caller
   * has checked that both classes occur.
   */
  private static double[][] roc(int[] labels, double[] scores) {
    double[][] clf = binaryClfCurve(labels, scores);
    double[] fps = clf[0];
    double[] tps = clf[1];
    double[] thresholds = clf[2];
    int m = fps.length;

    // optimal_idxs = np.where(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True])
    // Only done when there are more than two points. The counts are integers held in doubles, so
    // the second differences are exact.
    int[] keep = new int[m];
    int kept = 0;
    if (m > 2) {
      keep[kept++] = 0;
      for (int i = 1; i < m - 1; i++) {
        double fd2 = (fps[i + 1] - fps[i]) - (fps[i] - fps[i - 1]);
        double td2 = (tps[i + 1] - tps[i]) - (tps[i] - tps[i - 1]);
        if (fd2 != 0 || td2 != 0) {
          keep[kept++] = i;
        }
      }
      keep[kept++] = m - 1;
    } else {
      for (int i = 0; i < m; i++) {
        keep[kept++] = i;
      }
    }

    // Prepend the (0, 0) point with an infinite threshold, then normalise.
    int n = kept + 1;
    double[] fpsOut = new double[n];
    double[] tpsOut = new double[n];
    double[] thrOut = new double[n];
    thrOut[0] = Double.POSITIVE_INFINITY;
    for (int k = 0; k < kept; k++) {
      fpsOut[k + 1] = fps[keep[k]];
      tpsOut[k + 1] = tps[keep[k]];
      thrOut[k + 1] = thresholds[keep[k]];
    }
    double fpsTotal = fpsOut[n - 1];
    double tpsTotal = tpsOut[n - 1];
    double[] fpr = new double[n];
    double[] tpr = new double[n];
    for (int i = 0; i < n; i++) {
      fpr[i] = fpsOut[i] / fpsTotal;
      tpr[i] = tpsOut[i] / tpsTotal;
    }
    return new double[][] {fpr, tpr, thrOut};
  }

  /**
   * {@code precision_recall_curve} as in scikit-learn 1.2.1: returns {@code {precision, recall,
   * thresholds}}, reversed so that recall decreases, with precision 1 / recall 0 appended. The
   * caller has checked that a positive label occurs.
   */
  private static double[][] precisionRecall(int[] labels, double[] scores) {
    double[][] clf = binaryClfCurve(labels, scores);
    double[] fps = clf[0];
    double[] tps = clf[1];
    double[] thresholds = clf[2];
    int m = fps.length;
    double tpsTotal = tps[m - 1];

    double[] precision = new double[m + 1];
    double[] recall = new double[m + 1];
    double[] thrOut = new double[m];
    for (int i = 0; i < m; i++) {
      int src = m - 1 - i;
      double ps = tps[src] + fps[src];
      // np.divide(tps, ps, out=zeros, where=(ps != 0)); ps is never 0 here, kept for fidelity.
      precision[i] = ps != 0 ? tps[src] / ps : 0.0;
      recall[i] = tps[src] / tpsTotal;
      thrOut[i] = thresholds[src];
    }
    precision[m] = 1.0;
    recall[m] = 0.0;
    return new double[][] {precision, recall, thrOut};
  }

  /**
   * {@code _binary_clf_curve}: returns {@code {fps, tps, thresholds}} at each distinct score, from
   * the highest score to the lowest.
   */
  private static double[][] binaryClfCurve(int[] labels, double[] scores) {
    int n = scores.length;
    // desc_score_indices = np.argsort(y_score, kind="mergesort")[::-1]
    int[] order = stableArgsortAscending(scores);
    double[] sortedScores = new double[n];
    int[] sortedLabels = new int[n];
    for (int i = 0; i < n; i++) {
      int src = order[n - 1 - i];
      sortedScores[i] = scores[src];
      sortedLabels[i] = labels[src];
    }

    // distinct_value_indices = np.where(np.diff(y_score))[0]; threshold_idxs = np.r_[..., n - 1]
    // For finite doubles, a difference is non-zero exactly when the primitive != holds (0.0 and
    // -0.0 are equal, hence tied).
    int[] thresholdIdx = new int[n];
    int m = 0;
    for (int i = 0; i < n - 1; i++) {
      if (sortedScores[i] != sortedScores[i + 1]) {
        thresholdIdx[m++] = i;
      }
    }
    thresholdIdx[m++] = n - 1;

    // tps = stable_cumsum(y_true * 1.0)[threshold_idxs]; fps = 1 + threshold_idxs - tps
    double[] fps = new double[m];
    double[] tps = new double[m];
    double[] thresholds = new double[m];
    double cumsum = 0.0;
    int next = 0;
    for (int i = 0; i < n && next < m; i++) {
      cumsum += sortedLabels[i];
      if (i == thresholdIdx[next]) {
        tps[next] = cumsum;
        fps[next] = (1 + i) - cumsum;
        thresholds[next] = sortedScores[i];
        next++;
      }
    }
    return new double[][] {fps, tps, thresholds};
  }

  /**
   * A stable ascending argsort that compares with the primitive {@code <} as NumPy does (so {@code
   * -0.0} and {@code 0.0} compare equal and keep their input order); {@link Double#compare} would
   * order them. Any stable sort gives the same permutation; this one is a top-down merge sort.
   */
  private static int[] stableArgsortAscending(double[] values) {
    int n = values.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int[] buffer = new int[n];
    mergeSort(values, idx, buffer, 0, n);
    return idx;
  }

  private static void mergeSort(double[] v, int[] idx, int[] buf, int lo, int hi) {
    if (hi - lo < 2) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(v, idx, buf, lo, mid);
    mergeSort(v, idx, buf, mid, hi);
    if (!(v[idx[mid]] < v[idx[mid - 1]])) {
      return; // already in order
    }
    System.arraycopy(idx, lo, buf, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      // Take from the right run only when strictly smaller: keeps equal elements in input order.
      if (i < mid && (j >= hi || !(v[buf[j]] < v[buf[i]]))) {
        idx[k] = buf[i++];
      } else {
        idx[k] = buf[j++];
      }
    }
  }

  /**
   * {@code np.trapz(y, x)} for one-dimensional arrays: {@code add.reduce(np.diff(x) * (y[1:] +
   * y[:-1]) / 2.0)}, with the same operation order per term and NumPy's pairwise reduction.
   */
  private static double trapezoid(double[] y, double[] x) {
    double[] terms = new double[x.length - 1];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
    }
    return pairwiseSum(terms, 0, terms.length);
  }

  /**
   * Sums {@code a[offset .. offset + n)} exactly as NumPy sums a contiguous float64 array
   * ({@code np.sum}, {@code np.add.reduce}, and through them {@code np.trapz}).
   *
   * <p>Why: floating-point addition is not associative, so a plain left-to-right loop can differ
   * from NumPy in the last bits. scikit-learn's metrics end in such a NumPy sum, and this port is
   * meant to agree with them bit for bit, not just to a tolerance; so the order of additions here
   * is a literal copy of NumPy's {@code DOUBLE_pairwise_sum} ({@code
   * numpy/core/src/umath/loops_utils.h.src}):
   *
   * <ul>
   *   <li>{@code n < 8}: a plain left-to-right loop starting from {@code 0.0};
   *   <li>{@code 8 <= n <= 128}: eight accumulators {@code r[0..7]} start at the first eight
   *       elements and each adds every eighth element after them, over whole blocks of eight;
   *       they are combined as {@code ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))}; then
   *       the remaining {@code n % 8} elements are added one at a time;
   *   <li>{@code n > 128}: split at {@code n2 = n / 2} rounded down to a multiple of 8, sum both
   *       halves recursively, and add the two sums.
   * </ul>
   *
   * <p>(NumPy's reduction starts from the identity {@code 0.0} and adds this sum to it, which can
   * only turn a {@code -0.0} result into {@code 0.0}; the metrics here never produce {@code -0.0}
   * sums, so that step is left out.)
   *
   * @param a the array
   * @param offset index of the first element to sum
   * @param n how many elements to sum
   * @return their sum, with NumPy's rounding
   */
  static double pairwiseSum(double[] a, int offset, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[offset + i];
      }
      return res;
    } else if (n <= 128) {
      double r0 = a[offset];
      double r1 = a[offset + 1];
      double r2 = a[offset + 2];
      double r3 = a[offset + 3];
      double r4 = a[offset + 4];
      double r5 = a[offset + 5];
      double r6 = a[offset + 6];
      double r7 = a[offset + 7];
      int i;
      int whole = n - (n % 8);
      for (i = 8; i < whole; i += 8) {
        int b = offset + i;
        r0 += a[b];
        r1 += a[b + 1];
        r2 += a[b + 2];
        r3 += a[b + 3];
        r4 += a[b + 4];
        r5 += a[b + 5];
        r6 += a[b + 6];
        r7 += a[b + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[offset + i];
      }
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwiseSum(a, offset, n2) + pairwiseSum(a, offset + n2, n - n2);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  private static void validate(int[] labels, double[] scores) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scores, "scores");
    if (labels.length != scores.length) {
      throw new IllegalArgumentException(
          "labels and scores must have the same length: labels.length="
              + labels.length
              + ", scores.length="
              + scores.length);
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("labels and scores must not be empty");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + " is not a binary label: expected 0 or 1");
      }
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            "scores[" + i + "] = " + scores[i] + " is not finite: scores must be finite");
      }
    }
  }

  private static int countPositives(int[] labels) {
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    return positives;
  }

  private static void requireBothClasses(String metric, int[] labels) {
    int positives = countPositives(labels);
    if (positives == 0 || positives == labels.length) {
      throw new IllegalArgumentException(
          metric
              + " needs both classes: got only label "
              + (positives == 0 ? 0 : 1)
              + " (n="
              + labels.length
              + ")");
    }
  }

  private static void requirePositive(String metric, int[] labels) {
    if (countPositives(labels) == 0) {
      throw new IllegalArgumentException(
          metric
              + " needs at least one positive label (1): got only label 0 (n="
              + labels.length
              + ")");
    }
  }
}
