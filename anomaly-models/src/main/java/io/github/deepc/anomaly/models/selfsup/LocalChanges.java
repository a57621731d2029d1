package io.github.deepc.anomaly.models.selfsup;

import java.util.SplittableRandom;

/** The intensity and texture defects of {@link DefectGenerator}: each writes the changed region into {@code out}. */
final class LocalChanges {
    private LocalChanges() {
    }

    /**
     * Contrast around the region's mean times 0.6-1.4, plus a shift of 4-25 % of the value range either way, clipped
     * to the image's valid range (so the change stays within the values a preprocessed image can take).
     */
    static void intensity(float[] in, DefectRegion region, float[] range, float span, float[] out,
                          SplittableRandom rng) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (region.inside[i]) {
                sum += in[i];
                n++;
            }
        }
        double mean = sum / Math.max(n, 1);
        double gain = 0.6 + 0.8 * rng.nextDouble();
        double shift = (rng.nextBoolean() ? 1 : -1) * (0.04 + 0.21 * rng.nextDouble()) * span;
        for (int i = 0; i < in.length; i++) {
            if (region.inside[i]) {
                out[i] = clip(mean + gain * (in[i] - mean) + shift, range);
            }
        }
    }

    /** Gaussian noise of standard deviation 3-15 % of the value range, clipped to the image's valid range. */
    static void noise(float[] in, DefectRegion region, float[] range, float span, float[] out, SplittableRandom rng) {
        double sigma = (0.03 + 0.12 * rng.nextDouble()) * span;
        for (int i = 0; i < in.length; i++) {
            if (region.inside[i]) {
                out[i] = clip(in[i] + sigma * rng.nextGaussian(), range);
            }
        }
    }

    /**
     * A Gaussian blur (sigma 1-3 pixels) of the region, averaging valid neighbours only so that padding does not bleed
     * in. Computed directly per region pixel: regions are small, and the models module has no image library.
     */
    static void blur(float[] in, boolean[] valid, int w, int h, DefectRegion region, float[] out, SplittableRandom rng) {
        double sigma = 1 + 2 * rng.nextDouble();
        int radius = (int) Math.ceil(2.5 * sigma);
        double[] weight = new double[radius + 1];
        for (int d = 0; d <= radius; d++) {
            weight[d] = Math.exp(-d * d / (2 * sigma * sigma));
        }
        for (int y = region.minY; y <= region.maxY; y++) {
            for (int x = region.minX; x <= region.maxX; x++) {
                int i = y * w + x;
                if (!region.inside[i]) {
                    continue;
                }
                double s = 0;
                double ws = 0;
                for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
                    double wy = weight[Math.abs(yy - y)];
                    for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
                        int j = yy * w + xx;
                        if (valid[j]) {
                            double wt = wy * weight[Math.abs(xx - x)];
                            s += wt * in[j];
                            ws += wt;
                        }
                    }
                }
                out[i] = (float) (s / ws);
            }
        }
    }

    private static float clip(double v, float[] range) {
        if (range[1] <= range[0]) {
            return (float) v;
        }
        return (float) Math.min(range[1], Math.max(range[0], v));
    }
}
