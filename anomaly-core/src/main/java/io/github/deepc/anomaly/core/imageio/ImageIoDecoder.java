package io.github.deepc.anomaly.core.imageio;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The fallback {@link ImageDecoder} on {@code javax.imageio}: PNG (8/16-bit), JPEG, BMP, GIF; no native code.
 * Colour images are converted to grey with ITU-R BT.601 weights, as OpenCV does.
 */
public final class ImageIoDecoder implements ImageDecoder {
    @Override
    public GrayImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file);
        }
        if (Files.size(file) == 0) {
            throw new IOException("image file is empty: " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not a readable image (expected PNG, JPEG, BMP or GIF): " + file);
        }
        return toGray(img);
    }

    /**
     * Converts a decoded AWT image to grey.
     *
     * @param img the image
     * @return the grey image, values in the image's native range
     */
    public static GrayImage toGray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] p = new float[w * h];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (!indexed && (bands == 1 || bands == 2)) {
            r.getSamples(0, 0, w, h, 0, p);
        } else if (!indexed && bands >= 3) {
            float[] rr = r.getSamples(0, 0, w, h, 0, (float[]) null);
            float[] gg = r.getSamples(0, 0, w, h, 1, (float[]) null);
            float[] bb = r.getSamples(0, 0, w, h, 2, (float[]) null);
            for (int i = 0; i < p.length; i++) {
                p[i] = 0.299f * rr[i] + 0.587f * gg[i] + 0.114f * bb[i];
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    p[y * w + x] = 0.299f * ((rgb >> 16) & 255) + 0.587f * ((rgb >> 8) & 255) + 0.114f * (rgb & 255);
                }
            }
        }
        return GrayImage.wrap(w, h, p, null);
    }

    @Override
    public String name() {
        return "imageio";
    }
}
