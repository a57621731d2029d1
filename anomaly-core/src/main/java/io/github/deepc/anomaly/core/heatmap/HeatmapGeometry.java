package io.github.deepc.anomaly.core.heatmap;

import io.github.deepc.anomaly.core.image.GrayImage;

/**
 * Maps a heat map back onto the geometry of the original image, undoing the pipeline's resize and padding.
 *
 * <p>Padding stages mark the pixels they add as invalid, so the heat map's valid pixels are exactly the resized
 * original: this helper takes their bounding box and resamples it (bilinear, pixel centres aligned) to the original
 * width and height. That undoes any chain of {@code resize} and {@code pad} (centred or top-left), the default and
 * recommended pipelines included. A crop ({@code square-crop}, {@code body-part-crop}) cannot be undone from the heat
 * map alone: when the valid area does not have the original's aspect ratio this helper refuses, rather than
 * stretching the map over the wrong pixels.
 */
public final class HeatmapGeometry {
    private HeatmapGeometry() {
    }

    /**
     * @param heatmap a heat map from a detector (same size as the preprocessed image, padding invalid)
     * @param width   the original image's width
     * @param height  the original image's height
     * @return the heat map at {@code width x height}, every pixel valid
     * @throws IllegalArgumentException when the map has no valid pixel, the size is not positive, or the valid area's
     *                                  aspect ratio differs from the original's by more than a pixel (a crop)
     */
    public static GrayImage toOriginal(GrayImage heatmap, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("original size must be positive, got " + width + "x" + height);
        }
        int w = heatmap.width();
        int minX = w;
        int minY = heatmap.height();
        int maxX = -1;
        int maxY = -1;
        boolean[] valid = heatmap.unsafeMask();
        for (int y = 0; y < heatmap.height(); y++) {
            for (int x = 0; x < w; x++) {
                if (valid[y * w + x]) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            throw new IllegalArgumentException("the heat map has no valid pixel to map back");
        }
        int bw = maxX - minX + 1;
        int bh = maxY - minY + 1;
        // the resize rounds the short side to whole pixels: allow one pixel of difference either way
        double expectedShort = width >= height ? (double) bw * height / width : (double) bh * width / height;
        int actualShort = width >= height ? bh : bw;
        if (Math.abs(expectedShort - actualShort) > 1.0 + 1e-9) {
            throw new IllegalArgumentException("the heat map's valid area is " + bw + "x" + bh + ", not the shape of a "
                    + width + "x" + height + " image: the pipeline cropped it, and only resize and pad can be undone");
        }
        float[] src = heatmap.unsafePixels();
        float[] out = new float[width * height];
        double sx = (double) bw / width;
        double sy = (double) bh / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, Math.min(bh - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(bh - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, Math.min(bw - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(bw - 1, x0 + 1);
                double tx = fx - x0;
                double top = (1 - tx) * at(src, w, minX + x0, minY + y0) + tx * at(src, w, minX + x1, minY + y0);
                double bottom = (1 - tx) * at(src, w, minX + x0, minY + y1) + tx * at(src, w, minX + x1, minY + y1);
                out[y * width + x] = (float) ((1 - ty) * top + ty * bottom);
            }
        }
        return GrayImage.wrap(width, height, out, null);
    }

    private static float at(float[] p, int w, int x, int y) {
        return p[y * w + x];
    }
}
