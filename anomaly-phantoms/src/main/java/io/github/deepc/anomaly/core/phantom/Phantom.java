package io.github.deepc.anomaly.core.phantom;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * One synthetic hand radiograph with its ground truth.
 *
 * @param image       the radiograph, values in {@code [0, 1]}, every pixel valid
 * @param anomalyMask row-major flags of the anomaly's pixels, {@code image.size()} long; all {@code false} for
 *                    {@link AnomalyKind#NONE}, at least one {@code true} otherwise. Copied on the way in and out
 * @param kind        the anomaly drawn, {@link AnomalyKind#NONE} for a normal hand
 * @param seed        the seed that, with {@code kind} and the generator's settings, reproduces this phantom
 */
public record Phantom(GrayImage image, boolean[] anomalyMask, AnomalyKind kind, long seed) {
    /**
     * Checks and copies the parts.
     *
     * @param image       the radiograph
     * @param anomalyMask the ground-truth mask, copied
     * @param kind        the anomaly kind
     * @param seed        the seed
     * @throws IllegalArgumentException when the mask's length differs from the image's size, when a
     *                                  {@link AnomalyKind#NONE} phantom has anomaly pixels, or an abnormal one none
     */
    public Phantom {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(anomalyMask, "anomalyMask");
        Objects.requireNonNull(kind, "kind");
        if (anomalyMask.length != image.size()) {
            throw new IllegalArgumentException("anomalyMask has " + anomalyMask.length + " flags, image has "
                    + image.size() + " pixels");
        }
        anomalyMask = anomalyMask.clone();
        int n = count(anomalyMask);
        if (kind.isAnomaly() && n == 0) {
            throw new IllegalArgumentException("a " + kind + " phantom needs a non-empty anomaly mask");
        }
        if (!kind.isAnomaly() && n != 0) {
            throw new IllegalArgumentException("a normal phantom must have an empty anomaly mask, got " + n
                    + " pixels");
        }
    }

    /** @return a copy of the ground-truth mask, row-major */
    @Override
    public boolean[] anomalyMask() {
        return anomalyMask.clone();
    }

    /** @return whether this phantom carries an anomaly ({@code kind != NONE}) */
    public boolean isAbnormal() {
        return kind.isAnomaly();
    }

    /** @return the number of anomaly pixels in the ground-truth mask (0 for a normal phantom) */
    public int anomalyPixelCount() {
        return count(anomalyMask);
    }

    /** @return the ground-truth mask as an image: 1 on anomaly pixels, 0 elsewhere, every pixel valid */
    public GrayImage maskImage() {
        float[] p = new float[anomalyMask.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = anomalyMask[i] ? 1f : 0f;
        }
        return GrayImage.wrap(image.width(), image.height(), p, null);
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phantom p && p.seed == seed && p.kind == kind && p.image.equals(image)
                && Arrays.equals(p.anomalyMask, anomalyMask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, kind, seed) * 31 + Arrays.hashCode(anomalyMask);
    }

    @Override
    public String toString() {
        return "Phantom[seed=" + seed + ", kind=" + kind + ", " + image.width() + "x" + image.height()
                + ", anomalyPixels=" + anomalyPixelCount() + "]";
    }
}
