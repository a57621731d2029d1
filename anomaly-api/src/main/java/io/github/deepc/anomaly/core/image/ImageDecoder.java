package io.github.deepc.anomaly.core.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes an image file into a {@link GrayImage} (colour converted to grey, all pixels valid).
 *
 * <p>Decoders are plugins: a {@link io.github.deepc.anomaly.core.spi.DecoderProvider} (found with
 * {@link java.util.ServiceLoader}, with an id, a priority and a cheap "can decode" check) creates one, and
 * {@code ImageDecoders} (anomaly-core) picks per file. The core ships a {@code javax.imageio} decoder ({@code imageio});
 * {@code anomaly-preprocess} adds an OpenCV decoder with a higher priority ({@code opencv}: 16-bit PNG, TIFF) and
 * {@code anomaly-dicom} a DICOM decoder that claims DICOM files by content ({@code dicom}). Pixel values keep the
 * file's native range (0..255 for 8-bit, 0..65535 for 16-bit). Implementations must be thread-safe.
 */
public interface ImageDecoder {
    /**
     * @param file the image file
     * @return the decoded image
     * @throws IOException when the file cannot be read or decoded; the message names the file
     */
    GrayImage decode(Path file) throws IOException;

    /** @return a short name for messages and logs */
    String name();
}
