package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import java.util.Arrays;

/**
 * The per-pixel reconstruction errors of one model output over its valid pixels: the shared first step of the
 * reconstruction scorers ({@code masked-mse}, {@code top-k-se}, {@code vae-loss}). Invalid pixels get 0 and stay
 * invalid in the heat map.
 */
final class PixelErrors {
    private final GrayImage input;
    private final float[] errors;
    private final int valid;
    private final double sum;

    private PixelErrors(GrayImage input, float[] errors, int valid, double sum) {
        this.input = input;
        this.errors = errors;
        this.valid = valid;
        this.sum = sum;
    }

    /**
     * @param output a model output with a reconstruction
     * @param loss   the per-pixel error
     * @return the errors of the valid pixels
     */
    static PixelErrors of(ModelOutput output, PixelLoss loss) {
        GrayImage in = output.input();
        float[] x = in.unsafePixels();
        boolean[] mask = in.unsafeMask();
        float[] r = output.reconstruction();
        float[] e = new float[x.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (mask[i]) {
                e[i] = loss.of(x[i], r[i]);
                sum += e[i];
                n++;
            }
        }
        return new PixelErrors(in, e, n, sum);
    }

    /** @return the number of valid pixels */
    int validCount() {
        return valid;
    }

    /** @return the mean error over valid pixels; 0 for an image without valid pixels (nothing to be abnormal about) */
    double mean() {
        return valid == 0 ? 0.0 : sum / valid;
    }

    /**
     * @param k how many of the largest errors, at least 1 (capped at the number of valid pixels)
     * @return the mean of the {@code k} largest errors over valid pixels; 0 when no pixel is valid
     */
    double meanOfLargest(int k) {
        if (valid == 0) {
            return 0.0;
        }
        int m = Math.min(k, valid);
        float[] v = new float[valid];
        boolean[] mask = input.unsafeMask();
        int j = 0;
        for (int i = 0; i < errors.length; i++) {
            if (mask[i]) {
                v[j++] = errors[i];
            }
        }
        Arrays.sort(v);
        double s = 0;
        for (int i = valid - 1; i >= valid - m; i--) {
            s += v[i];
        }
        return s / m;
    }

    /** @return the per-pixel errors as a heat map with the input's mask (takes the array; call once) */
    GrayImage heatmap() {
        return GrayImage.wrap(input.width(), input.height(), errors, input.unsafeMask().clone());
    }
}
