package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Locale;

/** The distances {@link KnnScorer} can use between (standardised) latent vectors, by parameter word. */
public enum KnnMetric implements Choice {
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
        return Choices.wordList(KnnMetric.class).toArray(String[]::new);
    }

    /**
     * @param word a parameter word
     * @return its metric
     * @throws IllegalArgumentException for an unknown word, listing the known ones
     */
    public static KnnMetric of(String word) {
        return Choices.parse(KnnMetric.class, "knn.metric", word);
    }
}
