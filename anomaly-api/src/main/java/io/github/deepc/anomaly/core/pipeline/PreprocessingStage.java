package io.github.deepc.anomaly.core.pipeline;

import io.github.deepc.anomaly.core.image.GrayImage;

/**
 * One step of image preparation (crop, equalise, resize, pad, normalise...).
 *
 * <p>Contract: implementations are thread-safe (a data set is preprocessed in parallel), draw any randomness only
 * from {@link StageContext#random()}, and return an image whose mask is consistent with its pixels (a crop crops
 * the mask, padding adds invalid pixels, a rotation rotates it). They never modify the input.
 */
@FunctionalInterface
public interface PreprocessingStage {
    /**
     * @param image   the input
     * @param context training flag, seed and note sink
     * @return the transformed image (possibly the input itself when nothing changes)
     * @throws IllegalArgumentException for input the stage cannot handle, naming the stage and parameter
     */
    GrayImage apply(GrayImage image, StageContext context);
}
