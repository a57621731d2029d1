package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.patchNaNs;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Stage {@code normalize}: per-image min-max normalisation over the valid pixels.
 *
 * <p>The minimum and maximum are taken over the valid pixels only ({@code cv::minMaxLoc} with the mask), so
 * padding or removed background never stretches the range; the valid pixels are then mapped linearly so that
 * the minimum becomes the range's lower bound and the maximum its upper bound ({@code convertTo} with
 * alpha/beta), clamped to the range against rounding. Invalid pixels are set to the lower bound. The mask is
 * unchanged.
 *
 * <p>Degenerate images: when all valid pixels have the same value, or when no pixel is valid, there is nothing to
 * stretch and no division happens: every pixel, valid or not, becomes the range's lower bound (0 for
 * {@link Range#UNIT}, -1 for {@link Range#SYMMETRIC}). The stage notes this in the context. NaN pixels do not
 * take part in the min-max and become the lower bound; an infinite value among the valid pixels is an error.
 *
 * <p>Immutable and thread-safe.
 */
public final class NormalizeStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "normalize";

    /** The output range. */
    public enum Range implements Choice {
        /** [0, 1]. */
        UNIT("unit", 0.0),
        /** [-1, 1]. */
        SYMMETRIC("symmetric", -1.0);

        private final String word;
        private final double lower;

        Range(String word, double lower) {
            this.word = word;
            this.lower = lower;
        }

        /** @return the parameter word, e.g. {@code unit} */
        public String word() {
            return word;
        }

        /** @return the lower bound: 0 or -1 */
        public double lower() {
            return lower;
        }

        /** @return the upper bound: 1 */
        public double upper() {
            return 1.0;
        }

        /**
         * @param word a parameter word
         * @return the range it names
         * @throws IllegalArgumentException for an unknown word, listing the known ones
         */
        public static Range of(String word) {
            return Choices.parse(Range.class, ID + ".range", word);
        }
    }

    private final Range range;

    /** @param range the output range */
    public NormalizeStage(Range range) {
        this.range = Objects.requireNonNull(range, "range");
    }

    /** @return the output range */
    public Range range() {
        return range;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        boolean full = Mats.allValid(image);
        boolean anyValid = full || image.validCount() > 0;
        boolean[] mask = full ? null : image.mask();
        try (PointerScope scope = Mats.scope()) {
            if (!anyValid) {
                context.note("no valid pixel; every pixel set to " + range.lower());
                return GrayImage.wrap(w, h, Mats.floats(new Mat(h, w, CV_32F, new Scalar(range.lower()))), mask);
            }
            Mat src = Mats.pixels(image);
            Mat validMask = full ? new Mat() : Mats.mask(image);
            double[] min = {0};
            double[] max = {0};
            minMaxLoc(src, min, max, null, null, validMask);
            if (!Double.isFinite(min[0]) || !Double.isFinite(max[0])) {
                throw new IllegalArgumentException(ID + ": the valid pixels contain non-finite values (min " + min[0]
                        + ", max " + max[0] + "); cannot normalise");
            }
            if (!(max[0] > min[0])) {
                context.note("constant image (all valid pixels " + (float) min[0] + "); every pixel set to " + range.lower());
                return GrayImage.wrap(w, h, Mats.floats(new Mat(h, w, CV_32F, new Scalar(range.lower()))), mask);
            }
            // to [0, 1] in double precision (a float alpha would lose precision for extreme ranges): first shift,
            // so that the minimum becomes exactly 0, then scale; a single v * alpha + beta could leave a rounding
            // residue (e.g. 1e-17) at the minimum
            double alpha = 1.0 / (max[0] - min[0]);
            Mat shifted = new Mat();
            src.convertTo(shifted, CV_64F, 1.0, -min[0]);
            Mat unit = new Mat();
            shifted.convertTo(unit, CV_32F, alpha, 0.0);
            shifted.close();
            // NaN pixels (ignored by minMaxLoc) -> 0; then clamp against rounding: > 1 -> 1, < 0 -> 0
            patchNaNs(unit, 0.0);
            threshold(unit, unit, 1.0, 1.0, THRESH_TRUNC);
            threshold(unit, unit, 0.0, 0.0, THRESH_TOZERO);
            if (range == Range.SYMMETRIC) {
                unit.convertTo(unit, CV_32F, 2.0, -1.0);
            }
            if (full) {
                return GrayImage.wrap(w, h, Mats.floats(unit), null);
            }
            Mat out = new Mat(h, w, CV_32F, new Scalar(range.lower()));
            unit.copyTo(out, validMask);
            return GrayImage.wrap(w, h, Mats.floats(out), mask);
        }
    }

    @Override
    public String toString() {
        return ID + "[range=" + range.word() + "]";
    }
}
