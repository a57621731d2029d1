package io.github.deepc.anomaly.models.testing;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic images shared by the model tests (CAE, GAN): deterministic for a seed, no files needed. */
public final class TestImages {
    private TestImages() {
    }

    /**
     * Smooth images: a dim background with one or two Gaussian blobs, values in [0, 1]; the mask marks a
     * border of {@code invalidBorder} pixels invalid (value 0 there, like padding).
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
}
