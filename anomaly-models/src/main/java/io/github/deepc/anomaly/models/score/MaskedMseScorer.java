package io.github.deepc.anomaly.models.score;

import io.github.deepc.anomaly.core.image.GrayImage;
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
        GrayImage in = output.input();
        float[] x = in.unsafePixels();
        boolean[] valid = in.unsafeMask();
        float[] r = output.reconstruction();
        float[] se = new float[x.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (valid[i]) {
                float d = r[i] - x[i];
                se[i] = d * d;
                sum += se[i];
                n++;
            }
        }
        // an image without valid pixels has nothing to be abnormal about
        double value = n == 0 ? 0.0 : sum / n;
        return new Score(value, GrayImage.wrap(in.width(), in.height(), se, valid.clone()));
    }
}
