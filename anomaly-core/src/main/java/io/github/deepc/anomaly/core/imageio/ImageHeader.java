package io.github.deepc.anomaly.core.imageio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image file's dimensions from its header, without decoding the pixels, so that an image too large to
 * decode (a decompression bomb: a few hundred KB of PNG can declare 24,000 x 24,000 pixels) is refused before any
 * pixel memory is allocated. Uses the JDK's {@code javax.imageio} readers, which parse only the header for
 * {@code getWidth}/{@code getHeight} (PNG, JPEG, TIFF, BMP, GIF).
 */
public final class ImageHeader {
    /** The default largest image, in pixels: 100 megapixels, above any radiograph (a 43 x 43 cm detector at
     * 100 µm is about 18.5 megapixels). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** The system property that overrides {@link #DEFAULT_MAX_PIXELS} (a positive whole number of pixels). */
    public static final String MAX_PIXELS_PROPERTY = "anomaly.image.maxPixels";

    private ImageHeader() {
    }

    /**
     * @return the pixel limit: the system property {@value #MAX_PIXELS_PROPERTY} when set, else
     *         {@link #DEFAULT_MAX_PIXELS}
     * @throws IllegalArgumentException naming the property when it is set but not a positive whole number
     */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + MAX_PIXELS_PROPERTY
                + " must be a positive whole number of pixels, got '" + v + "'");
    }

    /**
     * @param file an image file
     * @return its width and height when a header reader recognises the format, else empty (the decoder decides)
     * @throws IOException when the file cannot be opened
     */
    public static Optional<int[]> dimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new int[] {reader.getWidth(0), reader.getHeight(0)});
            } catch (IOException | RuntimeException e) {
                // a header the JDK cannot parse: leave the verdict to the decoder, which names the problem
                return Optional.empty();
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * @param file      an image file
     * @param maxPixels the largest accepted width x height
     * @throws IOException naming the file, its size and the limit when the header declares more pixels
     */
    public static void requireAtMost(Path file, long maxPixels) throws IOException {
        Optional<int[]> d = dimensions(file);
        if (d.isPresent()) {
            long pixels = (long) d.get()[0] * d.get()[1];
            if (pixels > maxPixels) {
                throw new IOException(String.format(Locale.ROOT, "image file %s declares %d x %d = %.1f megapixels,"
                        + " above the limit of %.1f megapixels (refused before decoding; raise it with -D%s=N)",
                        file, d.get()[0], d.get()[1], pixels / 1e6, maxPixels / 1e6, MAX_PIXELS_PROPERTY));
            }
        }
    }
}
