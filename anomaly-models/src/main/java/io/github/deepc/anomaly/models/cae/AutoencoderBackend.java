package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.DirectAutoencoder;

/**
 * What computes an autoencoder's passes from the weights of its {@link io.github.deepc.anomaly.models.net.ParameterStore}:
 * the direct engine ({@link DirectBackend}, production) or SameDiff ({@link SameDiffBackend}, the reference). Holds
 * native memory until {@link #close()}. Not thread-safe.
 */
interface AutoencoderBackend extends AutoCloseable {
    /** @return the most images per call */
    int maxImages();

    /**
     * @param pixels {@code n x height x width} images
     * @param n      images, 1 to {@link #maxImages()}
     * @return reconstructions, codes and KL divergences (a variational code decodes its mean)
     */
    DirectAutoencoder.Outputs infer(float[] pixels, int n);

    /**
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks
     * @param noise  standard normal noise, {@code n x latent}, for a variational code; else ignored
     * @param n      images, 1 to {@link #maxImages()}
     * @return the batch's training loss, without updating anything
     */
    double loss(float[] pixels, float[] masks, float[] noise, int n);

    /** Makes the store hold the backend's current weights (a no-op where the backend computes on the store). */
    void syncToStore();

    /** Makes the backend compute with the store's values after they were changed from outside. */
    void parametersChanged();

    @Override
    void close();
}
