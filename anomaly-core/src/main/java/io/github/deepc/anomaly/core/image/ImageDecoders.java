package io.github.deepc.anomaly.core.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the preferred {@link ImageDecoder} on the class path and decodes files with it. */
public final class ImageDecoders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoders.class);
    private static volatile ImageDecoder preferred;

    private ImageDecoders() {
    }

    /** @return the available decoder with the highest priority (the ImageIO fallback at worst) */
    public static ImageDecoder preferred() {
        ImageDecoder d = preferred;
        if (d == null) {
            synchronized (ImageDecoders.class) {
                if (preferred == null) {
                    preferred = discover();
                }
                d = preferred;
            }
        }
        return d;
    }

    private static ImageDecoder discover() {
        ImageDecoder best = new ImageIoDecoder();
        var it = ServiceLoader.load(ImageDecoder.class, ImageDecoders.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ImageDecoder d = it.next();
                if (Comparator.comparingInt(ImageDecoder::priority).compare(d, best) > 0) {
                    best = d;
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.warn("skipping an image decoder that failed to load: {}", e.toString());
            }
        }
        LOG.debug("image decoder: {}", best.name());
        return best;
    }

    /**
     * Decodes a file with the preferred decoder, refusing images above {@link ImageHeader#maxPixels()} pixels
     * before decoding them.
     *
     * @param file image file
     * @return the grey image
     * @throws IOException when the file cannot be read; the message names the file
     */
    public static GrayImage decode(Path file) throws IOException {
        return decode(file, ImageHeader.maxPixels());
    }

    /**
     * Decodes a file with the preferred decoder after checking its header against a pixel limit.
     *
     * @param file      image file
     * @param maxPixels the largest width x height accepted; larger images are refused before any pixel is decoded
     * @return the grey image
     * @throws IOException when the file cannot be read or is too large; the message names the file
     */
    public static GrayImage decode(Path file, long maxPixels) throws IOException {
        if (java.nio.file.Files.isRegularFile(file)) {
            ImageHeader.requireAtMost(file, maxPixels);
        }
        return preferred().decode(file);
    }
}
