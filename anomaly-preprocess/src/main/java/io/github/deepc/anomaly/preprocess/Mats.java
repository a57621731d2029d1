package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.BooleanPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Conversions between {@link GrayImage} and OpenCV {@link Mat}s by bulk copies: pixels become a single-channel
 * {@code CV_32F} Mat, the mask a {@code CV_8U} Mat holding 255 for valid and 0 for invalid pixels.
 *
 * <p>The Mats returned here are owned by the caller, who releases them, typically by creating them inside a
 * {@link org.bytedeco.javacpp.PointerScope}. Stateless and thread-safe.
 */
final class Mats {
    /** Mask value of a valid pixel. */
    static final int VALID = 255;
    /** A block of true flags that masks are compared against. */
    private static final boolean[] ALL_TRUE = allTrue(1 << 14);

    private Mats() {
    }

    private static boolean[] allTrue(int n) {
        boolean[] t = new boolean[n];
        Arrays.fill(t, true);
        return t;
    }

    /**
     * Opens a scope that releases every native object (Mat, Size, Scalar...) created on this thread until it is
     * closed; use in try-with-resources around all OpenCV work of a call.
     *
     * @return the new innermost scope of this thread
     */
    @SuppressWarnings("unchecked") // PointerScope(Class<? extends Pointer>...) with no classes: attach everything
    static PointerScope scope() {
        return new PointerScope();
    }

    /**
     * @param image the image
     * @return a new continuous {@code CV_32F} Mat of {@code height} rows and {@code width} columns holding a copy
     *         of the pixels
     */
    static Mat pixels(GrayImage image) {
        Mat m = new Mat(image.height(), image.width(), CV_32F);
        FloatBuffer buf = m.createBuffer();
        buf.put(image.unsafePixels());
        return m;
    }

    /**
     * @param image the image
     * @return a new continuous {@code CV_8U} Mat, 255 where the image is valid and 0 elsewhere
     */
    static Mat mask(GrayImage image) {
        if (allValid(image)) {
            return new Mat(image.height(), image.width(), CV_8U, new Scalar(VALID));
        }
        // the flags go to native memory in one JNI copy (Java booleans are the bytes 0 and 1), then become 0/255
        try (BooleanPointer flags = new BooleanPointer(image.unsafeMask())) {
            Mat ones = new Mat(image.height(), image.width(), CV_8U, flags);
            Mat m = new Mat();
            ones.convertTo(m, CV_8U, VALID, 0);
            ones.close();
            return m;
        }
    }

    /**
     * @param image the image
     * @return whether every pixel is valid
     */
    static boolean allValid(GrayImage image) {
        // Arrays.mismatch is vectorised: compare against a block of true flags instead of looping per pixel
        boolean[] mask = image.unsafeMask();
        for (int from = 0; from < mask.length; from += ALL_TRUE.length) {
            int len = Math.min(ALL_TRUE.length, mask.length - from);
            if (Arrays.mismatch(mask, from, from + len, ALL_TRUE, 0, len) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies a single-channel {@code CV_32F} Mat out into a new array.
     *
     * @param m the Mat
     * @return its values, row-major
     * @throws IllegalArgumentException if the Mat is not single-channel {@code CV_32F}
     */
    static float[] floats(Mat m) {
        if (m.type() != CV_32F) {
            throw new IllegalArgumentException("expected a single-channel CV_32F Mat, got type " + m.type());
        }
        Mat c = m.isContinuous() ? m : m.clone();
        try {
            long n = c.total();
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("image too large: " + c.cols() + "x" + c.rows());
            }
            float[] out = new float[(int) n];
            FloatBuffer buf = c.createBuffer();
            buf.get(out);
            return out;
        } finally {
            if (c != m) {
                c.close();
            }
        }
    }

    /**
     * Copies a single-channel {@code CV_8U} mask Mat out as validity flags (non-zero = valid).
     *
     * @param m the Mat
     * @return the flags, row-major
     * @throws IllegalArgumentException if the Mat is not single-channel {@code CV_8U}
     */
    static boolean[] flags(Mat m) {
        if (m.type() != CV_8U) {
            throw new IllegalArgumentException("expected a single-channel CV_8U Mat, got type " + m.type());
        }
        int n = (int) m.total();
        boolean[] out = new boolean[n];
        if (n == 0) {
            return out;
        }
        if (countNonZero(m) == n) {
            Arrays.fill(out, true);
            return out;
        }
        // non-zero -> 1, then one JNI copy of the bytes 0/1 into the Java booleans
        Mat bits = new Mat();
        threshold(m, bits, 0, 1, THRESH_BINARY);
        try (BooleanPointer flags = new BooleanPointer(bits.data())) {
            flags.capacity(n).get(out, 0, n);
        } finally {
            bits.close();
        }
        return out;
    }

    /**
     * Builds an image from a pixel Mat and a mask Mat of the same size.
     *
     * @param pixels single-channel {@code CV_32F}
     * @param mask   single-channel {@code CV_8U} of the same size, or {@code null} for "all valid"
     * @return the image, owning fresh copies of the data
     * @throws IllegalArgumentException if the types or sizes do not match
     */
    static GrayImage image(Mat pixels, Mat mask) {
        int w = pixels.cols();
        int h = pixels.rows();
        if (mask != null && (mask.cols() != w || mask.rows() != h)) {
            throw new IllegalArgumentException("mask is " + mask.cols() + "x" + mask.rows() + " but pixels are " + w + "x" + h);
        }
        return GrayImage.wrap(w, h, floats(pixels), mask == null ? null : flags(mask));
    }
}
