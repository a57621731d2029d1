package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.patchNaNs;
import static org.bytedeco.opencv.global.opencv_imgproc.calcHist;

import io.github.deepc.anomaly.core.image.GrayImage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * 8-bit working copies for the detection stages ({@code square-crop}, {@code body-part-crop},
 * {@code marker-removal}, {@code segment}): thresholds, contours, Canny and connected components need
 * {@code CV_8U} input, while a {@link GrayImage} may hold any float range (0..255, 0..65535, 0..1...). The valid
 * pixels are min-max scaled to 0..255, so 8- and 16-bit radiographs behave alike; invalid pixels become 0.
 *
 * <p>Also the two region helpers those stages share: a masked Otsu threshold and a crop that crops the mask.
 * Everything here is called inside the caller's {@link org.bytedeco.javacpp.PointerScope}. Stateless and
 * thread-safe.
 */
final class Gray8 {
    private Gray8() {
    }

    /**
     * Smallest and largest value over the valid pixels, NaN ignored.
     *
     * @param pixels single-channel {@code CV_32F}
     * @param valid  {@code CV_8U} mask (non-zero = valid), or {@code null} for "all valid"
     * @param stage  stage id, for the error message
     * @return {@code {min, max}}, or {@code null} when no pixel is valid or every valid pixel is NaN
     * @throws IllegalArgumentException naming the stage when a valid pixel is infinite
     */
    static double[] validRange(Mat pixels, Mat valid, String stage) {
        if (valid != null && countNonZero(valid) == 0) {
            return null;
        }
        double[] min = {Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY};
        minMaxLoc(pixels, min, max, null, null, valid == null ? new Mat() : valid);
        if (Double.isInfinite(min[0]) && Double.isInfinite(max[0]) && min[0] > max[0]) {
            return null; // only NaN
        }
        if (!Double.isFinite(min[0]) || !Double.isFinite(max[0])) {
            throw new IllegalArgumentException(stage + ": the valid pixels contain non-finite values (min " + min[0]
                    + ", max " + max[0] + ")");
        }
        return new double[] {min[0], max[0]};
    }

    /**
     * Min-max scales the valid pixels to a new {@code CV_8U} Mat: the valid minimum becomes 0, the maximum 255;
     * invalid and NaN pixels become 0.
     *
     * @param pixels single-channel {@code CV_32F}; not modified
     * @param valid  {@code CV_8U} mask, or {@code null} for "all valid"
     * @param stage  stage id, for the error message
     * @return the 8-bit image, or {@code null} when there is nothing to see: no valid pixel, or all valid pixels
     *         equal (a constant or all-black image)
     * @throws IllegalArgumentException naming the stage when a valid pixel is infinite
     */
    static Mat toU8(Mat pixels, Mat valid, String stage) {
        double[] range = validRange(pixels, valid, stage);
        if (range == null || !(range[1] > range[0])) {
            return null;
        }
        Mat clean = pixels.clone();
        patchNaNs(clean, range[0]);
        double alpha = 255.0 / (range[1] - range[0]);
        Mat u8 = new Mat();
        // shift in double precision first, like normalize, so that 65535-range images do not lose the minimum
        Mat shifted = new Mat();
        clean.convertTo(shifted, CV_64F, 1.0, -range[0]);
        shifted.convertTo(u8, CV_8U, alpha, 0.0);
        if (valid != null) {
            Mat out = new Mat(u8.rows(), u8.cols(), CV_8U, new Scalar(0));
            u8.copyTo(out, valid);
            return out;
        }
        return u8;
    }

    /**
     * Otsu's threshold over the masked pixels of an 8-bit image: the level {@code t} that best separates
     * {@code <= t} from {@code > t} (between-class variance, as {@code cv::threshold(THRESH_OTSU)}, which has no
     * mask). The histogram is computed natively; only its 256 bins are scanned here.
     *
     * @param u8    single-channel {@code CV_8U}
     * @param valid mask, or {@code null} for all pixels
     * @return the threshold in [0, 255]; 0 when the pixels do not have two distinct values
     */
    static int otsu(Mat u8, Mat valid) {
        return otsu(histogram(u8, valid));
    }

