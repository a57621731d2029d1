package io.github.deepc.anomaly.models.raw;

import io.github.deepc.anomaly.core.image.GrayImage;

/**
 * Area-averaging resampling (OpenCV's {@code INTER_AREA} for shrinking): each output pixel is the mean of the input
 * pixels its footprint covers, fractional overlaps weighted by the covered fraction. Invalid (masked-out) pixels
 * count as 0. The two axes are resampled independently, so the aspect ratio is not kept. Enlarging repeats pixels
 * (each output footprint lies inside one or two input pixels).
 */
public final class AreaResize {
    private AreaResize() {
    }

    /**
     * @param image  the image
     * @param width  output width, at least 1
     * @param height output height, at least 1
     * @return the {@code width * height} resampled values, row-major
     */
    public static float[] resize(GrayImage image, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("output size must be positive, got " + width + "x" + height);
        }
        int w = image.width();
        int h = image.height();
        float[] px = image.unsafePixels();
        boolean[] valid = image.unsafeMask();
        Footprint[] xs = footprints(w, width);
        Footprint[] ys = footprints(h, height);
        // rows first: each input row averaged into `width` columns
        double[] rows = new double[h * width];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int ox = 0; ox < width; ox++) {
                Footprint f = xs[ox];
                double s = 0;
                for (int k = 0; k < f.index.length; k++) {
                    int i = row + f.index[k];
                    if (valid[i]) {
                        s += f.weight[k] * px[i];
                    }
                }
                rows[y * width + ox] = s;
            }
        }
        float[] out = new float[width * height];
        for (int oy = 0; oy < height; oy++) {
            Footprint f = ys[oy];
            for (int ox = 0; ox < width; ox++) {
                double s = 0;
                for (int k = 0; k < f.index.length; k++) {
                    s += f.weight[k] * rows[f.index[k] * width + ox];
                }
                out[oy * width + ox] = (float) s;
            }
        }
        return out;
    }

    /** Input pixels covered by one output pixel along one axis, with weights summing to 1. */
    private record Footprint(int[] index, double[] weight) {
    }

    private static Footprint[] footprints(int in, int out) {
        Footprint[] f = new Footprint[out];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double lo = o * scale;
            double hi = (o + 1) * scale;
            int first = (int) Math.floor(lo);
            int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
            int n = last - first + 1;
            int[] idx = new int[n];
            double[] wt = new double[n];
            for (int k = 0; k < n; k++) {
                int i = first + k;
                idx[k] = i;
                wt[k] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
            }
            f[o] = new Footprint(idx, wt);
        }
        return f;
    }
}
