/**
 * Generative adversarial models of normal images: {@code dcgan}
 * ({@link io.github.deepc.anomaly.models.gan.DcganModel}), {@code bigan}
 * ({@link io.github.deepc.anomaly.models.gan.BiganModel}) and {@code alpha-gan}
 * ({@link io.github.deepc.anomaly.models.gan.AlphaGanModel}), and the {@code discriminator} scorer
 * ({@link io.github.deepc.anomaly.models.score.discriminator.DiscriminatorScorer}) that turns their discriminator probabilities into
 * outlier scores.
 *
 * <h2>Engines</h2>
 * {@code dcgan}, {@code bigan} and {@code alpha-gan} (with its self-attention and spectral normalisation,
 * {@link io.github.deepc.anomaly.models.conv.SelfAttentionLayer} and
 * {@link io.github.deepc.anomaly.models.conv.SpectralNormLayer}) train and infer on the library's direct convolution engine by default ({@code engine=direct}:
 * {@link io.github.deepc.anomaly.models.conv.DirectGenerator}, {@link io.github.deepc.anomaly.models.conv.DirectCritic},
 * {@link io.github.deepc.anomaly.models.conv.DirectMlp} (alpha-gan's code discriminator), {@code DirectPlayers}, the
 * losses in {@code GanLosses}),
 * with their weights in one {@code net.ParameterStore} (PyTorch's convolution
 * layouts; {@code GanParameters} converts to and from the graph's for the saved state, whose format is unchanged, so
 * a state loads on either engine). Each network has its own Adam, so the discriminator back-propagates into its input
 * during the generator's update without being updated. The SameDiff graphs below are the reference the engine is
 * tested against ({@code engine=samediff}).
 *
 * <h2>Alternating updates in SameDiff 1.0.0-M2.1</h2>
 * Each model has two players, the discriminator(s) and the generator (with the encoder, where there is one), and each
 * player has its own long-lived SameDiff graph in which only its own weights are trainable {@code VARIABLE}s and whose
 * loss is its own loss. The other player's weights appear in that graph as placeholders, fed on every call with the
 * owning graph's live arrays (no copy). A training step is one discriminator update (the generator's graph only runs
 * forward to produce the fakes) followed by one generator update (the discriminator's weights are placeholders there,
 * so they cannot move). Gradients come from {@code SameDiff.calculateGradientsAndOutputs}, and each player applies
 * its own ND4J Adam updater ({@code beta1 = 0.5}) in place, as {@code SameDiff.fit} does internally.
 *
 * <p>Alternatives not taken: one graph with two {@code TrainingConfig}s cannot work, since a graph has one gradient
 * function over the sum of its loss variables; two graphs of variables copied into each other every half-step cost a
 * copy of every weight twice per step; {@code convertToConstants}/{@code convertToVariables} clear the graph's
 * sessions and delete its gradient function, which would be rebuilt twice per step; and {@code SameDiff.fit} per
 * batch grows native memory.
 *
 * <p>Native memory: a gradient call in M2.1 leaves hundreds of intermediates unreleased for the garbage collector, and
 * the default session cache hoards the released ones; {@code SessionArena} frees everything a call allocated once it
 * returns, which keeps the resident set flat over hundreds of steps.
 *
 * <p>The layer helpers ({@code Layers}, {@code SelfAttention}, {@code SpectralNorm}) are this package's own (4x4
 * kernels, transposed convolutions, pixel norm, attention and spectral norm are not in the shared builder); quiet
 * gradient functions, graph release, image batch arrays, shuffling and training-set checks come from the shared
 * {@code io.github.deepc.anomaly.models.samediff} support.
 */
package io.github.deepc.anomaly.models.gan;
