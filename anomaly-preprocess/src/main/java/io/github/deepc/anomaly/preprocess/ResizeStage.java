package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Stage {@code resize}: scales the image so that its longest side equals {@code size}, keeping the aspect ratio.
 * The other side is {@code round(side * size / longest)}, at least 1 pixel; a 100x50 image with size 64 becomes
 * 64x32.
 *
 * <p>Pixels are interpolated with {@code cv::resize}: by default ({@link Interpolation#AUTO}) with
 * {@code INTER_AREA} when shrinking, which averages and so avoids aliasing, and {@code INTER_LINEAR} when
 * enlarging. The mask is resized with {@code INTER_NEAREST}, so it stays a clean valid/invalid map. Note that
 * area and linear interpolation mix neighbouring pixels, invalid ones included: put {@code resize} before stages
 * that add invalid padding ({@code pad}). An image that already has the target size is returned unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResizeStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "resize";
    /** Smallest accepted {@code size}. */
    public static final int MIN_SIZE = 8;
    /** Largest accepted {@code size}. */
    public static final int MAX_SIZE = 8192;

    /** How pixel values are interpolated. */
    public enum Interpolation implements Choice {
        /** {@code INTER_AREA} when shrinking, {@code INTER_LINEAR} when enlarging. */
        AUTO("auto"),
        /** {@code INTER_AREA}: pixel-area averaging. */
        AREA("area"),
        /** {@code INTER_LINEAR}: bilinear. */
        LINEAR("linear"),
        /** {@code INTER_NEAREST}: nearest neighbour, keeps the original values. */
        NEAREST("nearest");

        private final String word;

        Interpolation(String word) {
            this.word = word;
        }

        /** @return the parameter word, e.g. {@code auto} */
        public String word() {
            return word;
        }

        /**
         * @param word a parameter word
         * @return the interpolation it names
         * @throws IllegalArgumentException for an unknown word, listing the known ones
         */
        public static Interpolation of(String word) {
            return Choices.parse(Interpolation.class, ID + ".interpolation", word);
        }
    }

    private final int size;
    private final Interpolation interpolation;

    /**
     * @param size          the length of the longest side after resizing, in [{@value #MIN_SIZE},
     *                      {@value #MAX_SIZE}]
     * @param interpolation how pixel values are interpolated
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public ResizeStage(int size, Interpolation interpolation) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("parameter " + ID + ".size=" + size + " is out of range; expected an integer in ["
                    + MIN_SIZE + ", " + MAX_SIZE + "]");
        }
        this.size = size;
        this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
    }

    /** @return the length of the longest side after resizing */
    public int size() {
        return size;
    }

    /** @return how pixel values are interpolated */
    public Interpolation interpolation() {
        return interpolation;
    }

    /**
     * The output size for an input size.
     *
     * @param width  input width
     * @param height input height
     * @return {@code {width, height}} after resizing
     */
    public int[] targetSize(int width, int height) {
        if (width >= height) {
            return new int[] {size, scaled(height, width)};
        }
        return new int[] {scaled(width, height), size};
    }

    private int scaled(int side, int longest) {
        return (int) Math.max(1L, Math.round((double) side * size / longest));
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int[] target = targetSize(image.width(), image.height());
        int w = target[0];
        int h = target[1];
        if (w == image.width() && h == image.height()) {
            return image;
        }
        boolean shrinking = Math.max(image.width(), image.height()) > size;
        int flag = switch (interpolation) {
            case AUTO -> shrinking ? INTER_AREA : INTER_LINEAR;
            case AREA -> INTER_AREA;
            case LINEAR -> INTER_LINEAR;
            case NEAREST -> INTER_NEAREST;
        };
        boolean full = Mats.allValid(image);
        try (PointerScope scope = Mats.scope()) {
            Size dsize = new Size(w, h);
            Mat src = Mats.pixels(image);
            Mat dst = new Mat();
            resize(src, dst, dsize, 0, 0, flag);
            if (full) {
                return Mats.image(dst, null);
            }
            Mat mask = Mats.mask(image);
            Mat maskDst = new Mat();
            resize(mask, maskDst, dsize, 0, 0, INTER_NEAREST);
            return Mats.image(dst, maskDst);
        }
    }

    @Override
    public String toString() {
        return ID + "[size=" + size + ", interpolation=" + interpolation.word() + "]";
    }
}
