package io.github.deepc.anomaly.models.conv;

/** The per-pixel reconstruction error of a {@link DirectAutoencoder}, averaged over each image's valid pixels. */
public enum ReconstructionLoss {
    /** {@code (out - x)^2}. */
    MSE,
    /**
     * Binary cross-entropy of a sigmoid output, computed stably from its pre-activation {@code l}:
     * {@code max(l, 0) - x l + log(1 + exp(-|l|))}; needs a sigmoid last stage.
     */
    BCE
}
