package io.github.deepc.anomaly.core.imageio;

import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import java.io.IOException;
import java.nio.file.Path;

/** Test access to {@link ImageDecoders}' package-private checks. */
public final class ImageDecodersAccess {
    private ImageDecodersAccess() {
    }

    /**
     * @param file an image file
     * @return {@link ImageDecoders#truncatedJpeg(Path)}
     * @throws IOException when it cannot be read
     */
    public static boolean truncatedJpeg(Path file) throws IOException {
        return ImageDecoders.truncatedJpeg(file);
    }
}
