package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An {@link ImageDecoder} on OpenCV's {@code imread}: 8- and 16-bit PNG, JPEG, TIFF (8, 16 and 32-bit float),
 * BMP, PGM/PPM and the other formats OpenCV was built with. The format is recognised from the file's content, not
 * its name.
 *
 * <p>Files are read with {@code IMREAD_ANYDEPTH | IMREAD_GRAYSCALE}: colour images are converted to grey by
 * OpenCV (ITU-R BT.601 weights), and values keep the file's native range (0..255 for 8-bit, 0..65535 for
 * 16-bit). Every pixel of the result is valid.
 *
 * <p>Provided by {@link OpenCvDecoderProvider} (id {@code opencv}, priority 100, above the core's
 * {@code javax.imageio} decoder), so it is the one {@link io.github.deepc.anomaly.core.imageio.ImageDecoders} picks
 * for every file that is not claimed by a more specific decoder (DICOM) whenever this module is on the class path
 * and its native libraries load. The native libraries are loaded when the decoder is created, so a platform without
 * them fails at discovery (where the fallback decoder takes over) rather than at the first file. Thread-safe;
 * native memory is released before {@link #decode(Path)} returns.
 */
public final class OpenCvImageDecoder implements ImageDecoder {
    /** The priority of its {@link OpenCvDecoderProvider}: above the core's {@code imageio} decoder's 0. */
    public static final int PRIORITY = 100;
    /** The decoder's {@link #name()}. */
    public static final String NAME = "opencv";

    /**
     * Creates the decoder and loads OpenCV's native libraries.
     *
     * @throws UnsatisfiedLinkError when the native libraries are not available for this platform
     */
    public OpenCvImageDecoder() {
        Loader.load(opencv_imgcodecs.class);
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage decode(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            // before imread, which would log a warning of its own for a missing file
            diagnose(file);
        }
        try (PointerScope scope = Mats.scope()) {
            // one file system call on the usual path; the others only when imread finds nothing
            Mat raw = imread(file.toAbsolutePath().toString(), IMREAD_ANYDEPTH | IMREAD_GRAYSCALE);
            if (raw == null || raw.empty()) {
                diagnose(file);
                throw new IOException("cannot decode image file " + file
                        + ": corrupt, truncated or not an image format OpenCV reads (PNG, JPEG, TIFF, BMP, PGM, ...)");
            }
            if (raw.channels() != 1) {
                throw new IOException("cannot decode image file " + file + ": OpenCV returned "
                        + raw.channels() + " channels instead of one grey channel");
            }
            if (raw.total() > Integer.MAX_VALUE) {
                throw new IOException("image file " + file + " is too large: " + raw.cols() + "x" + raw.rows());
            }
            Mat values;
            if (raw.depth() == CV_32F) {
                values = raw;
            } else {
                values = new Mat();
                raw.convertTo(values, CV_32F);
                raw.close();
            }
            return Mats.image(values, null);
        } catch (RuntimeException e) {
            // cv::Exception from OpenCV arrives as a RuntimeException
            diagnose(file);
            throw new IOException("cannot decode image file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Throws the precise reason when the file is missing, not a regular file, unreadable or empty. */
    private static void diagnose(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("image file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("not an image file (a directory or special file): " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IOException("image file is not readable (permission denied): " + file);
        }
        if (Files.size(file) == 0) {
            throw new IOException("image file is empty (0 bytes): " + file);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "OpenCvImageDecoder[" + NAME + ", priority " + PRIORITY + "]";
    }
}
