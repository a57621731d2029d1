package io.github.deepc.anomaly.models.score.map;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import java.util.Arrays;

/**
 * Scores a model's per-pixel anomaly map over the input's valid pixels: its maximum, or the mean of its largest
 * {@code fraction} of values (a few hot pixels then count less than a hot region). The heat map is the anomaly map
 * itself, 0 and masked invalid outside the valid pixels. An image without valid pixels scores 0.
 */
public final class AnomalyMapScorer implements OutlierScorer {
    private final AnomalyMapReduction reduction;
    private final double fraction;

    /**
     * @param reduction how the map becomes one number
     * @param fraction  share of the valid pixels averaged by {@link AnomalyMapReduction#TOP_K_MEAN}, in (0, 1]
     * @throws IllegalArgumentException for a fraction outside (0, 1]
     */
    public AnomalyMapScorer(AnomalyMapReduction reduction, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        this.reduction = reduction;
        this.fraction = fraction;
    }

    /**
     * @param validPixels number of valid pixels of an image
     * @return how many of its largest map values {@code top-k-mean} averages (0 only when no pixel is valid)
     */
    public int count(int validPixels) {
        if (validPixels == 0) {
            return 0;
        }
        int n = (int) Math.ceil(fraction * validPixels - 1e-9);
        return Math.max(1, Math.min(n, validPixels));
    }

    @Override
    public Score score(ModelOutput output) {
        GrayImage in = output.input();
        float[] map = output.anomalyMap();
        boolean[] mask = in.unsafeMask();
        float[] heat = new float[map.length];
        float[] valid = new float[map.length];
        int n = 0;
        for (int i = 0; i < map.length; i++) {
            if (mask[i]) {
                heat[i] = map[i];
                valid[n++] = map[i];
            }
        }
        GrayImage heatmap = GrayImage.wrap(in.width(), in.height(), heat, mask.clone());
        return new Score(reduce(valid, n), heatmap);
    }

    private double reduce(float[] values, int n) {
        if (n == 0) {
            return 0.0;
        }
        if (reduction == AnomalyMapReduction.MAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, values[i]);
            }
            return max;
        }
        int k = count(n);
        float[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        double s = 0;
        for (int i = n - 1; i >= n - k; i--) {
            s += v[i];
        }
        return s / k;
    }

    @Override
    public String toString() {
        return "AnomalyMapScorer[" + reduction.word() + (reduction == AnomalyMapReduction.TOP_K_MEAN ? ", fraction=" + fraction : "") + "]";
    }
}
