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
        // a decoder may resolve names that are not files (e.g. DICOM frames, FILE#frameN): only files are checked
        boolean regularFile = java.nio.file.Files.isRegularFile(file);
        if (regularFile) {
            ImageHeader.requireAtMost(file, maxPixels);
        }
        GrayImage image = preferred().decode(file);
        if (regularFile && truncatedJpeg(file)) {
            // decoders fill in the missing rows and only print an anonymous libjpeg warning: name the file
            LOG.warn("image file {} is a truncated JPEG (no end-of-image marker): its missing part was filled in by"
                    + " the decoder", file);
        }
        return image;
    }

    /**
     * @param file an image file
     * @return whether it starts like a JPEG but lacks the end-of-image marker ({@code FF D9}) in its last 64 bytes
     * @throws IOException when it cannot be read
     */
    static boolean truncatedJpeg(Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (size < 4 || f.readUnsignedByte() != 0xFF || f.readUnsignedByte() != 0xD8) {
                return false;
            }
            int tail = (int) Math.min(64, size - 2);
            byte[] end = new byte[tail];
            f.seek(size - tail);
            f.readFully(end);
            for (int i = 0; i + 1 < end.length; i++) {
                if ((end[i] & 0xFF) == 0xFF && (end[i + 1] & 0xFF) == 0xD9) {
                    return false;
                }
            }
            return true;
        }
    }
}
