package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.score.Score;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The result of scoring one sample or one in-memory image.
 *
 * @param sample       the sample scored, or {@code null} for an in-memory image
 *                     ({@link AnomalyDetector#score(io.github.deepc.anomaly.core.image.GrayImage)})
 * @param score        outlier score (higher = more abnormal)
 * @param heatmap      per-pixel map in the preprocessed geometry, or {@code null}
 * @param preprocessed the image as the model saw it
 * @param notes        what preprocessing stages reported
 * @param threshold    the detector's decision threshold when it was scored, or {@code null} when it has none
 */
public record Detection(Sample sample, double score, GrayImage heatmap, GrayImage preprocessed, List<String> notes,
                        Threshold threshold) {
    /** Copies the notes. */
    public Detection {
        notes = List.copyOf(notes);
    }

    /**
     * A detection without a decision threshold.
     *
     * @param sample       the sample scored
     * @param score        outlier score
     * @param heatmap      heat map, or {@code null}
     * @param preprocessed the image as the model saw it
     * @param notes        stage notes
     */
    public Detection(Sample sample, double score, GrayImage heatmap, GrayImage preprocessed, List<String> notes) {
        this(sample, score, heatmap, preprocessed, notes, null);
    }

    /**
     * @param sample       the sample
     * @param s            its score
     * @param preprocessed the model's input
     * @param notes        stage notes
     * @param threshold    the detector's threshold, or {@code null}
     * @return the detection
     */
    static Detection of(Sample sample, Score s, GrayImage preprocessed, List<String> notes, Threshold threshold) {
        return new Detection(sample, s.value(), s.heatmap(), preprocessed, notes, threshold);
    }

    /** @return the heat map, if the scorer makes one */
    public Optional<GrayImage> heatmapIfAny() {
        return Optional.ofNullable(heatmap);
    }

    /** @return the decision threshold in force when the sample was scored, if the detector has one */
    public Optional<Threshold> thresholdIfAny() {
        return Optional.ofNullable(threshold);
    }

    /** @return 1 (abnormal) or 0 (normal) by the detector's threshold; empty when it has none */
    public OptionalInt decision() {
        return threshold == null ? OptionalInt.empty() : OptionalInt.of(threshold.decision(score));
    }
}
