/**
 * OpenCV (JavaCV) image decoding and radiograph preprocessing stages.
 *
 * <p>{@link io.github.deepc.anomaly.preprocess.OpenCvImageDecoder} reads 8- and 16-bit PNG, JPEG, TIFF and the
 * other formats OpenCV knows into a {@link io.github.deepc.anomaly.core.image.GrayImage}; the stages
 * {@code resize}, {@code pad} and {@code normalize} are found through
 * {@link io.github.deepc.anomaly.core.spi.StageProvider}. All pixel work is done on whole images by native OpenCV
 * calls, and every native buffer is released before a call returns.
 */
package io.github.deepc.anomaly.preprocess;
