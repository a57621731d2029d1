package io.github.deepc.anomaly.models.patch;

import io.github.deepc.anomaly.core.image.GrayImage;

/**
 * The square patches of one image at one scale: the image is first shrunk by {@code 2^scale} (area averaging over
 * valid pixels), then cut into {@code patch x patch} windows every {@code stride} pixels. A window counts when at
 * least half of its pixels are valid; invalid pixels enter its vector as 0.
 *
 * <p>Position {@code (row, col)} of the grid covers the pixels {@code [row*stride*f, (row*stride+patch)*f)} (and
 * likewise for columns) of the full-size image, {@code f = 2^scale}; {@link #paint} spreads per-patch values back
 * onto those pixels.
 */
final class PatchGrid {
    private final int patch;
    private final int stride;
    private final int factor;
    private final int width;
    private final int height;
    private final int rows;
    private final int cols;

    /**
     * @param width  full-size image width
     * @param height full-size image height
     * @param patch  window side at this scale
     * @param stride window step at this scale
     * @param scale  0 for full size, 1 for half...
     * @throws IllegalArgumentException when the shrunk image is smaller than one window
     */
    PatchGrid(int width, int height, int patch, int stride, int scale) {
        this.patch = patch;
        this.stride = stride;
        this.factor = 1 << scale;
        this.width = width;
        this.height = height;
        int w = width / factor;
        int h = height / factor;
        if (w < patch || h < patch) {
            throw new IllegalArgumentException("patch-memory: a " + width + "x" + height + " image shrunk " + factor
                    + " times is " + w + "x" + h + ", smaller than one " + patch + "x" + patch
                    + " patch; use larger images, a smaller patch or fewer scales");
        }
        this.rows = (h - patch) / stride + 1;
        this.cols = (w - patch) / stride + 1;
    }

    /** @return grid positions */
    int positions() {
        return rows * cols;
    }

    /** @return values per patch vector */
    int dimension() {
        return patch * patch;
    }

    /**
     * @param image an image of the grid's full size
     * @param out   {@code positions() x dimension()} values, overwritten
     * @return per position, whether the patch counts (at least half valid)
     */
    boolean[] extract(GrayImage image, float[] out) {
        int w = width / factor;
        int h = height / factor;
        float[] px = new float[w * h];
        float[] validFraction = new float[w * h];
        shrink(image, w, h, px, validFraction);
        boolean[] counts = new boolean[positions()];
        int d = dimension();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int pos = r * cols + c;
                int base = pos * d;
                double valid = 0;
                for (int y = 0; y < patch; y++) {
                    int row = (r * stride + y) * w + c * stride;
                    for (int x = 0; x < patch; x++) {
                        out[base + y * patch + x] = px[row + x];
                        valid += validFraction[row + x];
                    }
                }
                counts[pos] = valid * 2 >= d;
            }
        }
        return counts;
    }

    /** Area shrink: each output pixel is the mean of its valid source pixels (0 when none). */
    private void shrink(GrayImage image, int w, int h, float[] px, float[] validFraction) {
        float[] src = image.unsafePixels();
        boolean[] mask = image.unsafeMask();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int dy = 0; dy < factor; dy++) {
                    int row = (y * factor + dy) * width + x * factor;
                    for (int dx = 0; dx < factor; dx++) {
                        if (mask[row + dx]) {
                            sum += src[row + dx];
                            n++;
                        }
                    }
                }
                px[y * w + x] = n == 0 ? 0f : (float) (sum / n);
                validFraction[y * w + x] = n / (float) (factor * factor);
            }
        }
    }

    /**
     * Spreads per-position values over the full-size pixels each window covers; a pixel gets the mean over the
     * counting windows that cover it (0 where none does).
     *
     * @param values per position
     * @param counts which positions count
     * @param sum    full-size accumulator, added to
     * @param hits   full-size cover counts, added to
     */
    void paint(float[] values, boolean[] counts, double[] sum, int[] hits) {
        int side = patch * factor;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int pos = r * cols + c;
                if (!counts[pos]) {
                    continue;
                }
                int y0 = r * stride * factor;
                int x0 = c * stride * factor;
                for (int y = y0; y < Math.min(height, y0 + side); y++) {
                    for (int x = x0; x < Math.min(width, x0 + side); x++) {
                        sum[y * width + x] += values[pos];
                        hits[y * width + x]++;
                    }
                }
            }
        }
    }
}
