package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small synthetic images for the one-class model tests. */
final class OneClassImages {
    private OneClassImages() {
    }

    /** A Gaussian blob near the centre on a dim background, one-pixel invalid border. */
    static List<GrayImage> blobs(int count, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            double cx = size * (0.4 + 0.2 * rng.nextDouble());
            double cy = size * (0.4 + 0.2 * rng.nextDouble());
            double r = size * (0.12 + 0.05 * rng.nextDouble());
            float[] p = new float[size * size];
            boolean[] m = new boolean[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    m[i] = x > 0 && y > 0 && x < size - 1 && y < size - 1;
                    double dx = x - cx;
                    double dy = y - cy;
                    p[i] = m[i] ? (float) (0.1 + 0.8 * Math.exp(-(dx * dx + dy * dy) / (2 * r * r))) : 0f;
                }
            }
            out.add(GrayImage.wrap(size, size, p, m));
        }
        return out;
    }
}
