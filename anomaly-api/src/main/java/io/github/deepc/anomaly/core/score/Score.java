package io.github.deepc.anomaly.core.score;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.Optional;

/**
 * An outlier score (higher = more abnormal) and, where the scorer has one, a per-pixel map of where.
 *
 * @param value   the score
 * @param heatmap per-pixel contributions in the preprocessed image's geometry (invalid pixels 0 and masked
 *                invalid), or {@code null}
 */
public record Score(double value, GrayImage heatmap) {
    /** @return the heat map, if the scorer produces one */
    public Optional<GrayImage> heatmapIfAny() {
        return Optional.ofNullable(heatmap);
    }
}
