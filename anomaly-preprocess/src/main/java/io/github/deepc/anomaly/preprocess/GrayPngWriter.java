package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Writes {@link GrayImage}s as 8-bit grey PNG files, encoded by OpenCV's {@code imencode} and written atomically,
 * for looking at what a pipeline produced.
 *
 * <p>The valid pixels' range {@code [min, max]} is scaled linearly onto 0..255 (rounded); invalid pixels are written
 * as 0 (black), so the mask itself is not stored. An image without valid pixels, or whose valid pixels are all
 * equal, is written all black. Stateless and thread-safe; native memory is released before a call returns.
 */
public final class GrayPngWriter {
    private GrayPngWriter() {
    }

    /**
     * Writes an image as an 8-bit grey PNG, creating the parent folders.
     *
     * @param image the image
     * @param file  the PNG file to write (replaced when it exists)
     * @throws IOException when the file cannot be written; the message names it
     */
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public static void writePng(GrayImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        byte[] png;
        try (PointerScope scope = Mats.scope()) {
            Mat grey = grey8(image);
            boolean ok;
            BytePointer encoded = new BytePointer();
            try {
                ok = imencode(".png", grey, encoded);
            } catch (RuntimeException e) {
                throw new IOException("cannot write PNG file " + file + ": " + e.getMessage(), e);
            }
            if (!ok) {
                throw new IOException("cannot write PNG file " + file + " (OpenCV imencode failed)");
            }
            png = new byte[(int) encoded.limit()];
            encoded.get(png);
        }
        // encoded in memory, then written all or nothing (imwrite would leave a cut file behind a failure)
        AtomicFiles.write(file, png);
    }

    /**
     * The 8-bit grey view of an image: valid range scaled onto 0..255, invalid pixels 0. The Mat belongs to the
     * caller's {@link PointerScope}.
     *
     * @param image the image
     * @return a {@code CV_8U} Mat of the image's size
     */
    static Mat grey8(GrayImage image) {
        boolean full = Mats.allValid(image);
        int count = full ? image.size() : image.validCount();
        Mat src = Mats.pixels(image);
        Mat valid = full ? new Mat() : Mats.mask(image);
        double[] range = Levels.validRange(src, valid, count, "png");
        if (range == null || !(range[1] > range[0])) {
            return new Mat(image.height(), image.width(), CV_8U, new Scalar(0));
        }
        Mat levels = Levels.quantise(src, range[0], range[1], Levels.LEVELS_8);
        if (full) {
            return levels;
        }
        Mat out = new Mat(image.height(), image.width(), CV_8U, new Scalar(0));
        levels.copyTo(out, valid);
        return out;
    }
}
