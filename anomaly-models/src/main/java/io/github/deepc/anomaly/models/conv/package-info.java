/**
 * The library's own convolution engine for stride-2 convolutional autoencoders
 * ({@link io.github.deepc.anomaly.models.conv.DirectAutoencoder}), which the {@code cae} model trains and infers with
 * by default.
 *
 * <p>Why it exists: ND4J 1.0.0-M2.1's {@code conv2d}/{@code deconv2d} spend most of their time moving data
 * ({@code im2col}/{@code col2im} into a layout that is then permuted and copied again) rather than multiplying, and
 * the reference CAE trained at 0.15-0.19x of PyTorch's speed on 2 cores. Here every stage's forward and backward pass
 * is one column gather or scatter in a batch-folded, channel-major layout ({@code [channel][image][row][column]}, so a
 * convolution over the whole batch is a single matrix product with no permutation) plus one BLAS {@code sgemm}
 * through ND4J; activations, the masked loss and Adam are plain Java loops. Measured with {@code CaeBenchmark}: 4-5x
 * the SameDiff graph's training and scoring speed, 0.8x and 1.0x PyTorch's on the same 2 cores.
 *
 * <p>Equality with the SameDiff graph (reconstructions, losses and all gradients to 1e-5) is tested in
 * {@code cae.DirectEngineTest}. The public types are internal support for the model packages, not API.
 */
package io.github.deepc.anomaly.models.conv;
