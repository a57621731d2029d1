/**
 * The {@code raw-pixels} pseudo-model ({@link io.github.deepc.anomaly.models.raw.RawPixelsModel}), whose latent
 * vector is the downsampled image, and the area-averaging resampler it uses
 * ({@link io.github.deepc.anomaly.models.raw.AreaResize}).
 */
package io.github.deepc.anomaly.models.raw;
