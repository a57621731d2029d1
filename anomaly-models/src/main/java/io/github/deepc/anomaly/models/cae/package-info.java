/**
 * The convolutional autoencoders, on one shared encoder/decoder ({@link io.github.deepc.anomaly.models.cae.ConvLayout}),
 * described once, engine-neutrally ({@code AutoencoderSpec}: {@code conv.Stage}s, an optional {@code conv.Bottleneck},
 * the {@code score.PixelLoss}), with their weights in one {@code net.ParameterStore}, and computed by the library's
 * direct convolution engine or, as the reference, by ND4J SameDiff graphs
 * ({@link io.github.deepc.anomaly.models.cae.CaeEngine}), trained on normal images with seeded, repeatable training
 * ({@link io.github.deepc.anomaly.models.cae.TrainingOptions}: optional validation hold-out and early stopping):
 * <ul>
 *   <li>{@code cae} ({@link io.github.deepc.anomaly.models.cae.CaeModel}): the plain autoencoder, by default the
 *       network of {@code reference_cae.py}; outputs the reconstruction.</li>
 *   <li>{@code bottleneck-cae} ({@link io.github.deepc.anomaly.models.cae.BottleneckCaeModel}): with a dense
 *       bottleneck; outputs the reconstruction and the code.</li>
 *   <li>{@code vae} ({@link io.github.deepc.anomaly.models.cae.VaeModel}): variational, with seeded noise; outputs the
 *       reconstruction of the posterior mean, the mean and the KL divergence.</li>
 * </ul>
 * Each has a provider in this package, registered in {@code META-INF/services}.
 */
package io.github.deepc.anomaly.models.cae;
