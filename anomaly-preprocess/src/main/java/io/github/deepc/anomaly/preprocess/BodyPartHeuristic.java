package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.ADAPTIVE_THRESH_MEAN_C;
import static org.bytedeco.opencv.global.opencv_imgproc.Canny;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.adaptiveThreshold;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.calcHist;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponents;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.createCLAHE;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.CLAHE;

/**
 * The classical body-part detector of {@code body-part-crop}, tuned on hand radiographs (FracAtlas hand images:
 * hands with forearm, elbow, the other hand or the chest in view, bright film edges, burnt-in letters). Works on
 * a copy of at most {@link BodyPartCropStage#WORK_SIZE} pixels a side, with whole-image OpenCV calls:
 * <ol>
 *   <li><b>Body.</b> A 5x5 Gaussian blur; the lower of the two three-class Otsu thresholds over the valid pixels
 *   separates background from tissue. Thin bright bands running along a border (film and collimator edges) are
 *   removed, the mask is opened, and components smaller than {@code min-area} (letters, markers, noise) are
 *   dropped.</li>
 *   <li><b>Extent.</b> An adaptive mean threshold (pixels {@value #ADAPTIVE_C} levels above their neighbourhood
 *   mean) keeps dim, thin fingers the global threshold loses; only its components that touch the body count.</li>
 *   <li><b>Texture.</b> Canny edges of a CLAHE-equalised copy inside the extent, averaged over a window of
 *   {@value #WINDOW} of the image side: fingers, carpals and joints give many edges, a forearm or a chest wall
 *   few.</li>
 *   <li><b>Distal end.</b> The limb enters the image at the border its body pixels touch most; the hand is its
 *   free end, so the texture is weighted up linearly away from that border.</li>
 *   <li><b>Box.</b> Around the texture peak, the region where the density is at least half the peak is grown by
 *   half its size (a whole size away from the entry border, where the fingers are), and the box is the extent
 *   inside it.</li>
 * </ol>
 * Called inside the caller's {@link org.bytedeco.javacpp.PointerScope}. Stateless and thread-safe.
 */
final class BodyPartHeuristic {
    private BodyPartHeuristic() {
    }

    /** Texture window side, as a fraction of the image's longest side. */
    static final double WINDOW = 0.2;
    /** The texture core: where the (weighted) edge density is at least this fraction of its peak. */
    static final double CORE = 0.5;
    /** Growth of the core box towards the limb's entry border and sideways, as a fraction of its size. */
    static final double GROW = 0.5;
    /** Growth of the core box away from the entry border (towards the fingers), as a fraction of its size. */
    static final double GROW_DISTAL = 1.0;
    /** Weight of the texture at the entry border relative to the opposite border is {@code 1 - DISTAL}. */
    static final double DISTAL = 0.5;
    /** Canny thresholds on the CLAHE-equalised 8-bit copy. */
    static final double CANNY_LOW = 40;
    /** Canny thresholds on the CLAHE-equalised 8-bit copy. */
    static final double CANNY_HIGH = 100;
    /** Block of the adaptive threshold, as a fraction of the longest side. */
    static final double ADAPTIVE_BLOCK = 0.25;
    /** How much brighter than its neighbourhood mean a pixel must be to count as extent, in 8-bit levels. */
    static final double ADAPTIVE_C = 6;
    /** Widest band along a border that is removed, as a fraction of the longest side. */
    static final double BAND_WIDTH = 0.08;
    /** How close to the border a band must lie, as a fraction of the image's width or height. */
    static final double BAND_ZONE = 0.12;
    /** Smallest body component, as a fraction of the image, whatever {@code min-area} says. */
    static final double MIN_COMPONENT = 0.005;

