/**
 * The library's own convolution engine for stride-2 convolutional autoencoders with an optional dense or variational
 * bottleneck ({@link io.github.deepc.anomaly.models.conv.DirectAutoencoder}), which the {@code cae},
 * {@code bottleneck-cae} and {@code vae} models train and infer with by default; the bias-free feature networks of
 * {@code deep-svdd} and {@code deep-one-class} ({@link io.github.deepc.anomaly.models.conv.DirectFeatureNetwork}) and
 * the {@code defect-localizer}'s encoder ({@link io.github.deepc.anomaly.models.conv.DirectLocalizer}) share its
 * stages and its Adam step.
 *
 * <p>Why it exists: ND4J 1.0.0-M2.1's {@code conv2d}/{@code deconv2d} spend most of their time moving data
 * ({@code im2col}/{@code col2im} into a layout that is then permuted and copied again) rather than multiplying, and
 * the reference CAE trained at 0.15-0.19x of PyTorch's speed on 2 cores. Here every stage's forward and backward pass
 * is one column gather or scatter in a batch-folded, channel-major layout ({@code [channel][image][row][column]}, so a
 * convolution over the whole batch is a single matrix product with no permutation) plus one BLAS {@code sgemm}
 * (oneDNN's or OpenBLAS's, called directly: {@link io.github.deepc.anomaly.models.conv.Gemm}), and each dense layer
 * one product; activations, the masked loss, the KL term and Adam are plain Java loops. Measured with
 * {@code CaeBenchmark}: 4-5x the SameDiff graph's training and scoring speed for the reference CAE; with oneDNN's
 * products and primitives 2.0-2.1x PyTorch's training and 4.1-4.2x its scoring speed on the same 2 cores.
 *
 * <p>Where oneDNN is the product library, networks built for inference only run their stages on oneDNN's convolution
 * primitives instead ({@link io.github.deepc.anomaly.models.conv.OneDnnConvolution}; the attention's softmax on
 * {@link io.github.deepc.anomaly.models.conv.OneDnnSoftmax}), and trainable convolutions on its forward and backward
 * primitives ({@link io.github.deepc.anomaly.models.conv.OneDnnTrainingConvolution}; activations forward and gradients
 * backward handed from convolution to convolution channels-last), both tested against the column path
 * ({@code conv.OneDnnConvolutionProperties}, {@code conv.OneDnnTrainingConvolutionProperties}), which stays the path
 * for transposed stages and 1x1 kernels in training and where oneDNN is not used.
 *
 * <p>{@link io.github.deepc.anomaly.models.conv.SelfAttentionLayer} (alpha-gan's SAGAN self-attention) and
 * {@link io.github.deepc.anomaly.models.conv.SpectralNormLayer} (the discriminators' spectral normalisation) compute
 * what {@code gan.SelfAttention} and {@code gan.SpectralNorm} build in SameDiff, on the same parameter layout and
 * power-iteration vectors (tested in {@code conv.SelfAttentionLayerTest} and {@code conv.SpectralNormLayerTest}).
 *
 * <p>Equality with the SameDiff graph (reconstructions, codes, KL divergences, losses and all gradients to 1e-5) is
 * tested in {@code cae.DirectEngineTest} and {@code oneclass.OneClassEngineTest}. The public types are internal
 * support for the model packages, not API.
 */
package io.github.deepc.anomaly.models.conv;
