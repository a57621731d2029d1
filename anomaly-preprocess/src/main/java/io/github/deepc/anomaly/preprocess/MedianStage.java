package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.NORM_INF;
import static org.bytedeco.opencv.global.opencv_core.norm;
import static org.bytedeco.opencv.global.opencv_imgproc.medianBlur;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Stage {@code median}: median filter over a {@code kernel} x {@code kernel} square ({@code cv::medianBlur}), which
 * removes salt-and-pepper noise and isolated hot or dead pixels while keeping edges.
 *
 * <p>Precision: {@code cv::medianBlur} filters float images only with kernels 3 and 5. With those the filter runs
 * on the float pixels and is exact for any range (8-bit, 16-bit, float). Larger kernels (7..15) need 8-bit input:
 * when every valid pixel is an integer in [0, 255] (8-bit images) they are filtered as 8-bit values, exactly;
 * otherwise (16-bit, float or normalised images) the valid range is mapped onto 256 levels, filtered and mapped
 * back, so the result has 256 grey levels between the valid minimum and maximum, and the stage notes it.
 *
 * <p>Borders are replicated, so images smaller than the kernel, down to 1 pixel, are filtered too; a constant image
 * stays constant. Invalid pixels take part in their valid neighbours' medians (OpenCV's filter has no mask: put
 * {@code median} before stages that add invalid padding) but keep their own values; the mask is unchanged. An
 * image without valid pixels is returned unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class MedianStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "median";
    /** Smallest accepted {@code kernel}. */
    public static final int MIN_KERNEL = 3;
    /** Largest accepted {@code kernel}. */
    public static final int MAX_KERNEL = 15;
    /** Largest kernel {@code cv::medianBlur} applies to float images. */
    public static final int MAX_FLOAT_KERNEL = 5;

    private final int kernel;

    /**
     * @param kernel side of the square neighbourhood: odd, in [{@value #MIN_KERNEL}, {@value #MAX_KERNEL}]
     * @throws IllegalArgumentException if the kernel is even or out of range
     */
    public MedianStage(int kernel) {
        if (kernel < MIN_KERNEL || kernel > MAX_KERNEL || kernel % 2 == 0) {
            throw new IllegalArgumentException("parameter " + ID + ".kernel=" + kernel + " is not valid; expected an odd integer in ["
                    + MIN_KERNEL + ", " + MAX_KERNEL + "]");
        }
        this.kernel = kernel;
    }

    /** @return the side of the square neighbourhood */
    public int kernel() {
        return kernel;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        boolean full = Mats.allValid(image);
        int count = full ? image.size() : image.validCount();
        if (count == 0) {
            return image;
        }
        try (PointerScope scope = Mats.scope()) {
            Mat src = Mats.pixels(image);
            Mat validMask = full ? new Mat() : Mats.mask(image);
            Mat filtered = new Mat();
            if (kernel <= MAX_FLOAT_KERNEL) {
                medianBlur(src, filtered, kernel);
            } else {
                double[] range = Levels.validRange(src, validMask, count, ID);
                if (range == null || !(range[1] > range[0])) {
                    return image;
                }
                Mat levels = null;
                double lo = 0;
                double step = 1;
                if (range[0] >= 0 && range[1] <= 255) {
                    // 8-bit values: filter them as they are when every valid pixel is an integer
                    Mat bytes = new Mat();
                    src.convertTo(bytes, CV_8U);
                    Mat back = new Mat();
                    bytes.convertTo(back, CV_32F);
                    if (norm(src, back, NORM_INF, validMask) == 0) {
                        levels = bytes;
                    }
                }
                if (levels == null) {
                    levels = Levels.quantise(src, range[0], range[1], Levels.LEVELS_8);
                    lo = range[0];
                    step = (range[1] - range[0]) / 255.0;
                    context.note("kernel " + kernel + " > " + MAX_FLOAT_KERNEL + " on values that are not 8-bit: filtered on 256 levels of ["
                            + (float) range[0] + ", " + (float) range[1] + "]");
                }
                Mat blurred = new Mat();
                medianBlur(levels, blurred, kernel);
                blurred.convertTo(filtered, CV_32F, step, lo);
            }
            if (full) {
                return GrayImage.wrap(w, h, Mats.floats(filtered), null);
            }
            filtered.copyTo(src, validMask);
            return GrayImage.wrap(w, h, Mats.floats(src), image.mask());
        }
    }

    @Override
    public String toString() {
        return ID + "[kernel=" + kernel + "]";
    }
}
