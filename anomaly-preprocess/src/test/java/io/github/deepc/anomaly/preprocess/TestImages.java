package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.SplittableRandom;

/** Helpers shared by the tests. */
final class TestImages {
    private TestImages() {
    }

    /** @return a fresh standalone context */
    static StageContext ctx() {
        return StageContext.standalone(false, 42L);
    }

    /**
     * @param w width
     * @param h height
     * @return an image whose pixel (x, y) has the value {@code y * w + x}, all valid
     */
    static GrayImage ramp(int w, int h) {
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
    static GrayImage random(int w, int h, long seed, float scale, double validFraction) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        boolean[] m = new boolean[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
            m[i] = validFraction >= 1 || r.nextDouble() < validFraction;
        }
        return GrayImage.of(w, h, p, m);
    }
}
