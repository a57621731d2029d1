/**
 * Outlier scorers reading model reconstructions and VAE outputs: {@code masked-mse} and {@code top-k-se} (squared
 * reconstruction errors over valid pixels, with a per-pixel heat map), {@code vae-loss} (a VAE's loss per image),
 * {@code kl} (its KL divergence) and {@code anomaly-map} (the maximum or top-fraction mean of a model's per-pixel anomaly
 * map, which is also its heat map). {@link io.github.deepc.anomaly.models.score.PixelLoss} defines the per-pixel errors
 * the models and scorers share.
 */
package io.github.deepc.anomaly.models.score;
