package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.Canny;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.medianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.minAreaRect;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.nio.IntBuffer;
import java.util.Optional;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.Size2f;

/**
 * Stage {@code square-crop}: finds a scanned radiograph lying inside synthetic borders or on paper (a film
 * photographed or scanned with a margin) and crops the image to it.
 *
 * <p>Detection works on an 8-bit copy of the image (the valid pixels min-max scaled to 0..255, invalid pixels
 * 0). Candidate outlines come from a threshold sweep over a 5x5 median-filtered copy (the median removes paper
 * grain without moving the film's edge): Otsu's level over the valid pixels plus {@code sweep-steps} evenly spaced
 * levels, each in both polarities (film brighter than the border, and border brighter than the film); the outer
 * contours ({@code cv::findContours}, {@code RETR_EXTERNAL}) of each binary map are the candidates. Only when no
 * threshold outline qualifies are the outer contours of the Canny edge map of a 5x5 Gaussian-smoothed copy
 * ({@code canny-low}, {@code canny-high}, closed with a 3x3 rectangle) tried. A contour qualifies when its
 * minimum-area rotated rectangle ({@code cv::minAreaRect})
 * <ul>
 *   <li>covers at least {@code min-area} and at most {@code max-area} of the image (a rectangle covering almost
 *   the whole image means there is no border to remove);</li>
 *   <li>is tilted by at most {@code max-skew} degrees from the image axes;</li>
 *   <li>is filled by the contour to at least {@code min-fill} (contour area over rectangle area), so that it is
 *   a rectangle and not, say, a hand.</li>
 * </ul>
 * The largest qualifying rectangle wins; its outline is then re-thresholded at the level half-way between the
 * pixels just inside and just outside it (where a blurred edge lies), which keeps border noise clinging to a
 * low-level outline from enlarging it. The image is cropped to the axis-aligned bounding box of that rotated
 * rectangle, and the mask with it; with {@code mask-outside} the pixels of the box outside the rotated rectangle
 * (the border corners of a tilted film) are also marked invalid. Pixel values are never changed.
 *
 * <p>When no contour qualifies, and for images without content (no valid pixel, a constant or all-black image,
 * a 1-pixel image), the image is returned unchanged and the stage says so with {@link StageContext#note}. 8- and
 * 16-bit ranges behave alike because detection always runs on the min-max scaled copy. An infinite valid pixel
 * is an error.
 *
 * <p>Immutable and thread-safe.
 */