    /**
     * @param u8      8-bit image (at most a few hundred pixels a side)
     * @param valid   mask or {@code null}
     * @param minArea smallest component fraction
     * @return {@code {x, y, width, height}} of the chosen region, or {@code null}
     */
    static int[] locate(Mat u8, Mat valid, double minArea) {
        int w = u8.cols();
        int h = u8.rows();
        int side = Math.max(w, h);
        Mat blur = new Mat();
        GaussianBlur(u8, blur, new Size(5, 5), 0);
        float[] bins = Gray8.histogram(blur, valid);
        int[] t = Gray8.otsu3(bins);
        // thin straight bands (film and collimator edges, often saturated) would pass for body parts: find the
        // bright pixels on long horizontal or vertical lines that do not survive an opening with a square of the
        // bands' largest width, and remove them from both masks below
        Mat bright = new Mat();
        threshold(blur, bright, t[0], 255, THRESH_BINARY);
        if (valid != null) {
            bitwise_and(bright, valid, bright);
        }
        Mat bands = bands(bright, w, h, side);
        Mat fg = new Mat();
        subtract(bright, bands, fg);
        int k = Math.max(3, (int) Math.round(0.015 * side)) | 1;
        morphologyEx(fg, fg, MORPH_OPEN, getStructuringElement(MORPH_ELLIPSE, new Size(k, k)));
        // body: foreground components that are not small (letters, markers, noise)
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = connectedComponentsWithStats(fg, labels, stats, centroids, 8, CV_32S);
        int[] s = ints(stats, n * 5);
        Mat body = new Mat(h, w, CV_8U, new Scalar(0));
        double imageArea = (double) w * h;
        int kept = 0;
        for (int i = 1; i < n; i++) {
            if (s[i * 5 + 4] < Math.max(minArea, MIN_COMPONENT) * imageArea) {
                continue;
            }
            bitwise_or(body, opencv_core.equals(labels, i).asMat(), body);
            kept++;
        }
        if (kept == 0) {
            return null;
        }
        // extent: pixels clearly brighter than their surroundings (adaptive mean threshold over a quarter of the
        // image) keep dim, thin fingers that the global threshold loses; only the extent components that overlap
        // the body count, so that background texture does not
        Mat extent = new Mat();
        int block = Math.max(3, (int) Math.round(ADAPTIVE_BLOCK * side)) | 1;
        adaptiveThreshold(blur, extent, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, block, -ADAPTIVE_C);
        if (valid != null) {
            bitwise_and(extent, valid, extent);
        }
        subtract(extent, bands, extent);
        morphologyEx(extent, extent, MORPH_OPEN, getStructuringElement(MORPH_ELLIPSE, new Size(3, 3)));
        bitwise_or(extent, body, extent);
        extent = overlapping(extent, body);
        // texture: edges inside the extent; fingers, carpals and joints give many, a forearm few. CLAHE first, so
        // that a dim hand is not outweighed by a bright forearm
        Mat contrast = new Mat();
        CLAHE clahe = createCLAHE(2.0, new Size(8, 8));
        clahe.apply(blur, contrast);
        Mat edges = new Mat();
        Canny(contrast, edges, CANNY_LOW, CANNY_HIGH);
        bitwise_and(edges, extent, edges);
        Mat density = new Mat();
        int win = Math.max(3, (int) Math.round(WINDOW * side));
        boxFilter(edges, density, CV_32F, new Size(win, win));
        // the limb enters the image at one border (the side touched by most body pixels); the hand is its free,
        // distal end: weigh the texture up linearly away from that border, and grow the box more that way
        int entry = entrySide(body, side);
        if (entry >= 0) {
            Mat ramp = new Mat(2, 2, CV_32F);
            float lo = (float) (1.0 - DISTAL);
            float[] corners = switch (entry) {
                case 0 -> new float[] {lo, lo, 1f, 1f}; // entry at the top: more weight at the bottom
                case 1 -> new float[] {1f, 1f, lo, lo}; // bottom
                case 2 -> new float[] {lo, 1f, lo, 1f}; // left
                default -> new float[] {1f, lo, 1f, lo}; // right
            };
            FloatBuffer rb = ramp.createBuffer();
            rb.put(corners);
            Mat weight = new Mat();
            resize(ramp, weight, new Size(w, h), 0, 0, INTER_LINEAR);
            multiply(density, weight, density);
        }
        double[] max = {0};
        Point at = new Point();
        minMaxLoc(density, null, max, null, at, new Mat());
        if (!(max[0] > 0)) {
            Rect r = boundingRect(body);
            return new int[] {r.x(), r.y(), r.width(), r.height()};
        }
        Mat core = new Mat();
        threshold(density, core, CORE * max[0], 255, THRESH_BINARY);
        core.convertTo(core, CV_8U);
        Mat coreLabels = new Mat();
        int cn = connectedComponentsWithStats(core, coreLabels, stats, centroids, 8, CV_32S);
        int[] cs = ints(stats, cn * 5);
        int label;
        try (IntIndexer idx = coreLabels.createIndexer()) {
            label = idx.get(at.y(), at.x());
        }
        if (label <= 0) {
            return null;
        }
        // the hand: the extent inside the core box grown on every side, most away from the entry border, which
        // brings in the fingers; the box ends where the extent ends
        int gx = (int) Math.round(cs[label * 5 + 2] * GROW);
        int gy = (int) Math.round(cs[label * 5 + 3] * GROW);
        int fx = (int) Math.round(cs[label * 5 + 2] * GROW_DISTAL);
        int fy = (int) Math.round(cs[label * 5 + 3] * GROW_DISTAL);
        int x0 = Math.max(0, cs[label * 5] - (entry == 3 ? fx : gx));
        int y0 = Math.max(0, cs[label * 5 + 1] - (entry == 1 ? fy : gy));
        int x1 = Math.min(w, cs[label * 5] + cs[label * 5 + 2] + (entry == 2 ? fx : gx));
        int y1 = Math.min(h, cs[label * 5 + 1] + cs[label * 5 + 3] + (entry == 0 ? fy : gy));
        Mat window = new Mat(extent, new Rect(x0, y0, x1 - x0, y1 - y0));
        if (countNonZero(window) == 0) {
            return new int[] {x0, y0, x1 - x0, y1 - y0};
        }
        Rect r = boundingRect(window);
        return new int[] {x0 + r.x(), y0 + r.y(), r.width(), r.height()};
    }

