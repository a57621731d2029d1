package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.net.ParameterStore;

/**
 * The production backend: the library's own convolution engine ({@link DirectAutoencoder}) computing directly on the
 * store's arrays (shared, not copied), so that training updates the store in place.
 */
final class DirectBackend implements AutoencoderBackend {
    private final DirectAutoencoder engine;
    private final int maxImages;

    /**
     * @param spec      the network
     * @param store     its weights, laid out by {@link AutoencoderSpec#newStore} for this size
     * @param height    image height
     * @param width     image width
     * @param maxImages the most images per call
     * @param trainable whether the engine will train
     */
    DirectBackend(AutoencoderSpec spec, ParameterStore store, int height, int width, int maxImages, boolean trainable) {
        this.engine = new DirectAutoencoder(spec.stages(), spec.bottleneck(), spec.reconstruction(), height, width,
                maxImages, trainable, spec.engineParameters(store));
        this.maxImages = maxImages;
    }

    /**
     * @param spec      the network
     * @param height    image height
     * @param width     image width
     * @param trainable whether the engine will train
     * @return the Java heap bytes one image takes in an engine's working matrices (the same again is native)
     */
    static long heapBytesPerImage(AutoencoderSpec spec, int height, int width, boolean trainable) {
        return Float.BYTES * DirectAutoencoder.floatsPerImage(spec.stages(), spec.bottleneck(), height, width,
                trainable);
    }

    /** @return the engine, for training steps */
    DirectAutoencoder engine() {
        return engine;
    }

    @Override
    public int maxImages() {
        return maxImages;
    }

    @Override
    public DirectAutoencoder.Outputs infer(float[] pixels, int n) {
        return engine.infer(pixels, n);
    }

    @Override
    public double loss(float[] pixels, float[] masks, float[] noise, int n) {
        return engine.loss(pixels, masks, noise, n);
    }

    /** The engine computes on the store's arrays: nothing to copy. */
    @Override
    public void syncToStore() {
    }

    @Override
    public void parametersChanged() {
        engine.parametersChanged();
    }

    @Override
    public void close() {
        engine.close();
    }
}
