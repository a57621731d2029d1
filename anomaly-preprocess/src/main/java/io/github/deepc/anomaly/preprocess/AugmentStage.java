package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Stage {@code augment}: random flips, rotation, zoom and brightness change of training images.
 *
 * <p>Only while training ({@link StageContext#training()}); at scoring time the stage returns its input unchanged.
 * Every random draw comes from {@link StageContext#random()}, so an image gets the same augmentation for the same
 * seed whatever the thread scheduling. Each transform has its own probability, and the draws are made in a fixed
 * order whatever their outcome, so that changing one transform's setting does not change the others' draws:
 * <ol>
 *   <li>horizontal flip with probability {@code flip-horizontal}; vertical flip with probability
 *       {@code flip-vertical} ({@code cv::flip} of pixels and mask);</li>
 *   <li>rotation, with probability {@code rotate-probability}, by an angle uniform in
 *       [-{@code rotate-degrees}, {@code rotate-degrees}] (positive: counter-clockwise), and zoom, with probability
 *       {@code zoom-probability}, by a factor uniform in [{@code zoom-min}, {@code zoom-max}] (above 1 enlarges),
 *       both about the image centre in one {@code cv::warpAffine}: pixels interpolated linearly, the mask by nearest
 *       neighbour; the output keeps the input's size, and pixels that come from outside the input are invalid (and
 *       take the valid minimum as their value);</li>
 *   <li>brightness, with probability {@code brightness-probability}: the valid pixels multiplied by a factor uniform
 *       in [{@code brightness-min}, {@code brightness-max}]. A pure scaling is undone by a later min-max
 *       {@code normalize}: put {@code augment} after {@code normalize} for it to show.</li>
 * </ol>
 * The mask always keeps the image's shape. An image on which no transform is drawn is returned unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class AugmentStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "augment";
    /** Largest accepted {@code rotate-degrees}. */
    public static final double MAX_DEGREES = 180.0;
    /** Smallest accepted zoom factor. */
    public static final double MIN_ZOOM = 0.1;
    /** Largest accepted zoom factor. */
    public static final double MAX_ZOOM = 10.0;
    /** Largest accepted brightness factor. */
    public static final double MAX_BRIGHTNESS = 10.0;

    /**
     * The augmentation settings.
     *
     * @param flipHorizontal        probability of a left-right flip, in [0, 1]
     * @param flipVertical          probability of an upside-down flip, in [0, 1]
     * @param rotateDegrees         largest rotation angle in degrees, in [0, {@value #MAX_DEGREES}]
     * @param rotateProbability     probability of a rotation, in [0, 1]
     * @param brightnessMin         smallest brightness factor, in [0, {@value #MAX_BRIGHTNESS}]
     * @param brightnessMax         largest brightness factor, at least {@code brightnessMin}
     * @param brightnessProbability probability of a brightness change, in [0, 1]
     * @param zoomMin               smallest zoom factor, in [{@value #MIN_ZOOM}, {@value #MAX_ZOOM}]
     * @param zoomMax               largest zoom factor, at least {@code zoomMin}
     * @param zoomProbability       probability of a zoom, in [0, 1]
     */
    public record Settings(double flipHorizontal, double flipVertical, double rotateDegrees, double rotateProbability,
                           double brightnessMin, double brightnessMax, double brightnessProbability,
                           double zoomMin, double zoomMax, double zoomProbability) {
        /** Validates the settings; messages name the stage parameter. */
        public Settings {
            check("flip-horizontal", flipHorizontal, 0, 1);
            check("flip-vertical", flipVertical, 0, 1);
            check("rotate-degrees", rotateDegrees, 0, MAX_DEGREES);
            check("rotate-probability", rotateProbability, 0, 1);
            check("brightness-min", brightnessMin, 0, MAX_BRIGHTNESS);
            check("brightness-max", brightnessMax, 0, MAX_BRIGHTNESS);
            check("brightness-probability", brightnessProbability, 0, 1);
            check("zoom-min", zoomMin, MIN_ZOOM, MAX_ZOOM);
            check("zoom-max", zoomMax, MIN_ZOOM, MAX_ZOOM);
            check("zoom-probability", zoomProbability, 0, 1);
            if (brightnessMin > brightnessMax) {
                throw new IllegalArgumentException("parameters " + ID + ".brightness-min=" + brightnessMin + " and "
                        + ID + ".brightness-max=" + brightnessMax + " are not valid; expected brightness-min <= brightness-max");
            }
            if (zoomMin > zoomMax) {
                throw new IllegalArgumentException("parameters " + ID + ".zoom-min=" + zoomMin + " and " + ID + ".zoom-max="
                        + zoomMax + " are not valid; expected zoom-min <= zoom-max");
            }
        }

        /** @return the defaults: flips 0.5 / 0, rotation up to 10 degrees, brightness and zoom 0.9..1.1, each 0.5 */
        public static Settings defaults() {
            return new Settings(0.5, 0.0, 10.0, 0.5, 0.9, 1.1, 0.5, 0.9, 1.1, 0.5);
        }

        /** @return settings under which no transform is ever drawn */
        public static Settings none() {
            return new Settings(0, 0, 0, 0, 1, 1, 0, 1, 1, 0);
        }

        private static void check(String name, double value, double min, double max) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException("parameter " + ID + "." + name + "=" + value
                        + " is out of range; expected a number in [" + min + ", " + max + "]");
            }
        }
    }

    /**
     * The transforms drawn for one image.
     *
     * @param flipHorizontal whether to flip left-right
     * @param flipVertical   whether to flip upside down
     * @param degrees        rotation angle, counter-clockwise (0: none)
     * @param zoom           zoom factor (1: none)
     * @param brightness     brightness factor (1: none)
     */
    public record Draw(boolean flipHorizontal, boolean flipVertical, double degrees, double zoom, double brightness) {
        /** @return whether the draw changes nothing */
        public boolean identity() {
            return !flipHorizontal && !flipVertical && degrees == 0 && zoom == 1 && brightness == 1;
        }
    }

    private final Settings settings;

    /** @param settings the augmentation settings */
    public AugmentStage(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return the augmentation settings */
    public Settings settings() {
        return settings;
    }

    /**
     * Draws the transforms for one image: always eight draws, in a fixed order.
     *
     * @param random the random source
     * @return the transforms
     */
    public Draw draw(SplittableRandom random) {
        Settings s = settings;
        boolean fh = random.nextDouble() < s.flipHorizontal();
        boolean fv = random.nextDouble() < s.flipVertical();
        boolean rotate = random.nextDouble() < s.rotateProbability();
        double angle = (random.nextDouble() * 2 - 1) * s.rotateDegrees();
        boolean bright = random.nextDouble() < s.brightnessProbability();
        double factor = s.brightnessMin() + random.nextDouble() * (s.brightnessMax() - s.brightnessMin());
        boolean zoom = random.nextDouble() < s.zoomProbability();
        double scale = s.zoomMin() + random.nextDouble() * (s.zoomMax() - s.zoomMin());
        return new Draw(fh, fv, rotate ? angle : 0.0, zoom ? scale : 1.0, bright ? factor : 1.0);
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        if (!context.training()) {
            return image;
        }
        Draw d = draw(context.random());
        if (d.identity()) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        try (PointerScope scope = Mats.scope()) {
            Mat pixels = Mats.pixels(image);
            Mat mask = Mats.mask(image);
            if (d.flipHorizontal() || d.flipVertical()) {
                int code = d.flipHorizontal() && d.flipVertical() ? -1 : d.flipHorizontal() ? 1 : 0;
                flip(pixels, pixels, code);
                flip(mask, mask, code);
            }
            if (d.degrees() != 0 || d.zoom() != 1) {
                double[] range = Levels.validRange(pixels, mask, image.validCount(), ID);
                double fill = range == null ? 0.0 : range[0];
                Mat m = getRotationMatrix2D(new Point2f((w - 1) / 2f, (h - 1) / 2f), d.degrees(), d.zoom());
                Size size = new Size(w, h);
                Mat warped = new Mat();
                warpAffine(pixels, warped, m, size, INTER_LINEAR, BORDER_CONSTANT, new Scalar(fill));
                Mat warpedMask = new Mat();
                warpAffine(mask, warpedMask, m, size, INTER_NEAREST, BORDER_CONSTANT, new Scalar(0));
                pixels = warped;
                mask = warpedMask;
            }
            if (d.brightness() != 1) {
                Mat scaled = new Mat();
                pixels.convertTo(scaled, CV_32F, d.brightness(), 0.0);
                scaled.copyTo(pixels, mask);
            }
            return Mats.image(pixels, mask);
        }
    }

    @Override
    public String toString() {
        return ID + settings;
    }
}