    /**
     * @return the components of {@code mask} that share at least one pixel with {@code seed}
     */
    static Mat overlapping(Mat mask, Mat seed) {
        Mat labels = new Mat();
        int n = connectedComponents(mask, labels, 8, CV_32S);
        Mat lf = new Mat();
        labels.convertTo(lf, CV_32F);
        Mat hist = new Mat();
        calcHist(lf, 1, new int[] {0}, seed, hist, 1, new int[] {n}, new float[] {0f, n});
        float[] counts = Mats.floats(hist);
        Mat out = new Mat(mask.rows(), mask.cols(), CV_8U, new Scalar(0));
        for (int i = 1; i < n; i++) {
            if (counts[i] > 0) {
                bitwise_or(out, opencv_core.equals(labels, i).asMat(), out);
            }
        }
        return out;
    }

    /**
     * @return the pixels of {@code bright} on thin (at most {@link #BAND_WIDTH} of the image side) bands at least 30%
     *         of the image long that run along a border, within {@link #BAND_ZONE} of it
     */
    static Mat bands(Mat bright, int w, int h, int side) {
        int sq = Math.max(3, (int) Math.round(BAND_WIDTH * side)) | 1;
        Mat square = getStructuringElement(MORPH_RECT, new Size(sq, sq));
        Mat out = new Mat(h, w, CV_8U, new Scalar(0));
        Mat lines = new Mat();
        Mat wide = new Mat();
        // (openings with a zero border: by default OpenCV treats the outside as foreground, and a band along the
        // border would then look as wide as the square)
        // vertical bands near the left and right borders, horizontal ones near the top and bottom
        int lv = Math.max(3, (int) Math.round(0.3 * h));
        morphologyEx(bright, lines, MORPH_OPEN, getStructuringElement(MORPH_RECT, new Size(1, lv)));
        morphologyEx(lines, wide, MORPH_OPEN, square, new Point(-1, -1), 1, BORDER_CONSTANT, new Scalar(0));
        subtract(lines, wide, lines);
        int sx = Math.max(1, (int) Math.round(BAND_ZONE * w));
        new Mat(lines, new Rect(0, 0, sx, h)).copyTo(new Mat(out, new Rect(0, 0, sx, h)));
        new Mat(lines, new Rect(w - sx, 0, sx, h)).copyTo(new Mat(out, new Rect(w - sx, 0, sx, h)));
        int lh = Math.max(3, (int) Math.round(0.3 * w));
        morphologyEx(bright, lines, MORPH_OPEN, getStructuringElement(MORPH_RECT, new Size(lh, 1)));
        morphologyEx(lines, wide, MORPH_OPEN, square, new Point(-1, -1), 1, BORDER_CONSTANT, new Scalar(0));
        subtract(lines, wide, lines);
        int sy = Math.max(1, (int) Math.round(BAND_ZONE * h));
        Mat top = new Mat(out, new Rect(0, 0, w, sy));
        bitwise_or(top, new Mat(lines, new Rect(0, 0, w, sy)), top);
        Mat bottom = new Mat(out, new Rect(0, h - sy, w, sy));
        bitwise_or(bottom, new Mat(lines, new Rect(0, h - sy, w, sy)), bottom);
        // a little wider, to take the bands' blurred rims too
        dilate(out, out, getStructuringElement(MORPH_RECT, new Size(5, 5)));
        return out;
    }

    /**
     * @return 0 top, 1 bottom, 2 left, 3 right: the border most body pixels touch, or -1 when the body touches
     *         the borders along less than 3% of the image side
     */
    static int entrySide(Mat body, int side) {
        int w = body.cols();
        int h = body.rows();
        int[] counts = {
            countNonZero(new Mat(body, new Rect(0, 0, w, 1))),
            countNonZero(new Mat(body, new Rect(0, h - 1, w, 1))),
            countNonZero(new Mat(body, new Rect(0, 0, 1, h))),
            countNonZero(new Mat(body, new Rect(w - 1, 0, 1, h)))};
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return counts[best] < 0.03 * side ? -1 : best;
    }

    private static int[] ints(Mat m, int n) {
        int[] out = new int[n];
        IntBuffer buf = m.createBuffer();
        buf.get(out);
        return out;
    }
}
