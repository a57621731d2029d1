package io.github.deepc.anomaly.models;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import java.util.List;

/** Where the heat of a model's heat maps falls on abnormal phantoms, and a plain ROC-AUC, for the models' tests. */
public final class PhantomHeat {
    private PhantomHeat() {
    }

    /**
     * @param abnormals abnormal phantoms (with ground-truth anomaly masks)
     * @param outputs   the model's outputs for them, in order
     * @param scorer    makes the heat maps
     * @return pooled mean heat on anomaly pixels divided by pooled mean heat on the other valid pixels
     */
    public static double insideOutsideRatio(List<Phantom> abnormals, List<ModelOutput> outputs, OutlierScorer scorer) {
        double inside = 0;
        double outside = 0;
        long nIn = 0;
        long nOut = 0;
        for (int i = 0; i < abnormals.size(); i++) {
            boolean[] truth = abnormals.get(i).anomalyMask();
            GrayImage heat = scorer.score(outputs.get(i)).heatmap();
            float[] h = heat.unsafePixels();
            boolean[] valid = heat.unsafeMask();
            for (int p = 0; p < h.length; p++) {
                if (!valid[p]) {
                    continue;
                }
                if (truth[p]) {
                    inside += h[p];
                    nIn++;
                } else {
                    outside += h[p];
                    nOut++;
                }
            }
        }
        return (inside / nIn) / (outside / nOut);
    }

    /**
     * @param normal   scores of normal images
     * @param abnormal scores of abnormal images
     * @return the probability that a random abnormal image scores above a random normal one (ties count half)
     */
    public static double auc(double[] normal, double[] abnormal) {
        double wins = 0;
        for (double a : abnormal) {
            for (double n : normal) {
                wins += a > n ? 1 : a == n ? 0.5 : 0;
            }
        }
        return wins / ((double) normal.length * abnormal.length);
    }
}
