package io.github.deepc.anomaly.preprocess;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Generated radiograph-like test images and access to the shared real images, for the tests of the new stages. */
final class Radiographs {
    private Radiographs() {
    }

    /**
     * A body-filling, chest-like image: a bright, smooth body in the centre fading to a dark border, with noise.
     *
     * @param w     width
     * @param h     height
     * @param seed  noise seed
     * @param scale the largest value (255 for 8-bit, 65535 for 16-bit)
     * @return the image, all valid
     */
    static GrayImage bodyFilling(int w, int h, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - cx) / (w / 2.0);
                double dy = (y - cy) / (h / 2.0);
                double body = Math.exp(-(dx * dx + dy * dy) * 2.5);
                double v = 0.1 + 0.75 * body + 0.05 * (r.nextDouble() - 0.5);
                p[y * w + x] = (float) Math.round(Math.max(0, Math.min(1, v)) * scale);
            }
        }
        return GrayImage.of(w, h, p, null);
    }

    /**
     * A low-contrast image: values clustered in a narrow band around {@code centre}, plus a few outliers so the
     * range is wide.
     *
     * @param w      width
     * @param h      height
     * @param seed   seed
     * @param centre the band's centre
     * @param spread the band's half width
     * @return the image, all valid
     */
    static GrayImage lowContrast(int w, int h, long seed, float centre, float spread) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.round(centre + (float) (r.nextGaussian() * spread / 2));
        }
        return GrayImage.of(w, h, p, null);
    }

    /**
     * @param img an image
     * @return the image with every value {@code v} replaced by {@code min + max - v} (all pixels)
     */
    static GrayImage inverted(GrayImage img) {
        float[] range = img.validRange();
        float[] p = img.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = range[0] + range[1] - p[i];
        }
        return GrayImage.of(img.width(), img.height(), p, img.mask());
    }

    /**
     * @param img an image
     * @return the standard deviation of its valid pixels
     */
    static double validStd(GrayImage img) {
        double s = 0;
        double s2 = 0;
        int n = 0;
        float[] p = img.unsafePixels();
        boolean[] m = img.unsafeMask();
        for (int i = 0; i < p.length; i++) {
            if (m[i]) {
                s += p[i];
                s2 += (double) p[i] * p[i];
                n++;
            }
        }
        double mean = s / n;
        return Math.sqrt(Math.max(0, s2 / n - mean * mean));
    }

    /**
     * The first {@code n} images (sorted by name) of a folder below the shared data folder; skips the calling test
     * when the folder is absent.
     *
     * @param relative folder below the shared folder, e.g. {@code data/chest-xray/train/NORMAL}
     * @param n        at most this many
     * @return the image files
     * @throws IOException when the folder cannot be listed
     */
    static List<Path> shared(String relative, int n) throws IOException {
        String root = System.getProperty("anomaly.shared.dir", "../../shared");
        Path dir = Path.of(root).resolve(relative);
        assumeTrue(Files.isDirectory(dir), "shared images not found at " + dir.toAbsolutePath().normalize()
                + " (set -Danomaly.shared.dir); skipping");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile).sorted().limit(n).toList());
            assumeTrue(!files.isEmpty(), "no images in " + dir.toAbsolutePath().normalize() + "; skipping");
            return files;
        }
    }
}
