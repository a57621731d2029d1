package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;

/**
 * Mean of the {@code k} largest per-pixel squared reconstruction errors over the valid pixels: a small, badly
 * reconstructed region counts fully instead of being averaged away over the whole image. {@code k} is either fixed or
 * a fraction of the image's valid pixels (rounded up, at least 1), and never more than the valid pixels, so
 * {@code fraction = 1} is {@code masked-mse}. The heat map is the per-pixel squared error, as for {@code masked-mse}.
 */
public final class TopKSquaredErrorScorer implements OutlierScorer {
    private final int k;
    private final double fraction;

    /**
     * @param k        how many of the largest errors to average, or 0 to take {@code fraction} of the valid pixels
     * @param fraction share of the valid pixels to average when {@code k} is 0, in (0, 1]
     * @throws IllegalArgumentException for a negative {@code k} or a fraction outside (0, 1]
     */
    public TopKSquaredErrorScorer(int k, double fraction) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be at least 0 (0 = use the fraction), got " + k);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        this.k = k;
        this.fraction = fraction;
    }

    /**
     * @param validPixels number of valid pixels of an image
     * @return how many of its largest errors are averaged (0 only when no pixel is valid)
     */
    public int count(int validPixels) {
        if (validPixels == 0) {
            return 0;
        }
        int n = k > 0 ? k : (int) Math.ceil(fraction * validPixels - 1e-9);
        return Math.max(1, Math.min(n, validPixels));
    }

    @Override
    public Score score(ModelOutput output) {
        PixelErrors se = PixelErrors.of(output, PixelLoss.MSE);
        int n = count(se.validCount());
        return new Score(n == 0 ? 0.0 : se.meanOfLargest(n), se.heatmap());
    }

    @Override
    public String toString() {
        return "TopKSquaredErrorScorer[" + (k > 0 ? "k=" + k : "fraction=" + fraction) + "]";
    }
}