public final class SquareCropStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "square-crop";
    /** Inner edge of the bands around an outline whose levels set the refined threshold, in pixels. */
    private static final double BAND_NEAR = 2;
    /** Outer edge of those bands, in pixels. */
    private static final double BAND_FAR = 6;
    /** Smallest accepted {@code min-area}. */
    public static final double MIN_AREA = 0.01;
    /** Largest accepted {@code max-skew}, in degrees. */
    public static final double MAX_SKEW = 45.0;
    /** Largest accepted {@code sweep-steps}. */
    public static final int MAX_SWEEP_STEPS = 64;

    private final double minArea;
    private final double maxArea;
    private final double maxSkew;
    private final double minFill;
    private final double cannyLow;
    private final double cannyHigh;
    private final int sweepSteps;
    private final boolean maskOutside;

    /**
     * @param minArea     smallest fraction of the image the radiograph covers, in [{@value #MIN_AREA}, 1]
     * @param maxArea     largest fraction, in [{@code minArea}, 1]
     * @param maxSkew     largest tilt from the image axes in degrees, in [0, {@value #MAX_SKEW}]
     * @param minFill     smallest contour area over rotated-rectangle area, in [0, 1]
     * @param cannyLow    Canny's lower hysteresis threshold, in [0, 255]
     * @param cannyHigh   Canny's upper hysteresis threshold, in [{@code cannyLow}, 255]
     * @param sweepSteps  number of evenly spaced threshold levels tried besides Otsu's, in [0,
     *                    {@value #MAX_SWEEP_STEPS}]
     * @param maskOutside whether the pixels of the crop outside a tilted rectangle become invalid
     * @throws IllegalArgumentException naming the stage and parameter when a value is out of range
     */
    public SquareCropStage(double minArea, double maxArea, double maxSkew, double minFill, double cannyLow,
                           double cannyHigh, int sweepSteps, boolean maskOutside) {
        check("min-area", minArea, MIN_AREA, 1.0);
        check("max-area", maxArea, minArea, 1.0);
        check("max-skew", maxSkew, 0.0, MAX_SKEW);
        check("min-fill", minFill, 0.0, 1.0);
        check("canny-low", cannyLow, 0.0, 255.0);
        check("canny-high", cannyHigh, cannyLow, 255.0);
        check("sweep-steps", sweepSteps, 0, MAX_SWEEP_STEPS);
        this.minArea = minArea;
        this.maxArea = maxArea;
        this.maxSkew = maxSkew;
        this.minFill = minFill;
        this.cannyLow = cannyLow;
        this.cannyHigh = cannyHigh;
        this.sweepSteps = sweepSteps;
        this.maskOutside = maskOutside;
    }

    /** @return a stage with the provider's defaults */
    public static SquareCropStage defaults() {
        return new SquareCropStage(0.2, 0.97, 10.0, 0.85, 30.0, 90.0, 16, true);
    }

    static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("parameter " + ID + "." + name + "=" + v + " is out of range; expected a number in ["
                    + lo + ", " + hi + "]");
        }
    }

    /** @return smallest area fraction */
    public double minArea() {
        return minArea;
    }

    /** @return largest area fraction */
    public double maxArea() {
        return maxArea;
    }

    /** @return largest tilt in degrees */
    public double maxSkew() {
        return maxSkew;
    }

    /** @return smallest fill ratio */
    public double minFill() {
        return minFill;
    }

    /** @return number of threshold levels tried besides Otsu's */
    public int sweepSteps() {
        return sweepSteps;
    }

    /** One qualifying outline. */
    private record Candidate(RotatedRect box, double area, String source, int type) {
    }

    /**
     * Finds the radiograph without cropping.
     *
     * @param image the image
     * @return the region the stage would crop to, or empty when no outline qualifies
     */
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public Optional<CropRegion> locate(GrayImage image) {
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            Candidate c = find(pixels, valid, image.width(), image.height());
            return c == null ? Optional.empty() : Optional.of(region(c, image.width(), image.height()));
        }
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat valid = Mats.allValid(image) ? null : Mats.mask(image);
            Candidate c = find(pixels, valid, w, h);
            if (c == null) {
                context.note("no radiograph outline found (area " + minArea + ".." + maxArea + ", skew <= " + maxSkew
                        + " degrees, fill >= " + minFill + "); image left unchanged");
                return image;
            }
            CropRegion r = region(c, w, h);
            if (r.coversWhole(w, h) && !maskOutside) {
                return image;
            }
            Mat extra = null;
            if (maskOutside && Math.abs(skew(c.box().angle())) > 1e-3) {
                extra = new Mat(r.height(), r.width(), CV_8U, new Scalar(0));
                fillRotated(extra, c.box(), r.x(), r.y());
            }
            if (r.coversWhole(w, h) && extra == null) {
                return image;
            }
            context.note("cropped to " + r);
            return Gray8.crop(image, pixels, r, extra);
        }
    }

    private Candidate find(Mat pixels, Mat valid, int w, int h) {
        Mat u8 = Gray8.toU8(pixels, valid, ID);
        if (u8 == null || w < 3 || h < 3) {
            return null;
        }
        // a median filter for the threshold sweep: it removes paper grain but keeps the film's edge where it is
        // (a Gaussian would spread it and move the outline outwards at low levels)
        Mat smooth = new Mat();
        medianBlur(u8, smooth, 5);
        TreeSet<Integer> levels = new TreeSet<>();
        levels.add(Gray8.otsu(smooth, valid));
        for (int k = 1; k <= sweepSteps; k++) {
            levels.add((int) Math.round(255.0 * k / (sweepSteps + 1)));
        }
        Candidate best = null;
        Mat bin = new Mat();
        for (int level : levels) {
            for (int type : new int[] {THRESH_BINARY, THRESH_BINARY_INV}) {
                threshold(smooth, bin, level, 255, type);
                if (valid != null) {
                    bitwise_and(bin, valid, bin);
                }
                best = better(best, examine(bin, w, h, "threshold " + (type == THRESH_BINARY ? ">" : "<=") + " " + level, type));
            }
        }
        if (best != null) {
            best = refine(best, smooth, valid, w, h);
        }
        if (best == null) {
            Mat blurred = new Mat();
            GaussianBlur(u8, blurred, new Size(5, 5), 0);
            Mat edges = new Mat();
            Canny(blurred, edges, cannyLow, cannyHigh);
            morphologyEx(edges, edges, MORPH_CLOSE, getStructuringElement(MORPH_RECT, new Size(3, 3)));
            best = examine(edges, w, h, "canny", -1);
        }
        return best;
    }

    private static Candidate better(Candidate a, Candidate b) {
        if (a == null) {
            return b;
        }
        return b != null && b.area() > a.area() ? b : a;
    }

    /**
     * The largest outline comes from the lowest level that still separates film from border, where noise on the
     * border side may cling to it. Re-threshold at the middle between the levels just inside and just outside the
     * found rectangle, where a blurred edge really is, and keep that outline if it qualifies.
     */
    private Candidate refine(Candidate c, Mat smooth, Mat valid, int w, int h) {
        Mat inner = polygon(c.box(), -BAND_NEAR, w, h);
        Mat innerFar = polygon(c.box(), -BAND_FAR, w, h);
        subtract(inner, innerFar, inner);
        Mat outer = polygon(c.box(), BAND_FAR, w, h);
        Mat outerNear = polygon(c.box(), BAND_NEAR, w, h);
        subtract(outer, outerNear, outer);
        if (valid != null) {
            bitwise_and(inner, valid, inner);
            bitwise_and(outer, valid, outer);
        }
        if (countNonZero(inner) == 0 || countNonZero(outer) == 0) {
            return c;
        }
        double in = mean(smooth, inner).get(0);
        double out = mean(smooth, outer).get(0);
        int level = (int) Math.round((in + out) / 2);
        Mat bin = new Mat();
        threshold(smooth, bin, level, 255, c.type());
        if (valid != null) {
            bitwise_and(bin, valid, bin);
        }
        Candidate r = examine(bin, w, h, "threshold " + (c.type() == THRESH_BINARY ? ">" : "<=") + " " + level, c.type());
        if (r == null) {
            return c;
        }
        Point2f rc = r.box().center();
        Point2f cc = c.box().center();
        double shift = Math.hypot(rc.x() - cc.x(), rc.y() - cc.y());
        // the same outline, tightened: not a different object
        return shift <= BAND_FAR && r.area() <= c.area() * 1.05 && r.area() >= c.area() * 0.8 ? r : c;
    }

    /** @return a {@code CV_8U} mask of the rotated rectangle grown by {@code grow} pixels on every side */
    private static Mat polygon(RotatedRect box, double grow, int w, int h) {
        Mat m = new Mat(h, w, CV_8U, new Scalar(0));
        double bw = box.size().width() + 2 * grow;
        double bh = box.size().height() + 2 * grow;
        if (bw <= 0 || bh <= 0) {
            return m;
        }
        RotatedRect g = new RotatedRect(box.center(), new Size2f((float) bw, (float) bh), box.angle());
        fillRotated(m, g, 0, 0);
        return m;
    }

    /** Fills a rotated rectangle, shifted by {@code (-dx, -dy)}, into a {@code CV_8U} Mat with 255. */
    private static void fillRotated(Mat m, RotatedRect box, int dx, int dy) {
        Point2f corners = new Point2f(4);
        box.points(corners);
        // fixed-point corners (4 fractional bits) so that the polygon follows the sub-pixel rectangle
        int shift = 4;
        int[] xy = new int[8];
        for (int i = 0; i < 4; i++) {
            Point2f p = corners.position(i);
            xy[2 * i] = Math.round((p.x() - dx) * (1 << shift));
            xy[2 * i + 1] = Math.round((p.y() - dy) * (1 << shift));
        }
        corners.position(0);
        Mat poly = new Mat(4, 1, CV_32SC2);
        IntBuffer buf = poly.createBuffer();
        buf.put(xy);
        fillConvexPoly(m, poly, new Scalar(Mats.VALID), LINE_8, shift);
    }

    private Candidate examine(Mat bin, int w, int h, String source, int type) {
        MatVector contours = new MatVector();
        findContours(bin, contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
        double imageArea = (double) w * h;
        Candidate best = null;
        for (long i = 0; i < contours.size(); i++) {
            Mat c = contours.get(i);
            if (c.rows() < 3) {
                continue;
            }
            RotatedRect box = minAreaRect(c);
            // contours run through pixel centres: the pixels covered are one more than the rectangle's sides
            double bw = box.size().width();
            double bh = box.size().height();
            double area = (bw + 1) * (bh + 1);
            double fraction = area / imageArea;
            if (fraction < minArea || fraction > maxArea || Math.abs(skew(box.angle())) > maxSkew) {
                continue;
            }
            double fill = bw * bh <= 0 ? 0 : contourArea(c) / (bw * bh);
            if (fill < minFill) {
                continue;
            }
            best = better(best, new Candidate(box, area, source, type));
        }
        return best;
    }

    /**
     * @param angle a {@code cv::RotatedRect} angle in degrees
     * @return the signed tilt from the nearest image axis, in [-45, 45]
     */
    static double skew(double angle) {
        double a = angle % 90.0;
        if (a > 45) {
            a -= 90;
        } else if (a < -45) {
            a += 90;
        }
        return a;
    }

    private static CropRegion region(Candidate c, int w, int h) {
        Point2f corners = new Point2f(4);
        c.box().points(corners);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            Point2f p = corners.position(i);
            minX = Math.min(minX, p.x());
            maxX = Math.max(maxX, p.x());
            minY = Math.min(minY, p.y());
            maxY = Math.max(maxY, p.y());
        }
        corners.position(0);
        int x0 = (int) Math.max(0, Math.round(minX));
        int y0 = (int) Math.max(0, Math.round(minY));
        int x1 = (int) Math.min(w - 1, Math.round(maxX));
        int y1 = (int) Math.min(h - 1, Math.round(maxY));
        return new CropRegion(x0, y0, Math.max(1, x1 - x0 + 1), Math.max(1, y1 - y0 + 1),
                c.source() + ", skew " + Math.round(skew(c.box().angle()) * 10) / 10.0);
    }

    @Override
    public String toString() {
        return ID + "[min-area=" + minArea + ", max-area=" + maxArea + ", max-skew=" + maxSkew + ", min-fill=" + minFill
                + ", canny-low=" + cannyLow + ", canny-high=" + cannyHigh + ", sweep-steps=" + sweepSteps
                + ", mask-outside=" + maskOutside + "]";
    }
}
