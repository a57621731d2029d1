package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_TOPHAT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_photo.INPAINT_NS;
import static org.bytedeco.opencv.global.opencv_photo.INPAINT_TELEA;
import static org.bytedeco.opencv.global.opencv_photo.inpaint;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.nio.IntBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Stage {@code marker-removal}: finds burnt-in writing and side markers (the "R"/"L" letters, text labels, drawn
 * rings) and paints them out with {@code cv::inpaint}.
 *
 * <p>Markers are small, bright, compact and lie on background. Detection works on an 8-bit copy (valid pixels
 * min-max scaled to 0..255, invalid pixels 0):
 * <ol>
 *   <li>a white top-hat ({@code cv::morphologyEx(MORPH_TOPHAT)}) with a square kernel of {@code kernel}
 *   pixels (0: {@value #AUTO_KERNEL} of the longest side) keeps what is brighter than its surroundings and narrower
 *   than the kernel; a pixel is a candidate when its top-hat is at least {@code contrast} (0..255 scale) and its
 *   level at least {@code min-level} of the range;</li>
 *   <li>candidates are grouped into 8-connected components ({@code cv::connectedComponentsWithStats}); a component
 *   is a marker when it has at least {@value #MIN_PIXELS} pixels, covers at most {@code max-area} of the image,
 *   its bounding box is at most {@code max-size} of the longest side and at most {@code max-aspect} times longer
 *   than wide, and the {@value #RING}-pixel ring around it has a mean level of at most {@code max-background} of
 *   the range (a letter on background passes; a bright rim of tissue, a rib or a bone edge has tissue beside
 *   it).</li>
 * </ol>
 * The markers, widened by {@code dilate} pixels to take their blurred rims, are inpainted on the float pixels
 * ({@code INPAINT_TELEA} or {@code INPAINT_NS}, {@code method}, neighbourhood {@code radius}), so the image keeps
 * its range (8-bit, 16-bit or normalised); only those pixels change, and only valid ones. The mask is unchanged.
 * The defaults are deliberately conservative: removing a piece of bone would hide what anomaly detection looks
 * for, so writing on tissue (rather than on background) is left alone.
 *
 * <p>Images without content (no valid pixel, constant, all black) and images in which nothing qualifies are
 * returned unchanged; otherwise the stage notes how many components it removed. A kernel larger than the image is
 * allowed (OpenCV extends the border), so tiny images are defined too.
 *
 * <p>Immutable and thread-safe.
 */
public final class MarkerRemovalStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "marker-removal";
    /** Smallest marker component, in pixels: single bright pixels are noise, not writing. */
    public static final int MIN_PIXELS = 4;
    /** Largest accepted {@code kernel}. */
    public static final int MAX_KERNEL = 255;
    /** The automatic top-hat kernel side as a fraction of the image's longest side. */
    public static final double AUTO_KERNEL = 0.06;
    /** Width of the ring around a component whose mean level is compared with {@code max-background}. */
    public static final int RING = 3;
    /** Largest accepted {@code max-aspect}. */
    public static final double MAX_ASPECT = 100;
    /** Largest accepted {@code radius}. */
    public static final double MAX_RADIUS = 50;
    /** Largest accepted {@code dilate}. */
    public static final int MAX_DILATE = 20;

    /** The inpainting algorithm. */
    public enum Method implements Choice {
        /** Telea's fast marching method ({@code INPAINT_TELEA}). */
        TELEA("telea", INPAINT_TELEA),
        /** Navier-Stokes based ({@code INPAINT_NS}). */
        NS("ns", INPAINT_NS);

        private final String word;
        private final int flag;

        Method(String word, int flag) {
            this.word = word;
            this.flag = flag;
        }

        /** @return the parameter word, e.g. {@code telea} */
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

    private final int kernel;
    private final double contrast;
    private final double minLevel;
    private final double maxArea;
    private final double maxSize;
    private final double maxAspect;
    private final double maxBackground;
    private final int dilate;
    private final double radius;
    private final Method method;

    /**
     * @param kernel   side of the top-hat's square kernel in pixels, odd, in [3, {@value #MAX_KERNEL}], or 0 for
     *                 {@value #AUTO_KERNEL} of the image's longest side
     * @param contrast smallest top-hat value of a marker pixel, on the 0..255 scale, in [1, 255]
     * @param minLevel smallest level of a marker pixel as a fraction of the image's range, in [0, 1]
     * @param maxArea  largest marker component as a fraction of the image's pixels, in (0, 1]
     * @param maxSize  largest marker bounding-box side as a fraction of the image's longest side, in (0, 1]
     * @param maxAspect largest ratio of the bounding box's long side to its short side, in [1, {@value #MAX_ASPECT}]
     * @param maxBackground largest mean level of the ring around a marker, as a fraction of the image's range, in
     *                 [0, 1]
     * @param dilate   how far the inpainted region extends beyond the marker pixels, in [0, {@value #MAX_DILATE}]
     * @param radius   inpainting neighbourhood radius in pixels, in [1, {@value #MAX_RADIUS}]
     * @param method   the inpainting algorithm
     * @throws IllegalArgumentException naming the stage and parameter when a value is out of range
     */
    public MarkerRemovalStage(int kernel, double contrast, double minLevel, double maxArea, double maxSize, double maxAspect,
                              double maxBackground, int dilate, double radius, Method method) {
        if (kernel != 0 && (kernel < 3 || kernel > MAX_KERNEL || kernel % 2 == 0)) {
            throw new IllegalArgumentException("parameter " + ID + ".kernel=" + kernel
                    + " is not valid; expected 0 (automatic) or an odd integer in [3, " + MAX_KERNEL + "]");
        }
        range("contrast", contrast, 1, 255);
        range("min-level", minLevel, 0, 1);
        range("max-area", maxArea, 1e-6, 1);
        range("max-size", maxSize, 1e-6, 1);
        range("max-aspect", maxAspect, 1, MAX_ASPECT);
        range("max-background", maxBackground, 0, 1);
        if (dilate < 0 || dilate > MAX_DILATE) {
            throw new IllegalArgumentException("parameter " + ID + ".dilate=" + dilate
                    + " is out of range; expected an integer in [0, " + MAX_DILATE + "]");
        }
        range("radius", radius, 1, MAX_RADIUS);
        this.kernel = kernel;
        this.contrast = contrast;
        this.minLevel = minLevel;
        this.maxArea = maxArea;
        this.maxSize = maxSize;
        this.maxAspect = maxAspect;
        this.maxBackground = maxBackground;
        this.dilate = dilate;
        this.radius = radius;
        this.method = Objects.requireNonNull(method, "method");
    }

    /** @return a stage with the provider's defaults */
    public static MarkerRemovalStage defaults() {
        return new MarkerRemovalStage(0, 100, 0.5, 0.01, 0.15, 4, 0.3, 2, 3, Method.TELEA);
    }

    private static void range(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("parameter " + ID + "." + name + "=" + v + " is out of range; expected a number in ["
                    + lo + ", " + hi + "]");
        }
    }

    /** @return the top-hat kernel side */
    public int kernel() {
        return kernel;
    }

    /**
     * @param width  image width
     * @param height image height
     * @return the top-hat kernel side used for an image of this size: {@code kernel}, or when that is 0,
     *         {@value #AUTO_KERNEL} of the longest side, odd, at least 3
     */
    public int kernelFor(int width, int height) {
        if (kernel != 0) {
            return kernel;
        }
        return Math.min(MAX_KERNEL, Math.max(3, (int) Math.round(AUTO_KERNEL * Math.max(width, height)) | 1));
    }

    /** @return the inpainting algorithm */
    public Method method() {
        return method;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            int[] count = new int[1];
            Mat markers = detect(pixels, valid, count);
            if (markers == null) {
                return image;
            }
            int area = countNonZero(markers);
            Mat clean = pixels.clone();
            opencv_core.patchNaNs(clean, 0.0);
            Mat out = new Mat();
            inpaint(clean, markers, out, radius, method.flag);
            // only the marker pixels change (inpaint leaves the others as they are; copy to be exact, NaN included)
            Mat result = pixels.clone();
            out.copyTo(result, markers);
            context.note("removed " + count[0] + " marker component" + (count[0] == 1 ? "" : "s") + " (" + area + " pixels inpainted)");
            return GrayImage.wrap(image.width(), image.height(), Mats.floats(result), valid == null ? null : image.mask());
        }
    }

    /**
     * @return the pixels to inpaint ({@code CV_8U}, 255), or {@code null} when there are none; {@code count[0]}
     *         receives the number of marker components
     */
    private Mat detect(Mat pixels, Mat valid, int[] count) {
        Mat u8 = Gray8.toU8(pixels, valid, ID);
        if (u8 == null) {
            return null;
        }
        int w = u8.cols();
        int h = u8.rows();
        int k = kernelFor(w, h);
        Mat tophat = new Mat();
        morphologyEx(u8, tophat, MORPH_TOPHAT, getStructuringElement(MORPH_RECT, new Size(k, k)));
        Mat candidates = new Mat();
        threshold(tophat, candidates, contrast - 0.5, 255, THRESH_BINARY);
        Mat level = new Mat();
        threshold(u8, level, Math.ceil(minLevel * 255) - 0.5, 255, THRESH_BINARY);
        bitwise_and(candidates, level, candidates);
        if (valid != null) {
            bitwise_and(candidates, valid, candidates);
        }
        if (countNonZero(candidates) == 0) {
            return null;
        }
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = connectedComponentsWithStats(candidates, labels, stats, centroids, 8, CV_32S);
        int[] s = new int[n * 5];
        IntBuffer buf = stats.createBuffer();
        buf.get(s);
        double maxPixels = maxArea * w * h;
        double maxSide = maxSize * Math.max(w, h);
        Mat markers = new Mat(h, w, CV_8U, new Scalar(0));
        Mat ringKernel = getStructuringElement(MORPH_ELLIPSE, new Size(2 * RING + 1, 2 * RING + 1));
        double maxRingLevel = maxBackground * 255;
        int kept = 0;
        for (int i = 1; i < n; i++) {
            int x = s[i * 5];
            int y = s[i * 5 + 1];
            int bw = s[i * 5 + 2];
            int bh = s[i * 5 + 3];
            int area = s[i * 5 + 4];
            if (area < MIN_PIXELS || area > maxPixels || bw > maxSide || bh > maxSide
                    || Math.max(bw, bh) > maxAspect * Math.min(bw, bh)) {
                continue;
            }
            // the ring around the component, measured on a small window: a marker lies on background, while a
            // bright rim of tissue or a bone has bright tissue beside it
            int x0 = Math.max(0, x - RING);
            int y0 = Math.max(0, y - RING);
            Rect window = new Rect(x0, y0, Math.min(w, x + bw + RING) - x0, Math.min(h, y + bh + RING) - y0);
            Mat component = opencv_core.equals(new Mat(labels, window), i).asMat();
            Mat ring = new Mat();
            dilate(component, ring, ringKernel);
            subtract(ring, component, ring);
            if (countNonZero(ring) > 0 && mean(new Mat(u8, window), ring).get(0) > maxRingLevel) {
                continue;
            }
            Mat target = new Mat(markers, window);
            bitwise_or(target, component, target);
            kept++;
        }
        if (kept == 0) {
            return null;
        }
        if (dilate > 0) {
            dilate(markers, markers, getStructuringElement(MORPH_ELLIPSE, new Size(2 * dilate + 1, 2 * dilate + 1)));
        }
        if (valid != null) {
            bitwise_and(markers, valid, markers);
        }
        count[0] = kept;
        return markers;
    }

    @Override
    public String toString() {
        return ID + "[kernel=" + kernel + ", contrast=" + contrast + ", min-level=" + minLevel + ", max-area=" + maxArea
                + ", max-size=" + maxSize + ", max-aspect=" + maxAspect + ", max-background=" + maxBackground + ", dilate=" + dilate
                + ", radius=" + radius + ", method=" + method.word() + "]";
    }
}
