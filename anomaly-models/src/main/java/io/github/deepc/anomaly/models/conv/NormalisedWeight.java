package io.github.deepc.anomaly.models.conv;

/**
 * A layer weight used spectrally normalised ({@link SpectralNormLayer}): the raw weight, which training updates and
 * states save, and the normalised copy that the layer's matrix products read. The copy is rewritten before every
 * forward pass (the weight, or the vectors after a power iteration, may have changed since); the layer's weight
 * gradient, computed for the normalised copy, is turned in place into the raw weight's. Not thread-safe.
 */
final class NormalisedWeight {
    final SpectralNormLayer norm;
    final float[] raw;
    final float[] used;

    /**
     * @param norm the normalisation (its matrix view matches {@code raw}'s layout)
     * @param raw  the raw weight (shared, e.g. a parameter store's array)
     */
    NormalisedWeight(SpectralNormLayer norm, float[] raw) {
        this.norm = norm;
        this.raw = raw;
        this.used = new float[raw.length];
    }

    /** Rewrites the normalised copy from the raw weight and the current vectors. */
    void refresh() {
        norm.forward(raw, used);
    }

    /** @param gradient the gradient with respect to the normalised copy, replaced by the raw weight's */
    void toRawGradient(float[] gradient) {
        norm.backward(raw, gradient, gradient);
    }

    /** One power iteration of the vectors on the raw weight. */
    void iterate() {
        norm.iterate(raw);
    }
}
