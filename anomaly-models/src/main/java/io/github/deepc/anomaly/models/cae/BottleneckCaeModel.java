package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;

/**
 * A convolutional autoencoder with a dense bottleneck, trained with a masked MSE on normal images: the encoder's
 * output is flattened and mapped linearly to a {@code latent}-sized code, which a dense layer with ReLU expands back
 * for the decoder (see {@code CaeGraph}). The narrow code keeps the network from learning the identity, so that, like
 * a non-linear PCA, it reconstructs what normal images share and misses what is unusual. Outputs the reconstruction
 * and the code ({@link io.github.deepc.anomaly.core.model.OutputKind#LATENT}).
 *
 * <p>The dense layers' size depends on the input size ({@code C * H/2^depth * W/2^depth} values at the encoder's
 * end); see {@link #parameterCount(int, int)}. Training, state and threading as in {@link CaeModel}.
 */
public final class BottleneckCaeModel extends ConvAutoencoder {
    /** "BAE" + 0x1A, the first four bytes of a saved state. */
    static final int MAGIC = 0x4241451A;
    /** Version of the saved-state format: {@link ConvAutoencoder#STORE_FORMAT_VERSION}. */
    static final int FORMAT_VERSION = ConvAutoencoder.STORE_FORMAT_VERSION;

    /**
     * @param layout   encoder and decoder
     * @param latent   code size, at least 1
     * @param training training options
     * @throws IllegalArgumentException for a latent size below 1
     */
    public BottleneckCaeModel(ConvLayout layout, int latent, TrainingOptions training) {
        super(AutoencoderSpec.dense(layout, latent), training, "bottleneck CAE", MAGIC);
    }

    /** @return the code size */
    public int latent() {
        return spec().latent();
    }

    @Override
    String descriptor() {
        return spec().describe();
    }

    @Override
    String describeParameters() {
        return spec().describe();
    }
}
