/**
 * Every built-in outlier scorer, one sub-package per model output it reads:
 * <ul>
 *   <li>{@code reconstruction}: {@code masked-mse} and {@code top-k-se} (squared reconstruction errors over valid
 *       pixels, with a per-pixel heat map), {@code vae-loss} (a VAE's loss per image) and {@code kl} (its KL
 *       divergence); {@link io.github.deepc.anomaly.models.score.reconstruction.PixelLoss} defines the per-pixel
 *       errors the models and scorers share;</li>
 *   <li>{@code latent}: {@code knn}, {@code one-class-svm} and {@code dbscan}, fitted on the training normals' latent
 *       vectors;</li>
 *   <li>{@code distance}: {@code distance}, a deep one-class model's distance to its centre or its score;</li>
 *   <li>{@code discriminator}: {@code discriminator}, a GAN's discriminator output;</li>
 *   <li>{@code map}: {@code anomaly-map}, the maximum or top-fraction mean of a model's per-pixel anomaly map.</li>
 * </ul>
 * Plugin ids, not class names, are stored in detector files, so these packages can move without breaking saved
 * detectors.
 */
package io.github.deepc.anomaly.models.score;
