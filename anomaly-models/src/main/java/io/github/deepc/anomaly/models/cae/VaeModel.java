package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;

/**
 * A convolutional variational autoencoder: the encoder's flattened output gives the mean {@code mu} and log-variance
 * of a diagonal Gaussian posterior over a {@code latent}-sized code, the decoder reconstructs from
 * {@code z = mu + exp(logvar / 2) * eps}, and the loss per image is the reconstruction error averaged over the valid
 * pixels ({@code bce} or {@code mse}) plus {@code beta} times the KL divergence from the standard normal prior,
 * averaged over the batch (see {@code CaeGraph}).
 *
 * <p>The noise {@code eps} is fed with the images: drawn per batch from a {@link java.util.SplittableRandom} split from
 * the training seed, so training is repeatable like the other models. At inference {@code z = mu}: the outputs are
 * the reconstruction {@code decoder(mu)}, the latent mean {@code mu} and the per-image KL divergence, all
 * deterministic.
 *
 * <p>The reconstruction term is a mean over pixels and the KL term a sum over latent dimensions, so the classic ELBO
 * (a sum over pixels) corresponds to {@code beta = 1 / pixels} (about 0.00024 at 64x64); much larger values push the
 * posterior towards the prior and blur the reconstructions. The {@code bce} loss needs pixels in [0, 1] and a
 * sigmoid output; the provider's default is {@code mse}, whose value is also a sound outlier score (see
 * {@code vae-loss}). Training, state and threading as in {@link CaeModel}.
 */
public final class VaeModel extends ConvAutoencoder {
    /** "VAE" + 0x1A, the first four bytes of a saved state. */
    static final int MAGIC = 0x5641451A;
    /** Version of the saved-state format: {@link ConvAutoencoder#STORE_FORMAT_VERSION}. */
    static final int FORMAT_VERSION = ConvAutoencoder.STORE_FORMAT_VERSION;

    /**
     * @param layout         encoder and decoder
     * @param latent         code size, at least 1
     * @param reconstruction per-pixel reconstruction error of the loss
     * @param beta           weight of the KL divergence, at least 0
     * @param training       training options
     * @throws IllegalArgumentException for a latent size below 1, a negative beta, or {@code bce} without a sigmoid
     *                                  output
     */
    public VaeModel(ConvLayout layout, int latent, PixelLoss reconstruction, double beta, TrainingOptions training) {
        super(AutoencoderSpec.variational(layout, latent, reconstruction, beta), training, "VAE", MAGIC);
    }

    /** @return the code size */
    public int latent() {
        return spec().latent();
    }

    /** @return the per-pixel reconstruction error of the loss */
    public PixelLoss reconstruction() {
        return spec().reconstruction();
    }

    /** @return the weight of the KL divergence */
    public double beta() {
        return spec().beta();
    }

    /** The saved weights do not depend on the loss, so a state loads whatever loss the model was created with. */
    @Override
    String descriptor() {
        return spec().describe();
    }

    @Override
    String describeParameters() {
        return spec().describe() + ",reconstruction=" + spec().reconstruction().word() + ",beta=" + spec().beta();
    }
}
