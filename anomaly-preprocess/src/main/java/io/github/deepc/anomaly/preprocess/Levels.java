package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.calcHist;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Helpers for the stages that work on a quantised view of the valid pixels' range (histograms, look-up tables,
 * CLAHE, 8-bit median): the valid range, the scaling of a {@code CV_32F} Mat to {@code CV_8U} or {@code CV_16U}
 * levels, 256-bin histograms over a mask and their medians. All pixel work is done by native OpenCV calls; the
 * Mats returned belong to the caller's {@link org.bytedeco.javacpp.PointerScope}. Stateless and thread-safe.
 */
final class Levels {
    /** Number of levels of an 8-bit view. */
    static final int LEVELS_8 = 256;
    /** Number of levels of a 16-bit view. */
    static final int LEVELS_16 = 65536;

    private Levels() {
    }

    /**
     * The smallest and largest value over the valid pixels ({@code cv::minMaxLoc} with the mask; NaN pixels do
     * not take part).
     *
     * @param pixels single-channel {@code CV_32F}
     * @param mask   {@code CV_8U} mask (non-zero = valid), or an empty Mat for "all valid"
     * @param count  the number of valid pixels (0 gives {@code null} without looking at the pixels)
     * @param stage  the stage id, for the error message
     * @return {@code {min, max}}, or {@code null} when no pixel is valid (or every valid pixel is NaN)
     * @throws IllegalArgumentException naming the stage when a valid pixel is infinite
     */
    static double[] validRange(Mat pixels, Mat mask, int count, String stage) {
        if (count == 0) {
            return null;
        }
        double[] min = {0};
        double[] max = {0};
        minMaxLoc(pixels, min, max, null, null, mask);
        if (Double.isNaN(min[0]) || Double.isNaN(max[0]) || min[0] > max[0]) {
            return null;
        }
        if (!Double.isFinite(min[0]) || !Double.isFinite(max[0])) {
            throw new IllegalArgumentException(stage + ": the valid pixels contain non-finite values (min " + min[0]
                    + ", max " + max[0] + ")");
        }
        return new double[] {min[0], max[0]};
    }

    /**
     * Maps {@code [lo, hi]} linearly onto the levels {@code 0 .. levels - 1}, rounding and saturating (values
     * outside the range, such as invalid pixels, clip to the ends; NaN becomes 0).
     *
     * @param pixels single-channel {@code CV_32F}
     * @param lo     the value that becomes level 0
     * @param hi     the value that becomes the top level; greater than {@code lo}
     * @param levels {@link #LEVELS_8} ({@code CV_8U} result) or {@link #LEVELS_16} ({@code CV_16U} result)
     * @return a new Mat of the levels
     */
    static Mat quantise(Mat pixels, double lo, double hi, int levels) {
        // shift first (exact for float data: v and lo are floats of similar size), then scale: a single
        // alpha * v + beta in OpenCV's float arithmetic would lose whole levels for data far from 0 (e.g. 1e6 + x)
        Mat shifted = new Mat();
        pixels.convertTo(shifted, CV_32F, 1.0, -lo);
        Mat out = new Mat();
        shifted.convertTo(out, levels == LEVELS_16 ? CV_16U : CV_8U, (levels - 1) / (hi - lo), 0.0);
        shifted.close();
        return out;
    }

    /**
     * The 256-bin histogram of an 8-bit Mat ({@code cv::calcHist}), counting only the pixels where the mask is
     * non-zero.
     *
     * @param levels single-channel {@code CV_8U}
     * @param mask   {@code CV_8U} mask of the same size, or an empty Mat for "all pixels"
     * @return the counts of the levels 0..255
     */
    static double[] histogram(Mat levels, Mat mask) {
        Mat hist = new Mat();
        calcHist(levels, 1, new int[] {0}, mask, hist, 1, new int[] {LEVELS_8}, new float[] {0f, LEVELS_8}, true, false);
        float[] counts = new float[LEVELS_8];
        FloatBuffer buf = hist.createBuffer();
        buf.get(counts);
        hist.close();
        double[] out = new double[LEVELS_8];
        for (int i = 0; i < LEVELS_8; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    /**
     * @param hist counts per level
     * @return the total count
     */
    static double total(double[] hist) {
        double n = 0;
        for (double c : hist) {
            n += c;
        }
        return n;
    }

    /**
     * The lower median level: the smallest level at which the cumulative count reaches half the total.
     *
     * @param hist counts per level, total greater than 0
     * @return the median level, or -1 when the histogram is empty
     */
    static int median(double[] hist) {
        double total = total(hist);
        if (total <= 0) {
            return -1;
        }
        double sum = 0;
        for (int i = 0; i < hist.length; i++) {
            sum += hist[i];
            if (sum * 2 >= total) {
                return i;
            }
        }
        return hist.length - 1;
    }

    /**
     * A new single-channel {@code CV_32F} Mat holding {@code value} where {@code mask} is zero and {@code src}
     * where it is non-zero.
     *
     * @param src   single-channel {@code CV_32F}
     * @param mask  {@code CV_8U} mask of the same size
     * @param value the value of the masked-out pixels
     * @return the combined Mat
     */
    static Mat fillInvalid(Mat src, Mat mask, double value) {
        Mat out = new Mat(src.rows(), src.cols(), CV_32F, new Scalar(value));
        src.copyTo(out, mask);
        return out;
    }
}
