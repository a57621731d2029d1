package io.github.deepc.anomaly.eval.scores;

import io.github.deepc.anomaly.core.data.Label;

/**
 * One scored image, as in a scores CSV.
 *
 * @param path    the image
 * @param patient patient id
 * @param label   ground truth ({@link Label#UNKNOWN} for unlabelled input)
 * @param score   outlier score
 */
public record ScoreRow(String path, String patient, Label label, double score) {
}
