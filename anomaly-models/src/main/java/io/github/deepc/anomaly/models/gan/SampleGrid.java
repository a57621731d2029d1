package io.github.deepc.anomaly.models.gan;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * What a fixed batch of generated samples says about training: their diversity (mode collapse drives it to 0) and a
 * PNG grid to look at.
 */
final class SampleGrid {
    private SampleGrid() {
    }

    /**
     * The mean Euclidean (L2) distance over all pairs of samples; 0 when all are identical (mode collapse).
     *
     * @param samples row-major samples of {@code pixels} values each
     * @param count   number of samples
     * @param pixels  values per sample
     * @return the mean pairwise distance, 0 for fewer than two samples
     */
    static double diversity(float[] samples, int count, int pixels) {
        if (count < 2) {
            return 0.0;
        }
        double sum = 0;
        for (int a = 0; a < count; a++) {
            for (int b = a + 1; b < count; b++) {
                double sq = 0;
                for (int i = 0; i < pixels; i++) {
                    double d = samples[a * pixels + i] - samples[b * pixels + i];
                    sq += d * d;
                }
                sum += Math.sqrt(sq);
            }
        }
        return sum / ((double) count * (count - 1) / 2);
    }

    /**
     * Writes the samples as a square-ish grid of 8-bit grey tiles with a 2-pixel black gap.
     *
     * @param samples row-major samples
     * @param count   number of samples
     * @param height  sample height
     * @param width   sample width
     * @param range   the samples' value range, mapped to 0..255
     * @param file    the PNG to write (parent folders are created)
     * @throws IOException when writing fails
     */
    static void writePng(float[] samples, int count, int height, int width, PixelRange range, Path file) throws IOException {
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + cols - 1) / cols;
        int gap = 2;
        BufferedImage img = new BufferedImage(cols * (width + gap) + gap, rows * (height + gap) + gap,
                BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        double span = range.upper() - range.lower();
        for (int s = 0; s < count; s++) {
            int x0 = gap + (s % cols) * (width + gap);
            int y0 = gap + (s / cols) * (height + gap);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = (samples[s * height * width + y * width + x] - range.lower()) / span;
                    raster.setSample(x0 + x, y0 + y, 0, (int) Math.round(Math.max(0, Math.min(1, v)) * 255));
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
