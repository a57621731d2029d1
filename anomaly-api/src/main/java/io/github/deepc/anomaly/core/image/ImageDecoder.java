package io.github.deepc.anomaly.core.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes an image file into a {@link GrayImage} (colour converted to grey, all pixels valid).
 *
 * <p>Service interface: implementations are found with {@link java.util.ServiceLoader}; the one with the
 * highest {@link #priority()} wins (see {@code ImageDecoders} of anomaly-core). The core ships a {@code javax.imageio}
 * decoder; {@code anomaly-preprocess} adds an OpenCV decoder with a higher priority (16-bit PNG, TIFF).
 * Pixel values keep the file's native range (0..255 for 8-bit, 0..65535 for 16-bit).
 */
public interface ImageDecoder {
    /**
     * @param file the image file
     * @return the decoded image
     * @throws IOException when the file cannot be read or decoded; the message names the file
     */
    GrayImage decode(Path file) throws IOException;

    /** @return preference among available decoders; higher wins */
    int priority();

    /** @return a short name for messages and logs */
    String name();
}
