package io.github.deepc.anomaly.models.latent;

import java.util.Arrays;
import java.util.Locale;

/** The distances {@link KnnScorer} can use between (standardised) latent vectors, by parameter word. */
public enum KnnMetric {
    /** {@code |q - p|}. */
    EUCLIDEAN,
    /**
     * {@code 1 - q . p / (|q| |p|)}, in [0, 2]; a zero vector has distance 0.5 to every other non-zero vector and 0
     * to another zero vector (see {@link KnnScorer}).
     */
    COSINE;

    /** @return the lower-case parameter word, e.g. {@code cosine} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the parameter words of all metrics */
    public static String[] words() {
        return Arrays.stream(values()).map(KnnMetric::word).toArray(String[]::new);
    }

    /**
     * @param word a parameter word
     * @return its metric
     * @throws IllegalArgumentException for an unknown word, listing the known ones
     */
    public static KnnMetric of(String word) {
        for (KnnMetric m : values()) {
            if (m.word().equals(word)) {
                return m;
            }
        }
        throw new IllegalArgumentException("parameter knn.metric='" + word + "' is not valid; expected one of "
                + String.join(", ", words()));
    }
}
