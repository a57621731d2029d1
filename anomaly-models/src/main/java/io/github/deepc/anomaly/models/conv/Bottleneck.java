package io.github.deepc.anomaly.models.conv;

/**
 * What sits between a {@link DirectAutoencoder}'s encoder and decoder: the encoder's output is flattened (per image
 * in channel, row, column order) and either mapped linearly to a code of {@code latent} values ({@code dense}), or
 * to the mean {@code mu} and log-variance of a diagonal Gaussian, sampled as {@code z = mu + exp(logvar / 2) * eps}
 * ({@code variational}, adding {@code beta} times the batch mean of the per-image KL divergence from the standard
 * normal, {@code -0.5 * sum(1 + logvar - mu^2 - exp(logvar))}, to the loss); a dense layer with ReLU expands the
 * code (or {@code z}) back for the decoder. Dense layers, in order: {@code code, expand} or
 * {@code mu, logvar, expand}.
 *
 * @param variational whether the code is sampled from a Gaussian
 * @param latent      code size, at least 1
 * @param beta        weight of the KL divergence ({@code variational} only, else 0), finite and at least 0
 */
public record Bottleneck(boolean variational, int latent, double beta) {
    /** Checks the values. */
    public Bottleneck {
        if (latent < 1) {
            throw new IllegalArgumentException("latent size must be at least 1, got " + latent);
        }
        if (!(beta >= 0) || !Double.isFinite(beta) || (!variational && beta != 0)) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, and 0 without a variational code, "
                    + "got " + beta);
        }
    }

    /** @return the number of dense layers, 2 or 3 */
    int denseLayers() {
        return variational ? 3 : 2;
    }
}
