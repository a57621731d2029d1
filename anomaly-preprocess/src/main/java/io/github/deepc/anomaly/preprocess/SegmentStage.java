package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_FGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_INIT_WITH_MASK;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_BGD;
import static org.bytedeco.opencv.global.opencv_imgproc.GC_PR_FGD;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.drawContours;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.grabCut;
import static org.bytedeco.opencv.global.opencv_imgproc.medianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Stage {@code segment}: separates the body from the background; background pixels become 0 and invalid in the
 * mask, so that later stages, the model's loss and the anomaly scores ignore them.
 *
 * <p>Both methods work on an 8-bit copy (the valid pixels min-max scaled to 0..255, so 8- and 16-bit images behave
 * alike), median-filtered with a {@code blur} x {@code blur} aperture ({@code cv::medianBlur}; 1 = no filtering).
 * <ul>
 *   <li>{@link Method#OTSU}: foreground is what is brighter than Otsu's threshold computed over the valid pixels
 *   only (the histogram is masked, so padding does not shift the threshold). A radiograph has three intensity
 *   classes (background, soft tissue, bone) and a two-class Otsu split often keeps only the bone: with
 *   {@code classes} 3 (the default) the two-threshold Otsu is computed and its lower threshold separates the
 *   background from tissue and bone together; {@code classes} 2 is the classic split.</li>
 *   <li>{@link Method#GRABCUT}: {@code cv::grabCut} ({@code iterations} rounds) on a 3-channel copy, initialised
 *   from the Otsu result: pixels above the Otsu threshold are probable foreground, those below probable background,
 *   the brightest (above the middle between the threshold and 255) definite foreground, the darkest (below half the
 *   threshold) and all invalid pixels definite background. GrabCut fits its colour models with k-means, which
 *   draws from OpenCV's random generator: the stage seeds it ({@code cv::setRNGSeed}) from
 *   {@link StageContext#seed()} just before the call, so the same seed gives the same mask. OpenCV's generator
 *   ({@code cv::theRNG()}) is per thread, so seeding and the call happen on the calling thread and concurrent calls
 *   do not disturb each other; no lock is needed. When the Otsu split leaves fewer than {@value #MIN_SAMPLES}
 *   pixels on either side (GrabCut's colour models need samples of both), the Otsu result is used and noted.</li>
 * </ul>
 * With {@code fill-holes} (default), background enclosed by foreground (the lungs in a chest radiograph, gaps
 * between bones) becomes foreground: the foreground is the filled outer contours ({@code cv::findContours} with
 * {@code RETR_EXTERNAL}, {@code cv::drawContours} filled). The existing mask is respected: an invalid pixel never
 * becomes valid. Pixel values of the foreground are kept exactly.
 *
 * <p>Images without content (no valid pixel, a constant or all-black image, a 1-pixel image) have no
 * foreground/background split and are returned unchanged with a note. A median aperture larger than the image is
 * allowed (OpenCV replicates the border).
 *
 * <p>Immutable and thread-safe.
 */
public final class SegmentStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "segment";
    /** Largest accepted {@code blur}. */
    public static final int MAX_BLUR = 255;
    /** Largest accepted {@code iterations}. */
    public static final int MAX_ITERATIONS = 50;
    /** GrabCut needs at least this many pixels on each side of the Otsu split. */
    public static final int MIN_SAMPLES = 10;

    /** How the foreground is found. */
    public enum Method implements Choice {
        /** Otsu threshold over the valid pixels. */
        OTSU("otsu"),
        /** GrabCut initialised from the Otsu result. */
        GRABCUT("grabcut");

        private final String word;

        Method(String word) {
            this.word = word;
        }

        /** @return the parameter word, e.g. {@code otsu} */
        public String word() {
            return word;
        }

        /**
         * @param word a parameter word
         * @return the method it names
         * @throws IllegalArgumentException for an unknown word, listing the known ones
         */
        public static Method of(String word) {
            return Choices.parse(Method.class, ID + ".method", word);
        }
    }

    private final Method method;
    private final int classes;
    private final int blur;
    private final int iterations;
    private final boolean fillHoles;

    /**
     * The stage with three Otsu classes and holes filled.
     *
     * @param method     how the foreground is found
     * @param blur       median aperture, odd, in [1, {@value #MAX_BLUR}]; 1 = no filtering
     * @param iterations GrabCut rounds, in [1, {@value #MAX_ITERATIONS}] (ignored by Otsu)
     * @throws IllegalArgumentException naming the stage and parameter when a value is out of range
     */
    public SegmentStage(Method method, int blur, int iterations) {
        this(method, 3, blur, iterations, true);
    }

    /**
     * @param method     how the foreground is found
     * @param classes    Otsu classes, 2 or 3: with 3 the lower of the two thresholds separates the background
     *                   from tissue and bone together
     * @param blur       median aperture, odd, in [1, {@value #MAX_BLUR}]; 1 = no filtering
     * @param iterations GrabCut rounds, in [1, {@value #MAX_ITERATIONS}] (ignored by Otsu)
     * @param fillHoles  whether background enclosed by foreground (lungs in a chest, gaps between bones) becomes
     *                   foreground
     * @throws IllegalArgumentException naming the stage and parameter when a value is out of range
     */
    public SegmentStage(Method method, int classes, int blur, int iterations, boolean fillHoles) {
        if (classes != 2 && classes != 3) {
            throw new IllegalArgumentException("parameter " + ID + ".classes=" + classes + " is not valid; expected 2 or 3");
        }
        if (blur < 1 || blur > MAX_BLUR || blur % 2 == 0) {
            throw new IllegalArgumentException("parameter " + ID + ".blur=" + blur + " is not valid; expected an odd integer in [1, "
                    + MAX_BLUR + "]");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("parameter " + ID + ".iterations=" + iterations
                    + " is out of range; expected an integer in [1, " + MAX_ITERATIONS + "]");
        }
        this.method = Objects.requireNonNull(method, "method");
        this.classes = classes;
        this.blur = blur;
        this.iterations = iterations;
        this.fillHoles = fillHoles;
    }

    /** @return how the foreground is found */
    public Method method() {
        return method;
    }

    /** @return the number of Otsu classes, 2 or 3 */
    public int classes() {
        return classes;
    }

    /** @return whether enclosed background is filled */
    public boolean fillHoles() {
        return fillHoles;
    }

    /** @return the median aperture */
    public int blur() {
        return blur;
    }

    /** @return the GrabCut rounds */
    public int iterations() {
        return iterations;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            Mat u8 = Gray8.toU8(pixels, valid, ID);
            if (u8 == null) {
                context.note("no content (no valid pixel or a constant image); nothing to segment, image left unchanged");
                return image;
            }
            Mat smooth = u8;
            if (blur > 1) {
                smooth = new Mat();
                medianBlur(u8, smooth, blur);
            }
            float[] hist = Gray8.histogram(smooth, valid);
            int t = classes == 2 ? Gray8.otsu(hist) : Gray8.otsu3(hist)[0];
            Mat fg = new Mat();
            threshold(smooth, fg, t, 255, THRESH_BINARY);
            if (valid != null) {
                bitwise_and(fg, valid, fg);
            }
            if (method == Method.GRABCUT) {
                int validCount = valid == null ? w * h : countNonZero(valid);
                int nFg = countNonZero(fg);
                if (nFg < MIN_SAMPLES || validCount - nFg < MIN_SAMPLES) {
                    context.note("Otsu split leaves " + nFg + " foreground and " + (validCount - nFg)
                            + " background pixels, too few for GrabCut; used the Otsu mask");
                } else {
                    fg = grabCutForeground(smooth, valid, fg, t, context.seed());
                }
            }
            if (fillHoles) {
                MatVector contours = new MatVector();
                findContours(fg.clone(), contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
                drawContours(fg, contours, -1, new Scalar(255), FILLED, LINE_8, new Mat(), Integer.MAX_VALUE, new Point());
                if (valid != null) {
                    bitwise_and(fg, valid, fg);
                }
            }
            int kept = countNonZero(fg);
            if (kept == 0) {
                context.note("no foreground found; image left unchanged");
                return image;
            }
            Mat out = new Mat(h, w, CV_32F, new Scalar(0));
            pixels.copyTo(out, fg);
            return GrayImage.wrap(w, h, Mats.floats(out), Mats.flags(fg));
        }
    }

    /** @return the GrabCut foreground ({@code CV_8U}, 255), restricted to the valid pixels */
    private Mat grabCutForeground(Mat smooth, Mat valid, Mat otsuFg, int t, long seed) {
        int w = smooth.cols();
        int h = smooth.rows();
        // initial labels: probable background everywhere, probable foreground above Otsu, definite labels at the
        // extremes, definite background where invalid
        Mat labels = new Mat(h, w, CV_8U, new Scalar(GC_PR_BGD));
        labels.setTo(value(GC_PR_FGD), otsuFg);
        Mat sure = new Mat();
        threshold(smooth, sure, (t + 255) / 2.0, 255, THRESH_BINARY);
        labels.setTo(value(GC_FGD), sure);
        threshold(smooth, sure, t / 2.0, 255, THRESH_BINARY_INV);
        labels.setTo(value(GC_BGD), sure);
        if (valid != null) {
            Mat invalid = new Mat();
            threshold(valid, invalid, 0, 255, THRESH_BINARY_INV);
            labels.setTo(value(GC_BGD), invalid);
        }
        Mat bgr = new Mat();
        cvtColor(smooth, bgr, COLOR_GRAY2BGR);
        Mat bgdModel = new Mat(1, 65, CV_64F, new Scalar(0));
        Mat fgdModel = new Mat(1, 65, CV_64F, new Scalar(0));
        // cv::theRNG() is thread-local: seed and run on this thread
        setRNGSeed((int) (seed ^ (seed >>> 32)));
        grabCut(bgr, labels, new Rect(), bgdModel, fgdModel, iterations, GC_INIT_WITH_MASK);
        // GC_FGD = 1 and GC_PR_FGD = 3 have bit 0 set, GC_BGD = 0 and GC_PR_BGD = 2 do not
        Mat fg = new Mat();
        bitwise_and(labels, new Mat(h, w, CV_8U, new Scalar(1)), fg);
        threshold(fg, fg, 0, 255, THRESH_BINARY);
        if (valid != null) {
            bitwise_and(fg, valid, fg);
        }
        return fg;
    }

    /** @return a 1x1 {@code CV_8U} Mat, the form {@code Mat::setTo} takes a scalar in */
    private static Mat value(int v) {
        return new Mat(1, 1, CV_8U, new Scalar(v));
    }

    @Override
    public String toString() {
        return ID + "[method=" + method.word() + ", classes=" + classes + ", blur=" + blur + ", iterations=" + iterations
                + ", fill-holes=" + fillHoles + "]";
    }
}
