package io.github.deepc.anomaly.eval.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * A precision-recall curve, in the layout scikit-learn 1.2's {@code precision_recall_curve}
 * returns it.
 *
 * <p>For {@code i < thresholds.length}, point {@code i} is {@code (recall[i], precision[i])} when
 * every sample whose score is {@code >= thresholds[i]} is called positive. Thresholds increase, so
 * recall decreases. The last point, which has no threshold, is always precision 1 at recall 0;
 * {@code precision} and {@code recall} are therefore one longer than {@code thresholds}.
 *
 * <p>The arrays are copied on the way in and on the way out, so an instance is immutable; {@link
 * #equals(Object)} and {@link #hashCode()} compare the array contents.
 *
 * @param precision precision per point, the last one 1
 * @param recall recall per point, non-increasing, the last one 0
 * @param thresholds increasing score thresholds, one fewer than the points
 */
public record PrecisionRecallCurve(double[] precision, double[] recall, double[] thresholds) {

  /**
   * Checks that the arrays are present and consistently sized, and copies them.
   *
   * @param precision precision per point
   * @param recall recall per point
   * @param thresholds increasing thresholds, one fewer than the points
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if {@code precision} and {@code recall} differ in length or
   *     {@code thresholds} is not exactly one shorter
   */
  public PrecisionRecallCurve {
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(recall, "recall");
    Objects.requireNonNull(thresholds, "thresholds");
    if (precision.length != recall.length || thresholds.length + 1 != precision.length) {
      throw new IllegalArgumentException(
          "precision and recall must have the same length, one more than thresholds:"
              + " precision.length="
              + precision.length
              + ", recall.length="
              + recall.length
              + ", thresholds.length="
              + thresholds.length);
    }
    precision = precision.clone();
    recall = recall.clone();
    thresholds = thresholds.clone();
  }

  /**
   * Returns the precision values.
   *
   * @return a copy of the precision per point, the last one 1
   */
  @Override
  public double[] precision() {
    return precision.clone();
  }

  /**
   * Returns the recall values.
   *
   * @return a copy of the non-increasing recall per point, the last one 0
   */
  @Override
  public double[] recall() {
    return recall.clone();
  }

  /**
   * Returns the thresholds.
   *
   * @return a copy of the increasing thresholds, one fewer than the points
   */
  @Override
  public double[] thresholds() {
    return thresholds.clone();
  }

  /**
   * Returns the number of points on the curve.
   *
   * @return the length of {@code precision} and {@code recall}
   */
  public int size() {
    return precision.length;
  }

  /**
   * Compares the array contents (as {@link Arrays#equals(double[], double[])} does).
   *
   * @param o the object to compare with
   * @return whether {@code o} is a {@code PrecisionRecallCurve} with equal arrays
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PrecisionRecallCurve other
        && Arrays.equals(precision, other.precision)
        && Arrays.equals(recall, other.recall)
        && Arrays.equals(thresholds, other.thresholds);
  }

  /**
   * Hashes the array contents.
   *
   * @return a hash code consistent with {@link #equals(Object)}
   */
  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(precision), Arrays.hashCode(recall), Arrays.hashCode(thresholds));
  }

  /**
   * Shows the array contents.
   *
   * @return a readable form of the curve
   */
  @Override
  public String toString() {
    return "PrecisionRecallCurve[precision="
        + Arrays.toString(precision)
        + ", recall="
        + Arrays.toString(recall)
        + ", thresholds="
        + Arrays.toString(thresholds)
        + "]";
  }
}
