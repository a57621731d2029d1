package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.score.Score;
import java.util.List;
import java.util.Optional;

/**
 * The result of scoring one sample.
 *
 * @param sample       the sample scored
 * @param score        outlier score (higher = more abnormal)
 * @param heatmap      per-pixel map in the preprocessed geometry, or {@code null}
 * @param preprocessed the image as the model saw it
 * @param notes        what preprocessing stages reported
 */
public record Detection(Sample sample, double score, GrayImage heatmap, GrayImage preprocessed, List<String> notes) {
    /** Copies the notes. */
    public Detection {
        notes = List.copyOf(notes);
    }

    /**
     * @param sample       the sample
     * @param s            its score
     * @param preprocessed the model's input
     * @param notes        stage notes
     * @return the detection
     */
    static Detection of(Sample sample, Score s, GrayImage preprocessed, List<String> notes) {
        return new Detection(sample, s.value(), s.heatmap(), preprocessed, notes);
    }

    /** @return the heat map, if the scorer makes one */
    public Optional<GrayImage> heatmapIfAny() {
        return Optional.ofNullable(heatmap);
    }
}
