package io.github.deepc.anomaly.core.heatmap;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Renders heat maps over grey images as PNG: a perceptually ordered colour map (dark blue, through red, to
 * yellow) blended over the grey image on valid pixels; invalid pixels stay grey.
 */
public final class HeatmapOverlay {
    private static final float[][] STOPS = {
        {0.00f, 0.00f, 0.00f, 0.35f},
        {0.25f, 0.30f, 0.00f, 0.60f},
        {0.50f, 0.80f, 0.10f, 0.30f},
        {0.75f, 1.00f, 0.50f, 0.00f},
        {1.00f, 1.00f, 1.00f, 0.30f},
    };

    private HeatmapOverlay() {
    }

    /**
     * @param image   the grey image (any range; shown min-max scaled)
     * @param heatmap per-pixel values of the same size (scaled to its own maximum over valid pixels)
     * @param alpha   weight of the colour map, 0..1
     * @return an RGB image
     * @throws IllegalArgumentException when the sizes differ
     */
    public static BufferedImage render(GrayImage image, GrayImage heatmap, double alpha) {
        if (image.width() != heatmap.width() || image.height() != heatmap.height()) {
            throw new IllegalArgumentException("heat map is " + heatmap.width() + "x" + heatmap.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        float[] range = image.validRange();
        float span = range[1] > range[0] ? range[1] - range[0] : 1f;
        float hmax = heatmap.validRange()[1];
        float[] p = image.unsafePixels();
        float[] h = heatmap.unsafePixels();
        boolean[] valid = heatmap.unsafeMask();
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            float g = Math.max(0f, Math.min(1f, (p[i] - range[0]) / span));
            float r = g;
            float gr = g;
            float b = g;
            if (valid[i] && image.unsafeMask()[i]) {
                float[] c = colour(hmax > 0 ? h[i] / hmax : 0f);
                r = (float) ((1 - alpha) * g + alpha * c[0]);
                gr = (float) ((1 - alpha) * g + alpha * c[1]);
                b = (float) ((1 - alpha) * g + alpha * c[2]);
            }
            rgb[i] = (to8(r) << 16) | (to8(gr) << 8) | to8(b);
        }
        out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
        return out;
    }

    /**
     * Renders a heat map over its image on a fixed colour scale, so that several images can share one scale and
     * one colour bar: the colour's weight grows with the heat, so cold pixels show the plain grey image.
     *
     * @param image    the grey image (any range; shown min-max scaled)
     * @param heatmap  per-pixel values of the same size
     * @param alpha    weight of the colour at the top of the scale, 0..1
     * @param scaleMax the heat shown at the top of the colour scale (higher values saturate), positive
     * @return an RGB image
     * @throws IllegalArgumentException when the sizes differ or the scale is not positive
     */
    public static BufferedImage renderScaled(GrayImage image, GrayImage heatmap, double alpha, double scaleMax) {
        checkScaled(image, heatmap, scaleMax);
        float[] range = image.validRange();
        float span = range[1] > range[0] ? range[1] - range[0] : 1f;
        float[] p = image.unsafePixels();
        float[] h = heatmap.unsafePixels();
        boolean[] valid = heatmap.unsafeMask();
        int[] rgb = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            float g = Math.max(0f, Math.min(1f, (p[i] - range[0]) / span));
            float r = g;
            float gr = g;
            float b = g;
            if (valid[i] && image.unsafeMask()[i]) {
                float t = (float) Math.max(0, Math.min(1, h[i] / scaleMax));
                float[] c = colour(t);
                float a = (float) (alpha * Math.sqrt(t));
                r = (1 - a) * g + a * c[0];
                gr = (1 - a) * g + a * c[1];
                b = (1 - a) * g + a * c[2];
            }
            rgb[i] = (to8(r) << 16) | (to8(gr) << 8) | to8(b);
        }
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
        return out;
    }

    /**
     * Renders a heat map alone in the colour map, on a fixed scale; invalid pixels are mid-grey.
     *
     * @param heatmap  per-pixel values
     * @param scaleMax the heat shown at the top of the colour scale (higher values saturate), positive
     * @return an RGB image
     */
    public static BufferedImage renderHeat(GrayImage heatmap, double scaleMax) {
        checkScaled(heatmap, heatmap, scaleMax);
        float[] h = heatmap.unsafePixels();
        boolean[] valid = heatmap.unsafeMask();
        int[] rgb = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            rgb[i] = valid[i] ? colourRgb(h[i] / scaleMax) : 0x808080;
        }
        BufferedImage out = new BufferedImage(heatmap.width(), heatmap.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, heatmap.width(), heatmap.height(), rgb, 0, heatmap.width());
        return out;
    }

    /**
     * Renders a grey image, min-max scaled over its valid pixels, as RGB.
     *
     * @param image the image
     * @return an RGB image
     */
    public static BufferedImage renderGray(GrayImage image) {
        float[] range = image.validRange();
        float span = range[1] > range[0] ? range[1] - range[0] : 1f;
        float[] p = image.unsafePixels();
        int[] rgb = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int v = to8(Math.max(0f, Math.min(1f, (p[i] - range[0]) / span)));
            rgb[i] = (v << 16) | (v << 8) | v;
        }
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
        return out;
    }

    /**
     * The colour map.
     *
     * @param t position on the scale, clamped to 0..1
     * @return the colour as {@code 0xRRGGBB}
     */
    public static int colourRgb(double t) {
        float[] c = colour((float) Math.max(0, Math.min(1, t)));
        return (to8(c[0]) << 16) | (to8(c[1]) << 8) | to8(c[2]);
    }

    private static void checkScaled(GrayImage image, GrayImage heatmap, double scaleMax) {
        if (image.width() != heatmap.width() || image.height() != heatmap.height()) {
            throw new IllegalArgumentException("heat map is " + heatmap.width() + "x" + heatmap.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        if (!(scaleMax > 0) || Double.isInfinite(scaleMax)) {
            throw new IllegalArgumentException("colour scale maximum must be positive and finite, got " + scaleMax);
        }
    }

    /**
     * Writes {@link #render} as a PNG file, creating parent folders.
     *
     * @param image   grey image
     * @param heatmap heat map of the same size
     * @param file    target PNG
     * @throws IOException when writing fails
     */
    public static void writePng(GrayImage image, GrayImage heatmap, Path file) throws IOException {
        write(render(image, heatmap, 0.6), file);
    }

    /**
     * Writes a grey image as an 8-bit PNG, min-max scaled over valid pixels.
     *
     * @param image the image
     * @param file  target PNG
     * @throws IOException when writing fails
     */
    public static void writeGrayPng(GrayImage image, Path file) throws IOException {
        float[] range = image.validRange();
        float span = range[1] > range[0] ? range[1] - range[0] : 1f;
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        float[] p = image.unsafePixels();
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = to8(Math.max(0f, Math.min(1f, (p[i] - range[0]) / span)));
        }
        out.getRaster().setPixels(0, 0, image.width(), image.height(), v);
        write(out, file);
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available for " + file);
            }
        });
    }

    private static float[] colour(float t) {
        float v = Math.max(0f, Math.min(1f, t));
        for (int i = 1; i < STOPS.length; i++) {
            if (v <= STOPS[i][0]) {
                float[] a = STOPS[i - 1];
                float[] b = STOPS[i];
                float f = (v - a[0]) / (b[0] - a[0]);
                return new float[] {a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]), a[3] + f * (b[3] - a[3])};
            }
        }
        float[] last = STOPS[STOPS.length - 1];
        return new float[] {last[1], last[2], last[3]};
    }

    private static int to8(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
