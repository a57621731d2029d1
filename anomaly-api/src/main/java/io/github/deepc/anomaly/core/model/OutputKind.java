package io.github.deepc.anomaly.core.model;

/** The kinds of per-image output a model can produce and a scorer can read. */
public enum OutputKind {
    /** The model's reconstruction of the input, same size. */
    RECONSTRUCTION,
    /** A latent feature vector (encoder code, VAE mean, NMF coefficients...). */
    LATENT,
    /** An image discriminator's probability that the input is real (normal). */
    DISCRIMINATOR_PROBABILITY,
    /** A code discriminator's probability that the encoded input is a prior sample. */
    CODE_DISCRIMINATOR_PROBABILITY,
    /** The KL divergence of the approximate posterior from the prior (VAE). */
    KL_DIVERGENCE,
    /** A distance in feature space (e.g. to a one-class centre). */
    DISTANCE,
    /** A per-pixel anomaly map of the input's size, row-major, higher = more anomalous. */
    ANOMALY_MAP
}
