package io.github.deepc.anomaly.models.gan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-epoch means of named training figures (losses, mean discriminator outputs), each batch weighted by its size.
 */
final class EpochStats {
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private long images;

    /**
     * @param name   figure name
     * @param value  its value on one batch
     * @param weight the batch size
     */
    void add(String name, double value, int weight) {
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += value * weight;
        s[1] += weight;
    }

    /** @param n images seen in one training step */
    void countImages(int n) {
        images += n;
    }

    /** @return images seen this epoch */
    long images() {
        return images;
    }

    /**
     * @param name figure name
     * @return its mean, NaN when never added
     */
    double mean(String name) {
        double[] s = sums.get(name);
        return s == null || s[1] == 0 ? Double.NaN : s[0] / s[1];
    }

    /** @return every figure's mean, in the order first added */
    Map<String, Double> means() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : sums.keySet()) {
            m.put(name, mean(name));
        }
        return m;
    }
}
