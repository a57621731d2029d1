package io.github.deepc.anomaly.models.gan;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two players of a GAN and the spectral-norm state of the discriminator side. Knows what each graph is fed
 * besides data: the other player's live weights (for the generator's graph) and the spectral-norm vectors.
 *
 * @param discriminator the discriminator(s)
 * @param generator     the generator (with the encoder, where there is one)
 * @param spectralNorm  power-iteration state of the normalised discriminator weights (possibly none)
 */
record Players(Player discriminator, Player generator, SpectralNorm spectralNorm) implements AutoCloseable {
    /** Requires all three. */
    Players {
        Objects.requireNonNull(discriminator, "discriminator");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(spectralNorm, "spectralNorm");
    }

    /**
     * @param data data placeholders
     * @return everything the discriminator's graph is fed
     */
    Map<String, INDArray> discriminatorFeeds(Map<String, INDArray> data) {
        return feeds(discriminator, generator, data);
    }

    /**
     * @param data data placeholders
     * @return everything the generator's graph is fed, including the discriminator's current weights
     */
    Map<String, INDArray> generatorFeeds(Map<String, INDArray> data) {
        return feeds(generator, discriminator, data);
    }

    private Map<String, INDArray> feeds(Player target, Player other, Map<String, INDArray> data) {
        Map<String, INDArray> feeds = new HashMap<>(data);
        if (!target.foreignNames().isEmpty()) {
            Map<String, INDArray> weights = other.parameters();
            for (String name : target.foreignNames()) {
                feeds.put(name, weights.get(name));
            }
        }
        spectralNorm.feed(target.spectralNames(), feeds);
        return feeds;
    }

    /** Advances the spectral-norm estimates by one power iteration on the discriminator's current weights. */
    void iterateSpectralNorm() {
        spectralNorm.iterate(discriminator.parameters());
    }

    /** @return every array a saved state holds, by unique name: discriminator, generator, spectral-norm vectors */
    Map<String, INDArray> stateArrays() {
        Map<String, INDArray> all = new LinkedHashMap<>(discriminator.parameters());
        all.putAll(generator.parameters());
        all.putAll(spectralNorm.vectors());
        return all;
    }

    @Override
    public void close() {
        discriminator.close();
        generator.close();
        spectralNorm.close();
    }
}
