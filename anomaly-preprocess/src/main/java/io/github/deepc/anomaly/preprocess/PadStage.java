package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

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
 * Stage {@code pad}: pads the image to a {@code size} x {@code size} square with {@code cv::copyMakeBorder}. The
 * added pixels have the value {@code value} and are invalid in the mask; the content keeps its values and
 * validity.
 *
 * <p>In {@link Mode#CENTRE} mode the content is placed at column {@code (size - width) / 2} and row
 * {@code (size - height) / 2} (integer division: when the padding is odd, the extra pixel goes to the right or
 * bottom); in {@link Mode#TOP_LEFT} mode at (0, 0). An image larger than {@code size} in either dimension is an
 * error: put a {@code resize} stage with the same size before {@code pad}. An image that already is
 * {@code size} x {@code size} is returned unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class PadStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "pad";
    /** Smallest accepted {@code size}. */
    public static final int MIN_SIZE = 1;
    /** Largest accepted {@code size}. */
    public static final int MAX_SIZE = 8192;

    /** Where the content goes in the padded square. */
    public enum Mode implements Choice {
        /** Centred, the extra pixel of an odd padding on the right or bottom. */
        CENTRE("centre"),
        /** In the top-left corner; all padding on the right and bottom. */
        TOP_LEFT("top-left");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** @return the parameter word, e.g. {@code centre} */
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

    private final int size;
    private final Mode mode;
    private final double value;

    /**
     * @param size  side of the padded square, in [{@value #MIN_SIZE}, {@value #MAX_SIZE}]
     * @param mode  where the content goes
     * @param value the value of the added pixels; finite and within the float range
     * @throws IllegalArgumentException if {@code size} or {@code value} is out of range
     */
    public PadStage(int size, Mode mode, double value) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("parameter " + ID + ".size=" + size + " is out of range; expected an integer in ["
                    + MIN_SIZE + ", " + MAX_SIZE + "]");
        }
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw new IllegalArgumentException("parameter " + ID + ".value=" + value
                    + " is out of range; expected a number a float can hold (magnitude at most " + Float.MAX_VALUE + ")");
        }
        this.size = size;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.value = value;
    }

    /** @return side of the padded square */
    public int size() {
        return size;
    }

    /** @return where the content goes */
    public Mode mode() {
        return mode;
    }

    /** @return the value of the added pixels */
    public double value() {
        return value;
    }

    /**
     * Where the content of an image of the given size lands in the padded square.
     *
     * @param width  image width, at most {@link #size()}
     * @param height image height, at most {@link #size()}
     * @return {@code {left, top}}: the column and row of the content's first pixel
     */
    public int[] offset(int width, int height) {
        if (mode == Mode.TOP_LEFT) {
            return new int[] {0, 0};
        }
        return new int[] {(size - width) / 2, (size - height) / 2};
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        if (w > size || h > size) {
            throw new IllegalArgumentException(ID + ".size=" + size + " is smaller than the image (" + w + "x" + h
                    + "); put a resize stage before pad");
        }
        if (w == size && h == size) {
            return image;
        }
        int[] off = offset(w, h);
        int left = off[0];
        int top = off[1];
        int right = size - w - left;
        int bottom = size - h - top;
        try (PointerScope scope = Mats.scope()) {
            Mat src = Mats.pixels(image);
            Mat dst = new Mat();
            copyMakeBorder(src, dst, top, bottom, left, right, BORDER_CONSTANT, new Scalar(value));
            Mat mask = Mats.mask(image);
            Mat maskDst = new Mat();
            copyMakeBorder(mask, maskDst, top, bottom, left, right, BORDER_CONSTANT, new Scalar(0));
            return Mats.image(dst, maskDst);
        }
    }

    @Override
    public String toString() {
        return ID + "[size=" + size + ", mode=" + mode.word() + ", value=" + value + "]";
    }
}
