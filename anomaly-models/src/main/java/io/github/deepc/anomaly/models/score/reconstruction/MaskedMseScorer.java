package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;

/**
 * Mean squared reconstruction error over the valid pixels; the heat map is the per-pixel squared error (0 on
 * invalid pixels, which are also marked invalid in the map's mask).
 */
public final class MaskedMseScorer implements OutlierScorer {
    @Override
    public Score score(ModelOutput output) {
        PixelErrors se = PixelErrors.of(output, PixelLoss.MSE);
        return new Score(se.mean(), se.heatmap());
    }
}