    /**
     * The 256-bin histogram of the masked pixels of an 8-bit image, computed natively ({@code cv::calcHist}).
     *
     * @param u8    single-channel {@code CV_8U}
     * @param valid mask, or {@code null} for all pixels
     * @return the bin counts
     */
    static float[] histogram(Mat u8, Mat valid) {
        Mat hist = new Mat();
        calcHist(u8, 1, new int[] {0}, valid == null ? new Mat() : valid, hist, 1, new int[] {256},
                new float[] {0f, 256f});
        Mat h32 = hist.type() == CV_32F ? hist : new Mat();
        if (h32 != hist) {
            hist.convertTo(h32, CV_32F);
        }
        return Mats.floats(h32);
    }

    /**
     * Two-threshold Otsu over a histogram (three classes).
     *
     * @param hist bin counts
     * @return {@code {t0, t1}}: classes {@code <= t0}, {@code (t0, t1]}, {@code > t1}; when fewer than three bins
     *         are occupied, both are the two-class threshold
     */
    static int[] otsu3(float[] hist) {
        int n = hist.length;
        double[] p = new double[n + 1];
        double[] s = new double[n + 1];
        for (int i = 0; i < n; i++) {
            p[i + 1] = p[i] + hist[i];
            s[i + 1] = s[i] + (double) i * hist[i];
        }
        double best = -1;
        int[] bt = {0, 0};
        for (int a = 0; a < n - 2; a++) {
            double w0 = p[a + 1];
            if (w0 <= 0) {
                continue;
            }
            double m0 = s[a + 1] / w0;
            for (int b = a + 1; b < n - 1; b++) {
                double w1 = p[b + 1] - p[a + 1];
                double w2 = p[n] - p[b + 1];
                if (w1 <= 0 || w2 <= 0) {
                    continue;
                }
                double m1 = (s[b + 1] - s[a + 1]) / w1;
                double m2 = (s[n] - s[b + 1]) / w2;
                double v = w0 * m0 * m0 + w1 * m1 * m1 + w2 * m2 * m2;
                if (v > best) {
                    best = v;
                    bt[0] = a;
                    bt[1] = b;
                }
            }
        }
        if (best < 0) {
            int t = otsu(hist);
            return new int[] {t, t};
        }
        return bt;
    }

    /**
     * Otsu's threshold of a histogram.
     *
     * @param hist bin counts
     * @return the level {@code t} maximising the between-class variance of {@code <= t} against {@code > t}
     */
    static int otsu(float[] hist) {
        double total = 0;
        double sum = 0;
        for (int i = 0; i < hist.length; i++) {
            total += hist[i];
            sum += (double) i * hist[i];
        }
        double w0 = 0;
        double sum0 = 0;
        double best = -1;
        int bestT = 0;
        for (int t = 0; t < hist.length - 1; t++) {
            w0 += hist[t];
            sum0 += (double) t * hist[t];
            double w1 = total - w0;
            if (w0 <= 0 || w1 <= 0) {
                continue;
            }
            double m0 = sum0 / w0;
            double m1 = (sum - sum0) / w1;
            double between = w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                bestT = t;
            }
        }
        return bestT;
    }

    /**
     * Crops the pixels and the mask of an image to a rectangle, optionally invalidating more pixels.
     *
     * @param image     the image
     * @param pixels    its pixel Mat ({@link Mats#pixels})
     * @param region    the rectangle, inside the image
     * @param extraMask a {@code CV_8U} mask of the rectangle's size whose zero pixels become invalid too, or
     *                  {@code null}
     * @return the cropped image (new arrays)
     */
    static GrayImage crop(GrayImage image, Mat pixels, CropRegion region, Mat extraMask) {
        Rect r = new Rect(region.x(), region.y(), region.width(), region.height());
        Mat roi = new Mat(pixels, r);
        boolean full = Mats.allValid(image);
        if (full && extraMask == null) {
            return Mats.image(roi, null);
        }
        Mat mask = full ? new Mat(region.height(), region.width(), CV_8U, new Scalar(Mats.VALID))
                : new Mat(Mats.mask(image), r).clone();
        if (extraMask != null) {
            bitwise_and(mask, extraMask, mask);
        }
        return Mats.image(roi, mask);
    }
}
