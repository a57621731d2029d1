/**
 * The checksummed, versioned binary framing of the saved states of the latent-space scorers and of the NMF,
 * raw-pixel and deep one-class models ({@link io.github.deepc.anomaly.models.state.StateFormat}).
 */
package io.github.deepc.anomaly.models.state;
