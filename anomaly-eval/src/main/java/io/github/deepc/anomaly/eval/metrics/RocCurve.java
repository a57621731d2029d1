package io.github.deepc.anomaly.eval.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * A receiver operating characteristic curve, in the layout scikit-learn's {@code roc_curve}
 * returns it (with {@code drop_intermediate=True}).
 *
 * <p>Point {@code i} is {@code (fpr[i], tpr[i])}: the false- and true-positive rates when every
 * sample whose score is {@code >= thresholds[i]} is called positive. Thresholds decrease; the first
 * point is always {@code (0, 0)} with threshold {@link Double#POSITIVE_INFINITY} (no sample called
 * positive) and the last is {@code (1, 1)} at the lowest score.
 *
 * <p>The arrays are copied on the way in and on the way out, so an instance is immutable; {@link
 * #equals(Object)} and {@link #hashCode()} compare the array contents.
 *
 * @param fpr false-positive rates, non-decreasing, from 0 to 1
 * @param tpr true-positive rates, non-decreasing, from 0 to 1
 * @param thresholds decreasing score thresholds, the first one {@code +infinity}
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {

  /**
   * Checks that the three arrays are present and equally long, and copies them.
   *
   * @param fpr false-positive rates
   * @param tpr true-positive rates
   * @param thresholds decreasing thresholds
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public RocCurve {
    Objects.requireNonNull(fpr, "fpr");
    Objects.requireNonNull(tpr, "tpr");
    Objects.requireNonNull(thresholds, "thresholds");
    if (fpr.length != tpr.length || fpr.length != thresholds.length) {
      throw new IllegalArgumentException(
          "fpr, tpr and thresholds must have the same length: fpr.length="
              + fpr.length
              + ", tpr.length="
              + tpr.length
              + ", thresholds.length="
              + thresholds.length);
    }
    fpr = fpr.clone();
    tpr = tpr.clone();
    thresholds = thresholds.clone();
  }

  /**
   * Returns the false-positive rates.
   *
   * @return a copy of the false-positive rates, one per point
   */
  @Override
  public double[] fpr() {
    return fpr.clone();
  }

  /**
   * Returns the true-positive rates.
   *
   * @return a copy of the true-positive rates, one per point
   */
  @Override
  public double[] tpr() {
    return tpr.clone();
  }

  /**
   * Returns the thresholds.
   *
   * @return a copy of the decreasing thresholds, one per point, the first {@code +infinity}
   */
  @Override
  public double[] thresholds() {
    return thresholds.clone();
  }

  /**
   * Returns the number of points on the curve.
   *
   * @return the common length of the three arrays
   */
  public int size() {
    return fpr.length;
  }

  /**
   * Compares the array contents (as {@link Arrays#equals(double[], double[])} does).
   *
   * @param o the object to compare with
   * @return whether {@code o} is a {@code RocCurve} with equal arrays
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof RocCurve other
        && Arrays.equals(fpr, other.fpr)
        && Arrays.equals(tpr, other.tpr)
        && Arrays.equals(thresholds, other.thresholds);
  }

  /**
   * Hashes the array contents.
   *
   * @return a hash code consistent with {@link #equals(Object)}
   */
  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(fpr), Arrays.hashCode(tpr), Arrays.hashCode(thresholds));
  }

  /**
   * Shows the array contents.
   *
   * @return a readable form of the curve
   */
  @Override
  public String toString() {
    return "RocCurve[fpr="
        + Arrays.toString(fpr)
        + ", tpr="
        + Arrays.toString(tpr)
        + ", thresholds="
        + Arrays.toString(thresholds)
        + "]";
  }
}
