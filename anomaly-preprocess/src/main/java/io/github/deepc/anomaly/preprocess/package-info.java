/**
 * OpenCV (JavaCV) image decoding and radiograph preprocessing stages.
 *
 * <p>{@link io.github.deepc.anomaly.preprocess.OpenCvImageDecoder} reads 8- and 16-bit PNG, JPEG, TIFF and the
 * other formats OpenCV knows into a {@link io.github.deepc.anomaly.core.image.GrayImage}; the stages
 * {@code resize}, {@code pad} and {@code normalize} are found through
 * {@link io.github.deepc.anomaly.core.spi.StageProvider}, as are the contrast and clean-up stages {@code equalize},
 * {@code clahe}, {@code invert} and {@code median} and the training-only {@code augment}.
 * The named pipelines built from these stages ({@code Pipelines}: {@code default}, {@code recommended}, {@code chest},
 * {@code hand}, {@code none}) are in {@code anomaly-presets}; {@link io.github.deepc.anomaly.preprocess.GrayPngWriter} and
 * {@link io.github.deepc.anomaly.preprocess.ContactSheet} write what a pipeline made for a person to look at. All
 * pixel work is done on whole images by native OpenCV calls, and every native buffer is released before a call
 * returns.
 */
package io.github.deepc.anomaly.preprocess;
