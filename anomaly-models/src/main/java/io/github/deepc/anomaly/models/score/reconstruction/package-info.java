/**
 * Scorers reading a model's reconstruction (and a VAE's KL divergence): {@code masked-mse}, {@code top-k-se},
 * {@code vae-loss}, {@code kl}, and the per-pixel errors ({@link io.github.deepc.anomaly.models.score.reconstruction.PixelLoss})
 * that the autoencoders train with.
 */
package io.github.deepc.anomaly.models.score.reconstruction;
