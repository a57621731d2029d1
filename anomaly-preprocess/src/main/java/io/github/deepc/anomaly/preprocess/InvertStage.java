package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Stage {@code invert}: finds radiographs stored with inverted intensities and turns them the usual way round
 * (air and background dark, bone bright, DICOM's {@code MONOCHROME2}).
 *
 * <p>Some sources store radiographs as {@code MONOCHROME1}, where the lowest value is white: background bright and
 * bone dark. A plain image file does not say which, so in {@link Mode#AUTO} the stage looks at the image: in a
 * radiograph that the body fills (chest, abdomen) the border is background or soft tissue and the dense structures
 * are in the centre, so the border is normally darker than the centre. The border's level is the median of the
 * medians of the four side bands (the outer {@value #BORDER_PERCENT}% of the shorter side along each edge), so that a
 * bright collimator band or a burnt-in label along one side does not decide alone; the centre's level is the median
 * of the middle half in each direction. When the border is brighter than the centre by more than {@code margin} (a
 * fraction of the valid range) the image counts as inverted. Only valid pixels count; the medians are read from
 * 256-bin histograms ({@code cv::calcHist} with the validity mask) of the valid range scaled to 8 bits.
 *
 * <p>Measured on the shared data sets with the default margin 0.1: no chest radiograph of
 * {@code chest-xray/train} (5216 images) is flagged, and 95% (NORMAL) and 97% (PNEUMONIA) of the same images
 * inverted are. The cue does not suit limb radiographs on a large background (hands): there the centre is mostly
 * background too, so inverted images go unnoticed (9%), and bright collimator borders on several sides make 3% of
 * normal hand images look inverted. Use {@code auto} for body-filling views and {@code always} or {@code never}
 * where the source's convention is known.
 *
 * <p>An inverted image is flipped within its own valid range: a valid value {@code v} becomes
 * {@code min + max - v}, so the range is kept; invalid pixels keep their values and the mask is unchanged. The
 * stage notes each inversion with the two levels. {@link Mode#ALWAYS} inverts every image, {@link Mode#NEVER}
 * none (the image is returned as it is).
 *
 * <p>Degenerate images: with no valid pixel, or no valid pixel in the border bands or in the centre, there is
 * nothing to compare and {@code auto} leaves the image unchanged, noting it; a constant image or a 1-pixel image
 * (its own border and centre) is never inverted by {@code auto}. An infinite valid pixel is an error.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvertStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "invert";
    /** Width of the border bands, in percent of the image's shorter side (at least one pixel). */
    public static final int BORDER_PERCENT = 10;

    /** When to invert. */
    public enum Mode implements Choice {
        /** Invert the images that look inverted. */
        AUTO("auto"),
        /** Invert every image. */
        ALWAYS("always"),
        /** Invert no image. */
        NEVER("never");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** @return the parameter word, e.g. {@code auto} */
        public String word() {
            return word;
        }

        /**
         * @param word a parameter word
         * @return the mode it names
         * @throws IllegalArgumentException for an unknown word, listing the known ones
         */
        public static Mode of(String word) {
            return Choices.parse(Mode.class, ID + ".mode", word);
        }
    }

    /**
     * What {@link #detect} found.
     *
     * @param inverted     whether the image counts as inverted
     * @param ringMedian   the border's level (median of the four side bands' medians), as a fraction of the
     *                     valid range (0..1), or NaN when no border pixel is valid
     * @param centreMedian median of the centre's valid pixels, likewise, or NaN when none is valid
     */
    public record Detection(boolean inverted, double ringMedian, double centreMedian) {
    }

    private final Mode mode;
    private final double margin;

    /**
     * @param mode   when to invert
     * @param margin how much brighter than the centre the border must be, as a fraction of the valid range,
     *               in [0, 1], for {@link Mode#AUTO} to invert
     * @throws IllegalArgumentException naming the parameter when {@code margin} is out of range
     */
    public InvertStage(Mode mode, double margin) {
        if (!(margin >= 0 && margin <= 1)) {
            throw new IllegalArgumentException("parameter " + ID + ".margin=" + margin
                    + " is out of range; expected a number in [0.0, 1.0]");
        }
        this.mode = Objects.requireNonNull(mode, "mode");
        this.margin = margin;
    }

    /** @return when to invert */
    public Mode mode() {
        return mode;
    }

    /** @return the margin of {@link Mode#AUTO} */
    public double margin() {
        return margin;
    }

    /**
     * Looks at an image the way {@link Mode#AUTO} does, whatever this stage's mode.
     *
     * @param image the image
     * @return whether it counts as inverted, and the two medians
     */
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public Detection detect(GrayImage image) {
        boolean full = Mats.allValid(image);
        int count = full ? image.size() : image.validCount();
        try (PointerScope scope = Mats.scope()) {
            Mat src = Mats.pixels(image);
            Mat validMask = full ? new Mat() : Mats.mask(image);
            double[] range = Levels.validRange(src, validMask, count, ID);
            if (range == null) {
                return new Detection(false, Double.NaN, Double.NaN);
            }
            return detect(src, full ? null : validMask, range);
        }
    }

    private Detection detect(Mat src, Mat validMask, double[] range) {
        if (!(range[1] > range[0])) {
            return new Detection(false, 0.0, 0.0);
        }
        int w = src.cols();
        int h = src.rows();
        Mat levels = Levels.quantise(src, range[0], range[1], Levels.LEVELS_8);
        int b = Math.max(1, Math.min(w, h) * BORDER_PERCENT / 100);
        Rect[] sides = {new Rect(0, 0, w, b), new Rect(0, h - b, w, b), new Rect(0, 0, b, h), new Rect(w - b, 0, b, h)};
        double[] sideMedians = new double[sides.length];
        int n = 0;
        for (Rect side : sides) {
            int m = Levels.median(Levels.histogram(new Mat(levels, side), validMask == null ? new Mat() : new Mat(validMask, side)));
            if (m >= 0) {
                sideMedians[n++] = m;
            }
        }
        int cx = w / 4;
        int cy = h / 4;
        Rect middle = new Rect(cx, cy, w - 2 * cx, h - 2 * cy);
        int centreMedian = Levels.median(Levels.histogram(new Mat(levels, middle),
                validMask == null ? new Mat() : new Mat(validMask, middle)));
        double ring = n == 0 ? Double.NaN : median(Arrays.copyOf(sideMedians, n)) / 255.0;
        double centre = centreMedian < 0 ? Double.NaN : centreMedian / 255.0;
        return new Detection(ring - centre > margin, ring, centre);
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        int k = v.length / 2;
        return v.length % 2 == 1 ? v[k] : (v[k - 1] + v[k]) / 2;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        if (mode == Mode.NEVER) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean full = Mats.allValid(image);
        int count = full ? image.size() : image.validCount();
        try (PointerScope scope = Mats.scope()) {
            Mat src = Mats.pixels(image);
            Mat validMask = full ? new Mat() : Mats.mask(image);
            double[] range = Levels.validRange(src, validMask, count, ID);
            if (range == null) {
                context.note("no valid pixel; image left unchanged");
                return image;
            }
            if (mode == Mode.AUTO) {
                Detection d = detect(src, full ? null : validMask, range);
                if (Double.isNaN(d.ringMedian()) || Double.isNaN(d.centreMedian())) {
                    context.note("no valid pixel in the " + (Double.isNaN(d.ringMedian()) ? "border bands" : "centre")
                            + "; cannot tell whether the image is inverted, left unchanged");
                    return image;
                }
                if (!d.inverted()) {
                    return image;
                }
                context.note(String.format(Locale.ROOT, "inverted intensities: border level %.2f is brighter than "
                        + "centre level %.2f (fractions of the valid range)", d.ringMedian(), d.centreMedian()));
            }
            Mat inverted = new Mat();
            src.convertTo(inverted, CV_32F, -1.0, range[0] + range[1]);
            if (full) {
                return GrayImage.wrap(w, h, Mats.floats(inverted), null);
            }
            inverted.copyTo(src, validMask);
            return GrayImage.wrap(w, h, Mats.floats(src), image.mask());
        }
    }

    @Override
    public String toString() {
        return ID + "[mode=" + mode.word() + ", margin=" + margin + "]";
    }
}
