package io.github.deepc.anomaly.models.score.reconstruction;

import java.util.Locale;
import java.util.Objects;

/**
 * A per-pixel reconstruction error, shared by the models' training losses and the scorers that repeat them.
 * Losses and scores average it over the valid pixels of an image.
 */
public enum PixelLoss {
    /** Squared error {@code (r - x)^2}, computed in float as the scorers always have. */
    MSE {
        @Override
        public float of(float x, float r) {
            float d = r - x;
            return d * d;
        }
    },
    /**
     * Binary cross-entropy {@code -(x ln r + (1 - x) ln(1 - r))} of a reconstruction {@code r} in (0, 1) for a
     * target {@code x} in [0, 1]; {@code r} is clamped to [{@value #BCE_EPSILON}, 1 - {@value #BCE_EPSILON}] so that a
     * saturated float sigmoid gives a finite value. (Training computes it from the logits, which needs no clamp.)
     */
    BCE {
        @Override
        public float of(float x, float r) {
            double p = Math.min(1.0 - BCE_EPSILON, Math.max(BCE_EPSILON, r));
            return (float) -(x * Math.log(p) + (1.0 - x) * Math.log(1.0 - p));
        }
    };

    /** Clamp of the reconstruction in {@link #BCE}. */
    public static final double BCE_EPSILON = 1e-7;

    /**
     * @param x the input pixel
     * @param r its reconstruction
     * @return the pixel's error
     */
    public abstract float of(float x, float r);

    /** @return the lowercase parameter word, {@code mse} or {@code bce} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param word {@code mse} or {@code bce} (any case)
     * @return the loss
     * @throws IllegalArgumentException for another word
     */
    public static PixelLoss parse(String word) {
        for (PixelLoss l : values()) {
            if (l.word().equalsIgnoreCase(Objects.requireNonNull(word, "word").trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown reconstruction loss '" + word + "'; known: mse, bce");
    }
}
