/**
 * Decision thresholds on outlier scores: chosen on validation scores (maximum F1, a target false-positive rate on
 * the normals, or a fixed value) and reported on test scores ({@link io.github.deepc.anomaly.eval.threshold.ThresholdReport}).
 * The chosen {@link io.github.deepc.anomaly.core.detector.Threshold} can be stored with a detector.
 */
package io.github.deepc.anomaly.eval.threshold;
