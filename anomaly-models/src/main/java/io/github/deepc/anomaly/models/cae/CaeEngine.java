package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Locale;

/**
 * What computes an autoencoder's ({@code cae}, {@code bottleneck-cae}, {@code vae}) training and inference; the
 * network, its seeded initialisation, the results (to float rounding) and the saved state are the same. The weights
 * live in the model's parameter store either way: the direct engine computes on its arrays, SameDiff copies them into
 * its graph and back.
 */
public enum CaeEngine implements Choice {
    /**
     * The library's own convolution engine ({@link io.github.deepc.anomaly.models.conv.DirectAutoencoder}: one
     * column gather or scatter and one BLAS matrix product per stage and pass); measured 4-5x faster than SameDiff.
     * The default. It keeps its working matrices for a whole batch on the Java heap (and natively): when a training
     * batch would need more than half the maximum heap (e.g. about 1.5 GiB for 32 images of 256x256 with the reference
     * network), it computes the batch in chunks and accumulates their gradients (one Adam step per batch, the same
     * to float rounding); inference takes fewer images per pass.
     */
    DIRECT,
    /** ND4J SameDiff's {@code conv2d}/{@code deconv2d} graph. */
    SAMEDIFF;

    /** @return the lower-case parameter word, e.g. {@code direct} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the parameter words of all engines */
    public static String[] words() {
        return Choices.wordList(CaeEngine.class).toArray(String[]::new);
    }

    /**
     * @param word a parameter word
     * @return its engine
     * @throws IllegalArgumentException for an unknown word, listing the known ones
     */
    public static CaeEngine of(String word) {
        return Choices.parse(CaeEngine.class, "cae.engine", word);
    }
}
