package io.github.deepc.anomaly.testkit;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small synthetic images for plugin tests: deterministic for a seed, no files needed (except {@link #png}). */
public final class TestImages {
    private TestImages() {
    }

    /** @return a fresh standalone, non-training stage context with seed 42 */
    public static StageContext ctx() {
        return StageContext.standalone(false, 42L);
    }

    /**
     * @param w width
     * @param h height
     * @return an image whose pixel (x, y) has the value {@code y * w + x}, all valid
     */
    public static GrayImage ramp(int w, int h) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return GrayImage.of(w, h, p, null);
    }

    /**
     * @param w             width
     * @param h             height
     * @param seed          random seed
     * @param scale         pixels are uniform in [-scale, scale]
     * @param validFraction probability that a pixel is valid (1 = all valid)
     * @return a random image
     */
    public static GrayImage random(int w, int h, long seed, float scale, double validFraction) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        boolean[] m = new boolean[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
            m[i] = validFraction >= 1 || r.nextDouble() < validFraction;
        }
        return GrayImage.of(w, h, p, m);
    }

    /**
     * Uniform random pixels in [0, 1), all valid.
     *
     * @param count  number of images
     * @param width  image width
     * @param height image height
     * @param seed   randomness
     * @return the images
     */
    public static List<GrayImage> random(int count, int width, int height, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] p = new float[width * height];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) rng.nextDouble();
            }
            out.add(GrayImage.wrap(width, height, p, null));
        }
        return out;
    }

    /**
     * Smooth images: a dim background with one or two Gaussian blobs, values in [0, 1]; the mask marks a border of
     * {@code invalidBorder} pixels invalid (value 0 there, like padding).
     *
     * @param count         number of images
     * @param size          side of the square images
     * @param invalidBorder width of the invalid border
     * @param seed          randomness
     * @return the images
     */
    public static List<GrayImage> blobs(int count, int size, int invalidBorder, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] p = new float[size * size];
            boolean[] m = new boolean[size * size];
            int blobs = 1 + rng.nextInt(2);
            double[] cx = new double[blobs];
            double[] cy = new double[blobs];
            double[] r = new double[blobs];
            for (int b = 0; b < blobs; b++) {
                cx[b] = size * (0.25 + 0.5 * rng.nextDouble());
                cy[b] = size * (0.25 + 0.5 * rng.nextDouble());
                r[b] = size * (0.08 + 0.12 * rng.nextDouble());
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    boolean valid = x >= invalidBorder && y >= invalidBorder
                            && x < size - invalidBorder && y < size - invalidBorder;
                    m[i] = valid;
                    if (!valid) {
                        continue;
                    }
                    double v = 0.15;
                    for (int b = 0; b < blobs; b++) {
                        double dx = x - cx[b];
                        double dy = y - cy[b];
                        v += 0.8 * Math.exp(-(dx * dx + dy * dy) / (2 * r[b] * r[b]));
                    }
                    p[i] = (float) Math.min(1.0, v);
                }
            }
            out.add(GrayImage.wrap(size, size, p, m));
        }
        return out;
    }

    /**
     * Writes an 8-bit grey PNG: a diagonal ramp with noise, optionally a bright square in the middle.
     *
     * @param file   target (parent folders are created)
     * @param size   side
     * @param seed   content seed
     * @param bright a brighter square in the middle when true
     * @return the file
     */
    public static Path png(Path file, int size, long seed, boolean bright) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            SplittableRandom r = new SplittableRandom(seed);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = 60 + (x + y) + r.nextInt(10);
                    if (bright && Math.abs(x - size / 2) < size / 6 && Math.abs(y - size / 2) < size / 6) {
                        v = 250;
                    }
                    img.getRaster().setSample(x, y, 0, Math.min(255, v));
                }
            }
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
