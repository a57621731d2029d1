/**
 * Outlier scorers reading model reconstructions and VAE outputs: {@code masked-mse} and {@code top-k-se} (squared
 * reconstruction errors over valid pixels, with a per-pixel heat map), {@code vae-loss} (a VAE's loss per image) and
 * {@code kl} (its KL divergence). {@link io.github.deepc.anomaly.models.score.PixelLoss} defines the per-pixel errors
 * the models and scorers share.
 */
package io.github.deepc.anomaly.models.score;
