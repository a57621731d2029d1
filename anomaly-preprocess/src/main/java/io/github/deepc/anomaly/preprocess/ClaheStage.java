package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.createCLAHE;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.CLAHE;

/**
 * Stage {@code clahe}: contrast-limited adaptive histogram equalisation ({@code cv::createCLAHE}).
 *
 * <p>The image is divided into a {@code tile-grid} x {@code tile-grid} grid of tiles; each tile's histogram is
 * clipped at {@code clip-limit} times the mean bin count (the excess redistributed over all bins; 0 disables
 * clipping) and equalised, and pixels are interpolated bilinearly between the neighbouring tiles' mappings.
 *
 * <p>The valid pixels' range {@code [min, max]} is first mapped linearly onto the levels of {@link Depth}: 0..255
 * for {@link Depth#BITS_8} (the default: fast, and what most radiograph pipelines use) or 0..65535 for
 * {@link Depth#BITS_16}, which keeps the finer grey levels of 16-bit radiographs ({@code CV_16U} CLAHE; slower,
 * 65536-bin histograms per tile, and OpenCV divides the clip limit over 65536 bins, so it clips much harder).
 * Output range: whichever the depth, the result is on the 8-bit scale {@code [0, 255]} (16-bit levels divided by
 * 257, so they keep their fractional precision), stored as floats. Invalid pixels take part in the tiles'
 * histograms as the valid pixels' mean level, which the clip limit keeps from dominating a tile (put
 * {@code clahe} before {@code pad}), and are set to 0 in the output; the mask is unchanged.
 *
 * <p>Degenerate images: when no pixel is valid or every valid pixel has the same value (constant, all black,
 * 1 pixel), every pixel becomes 0 and the stage notes it. An image narrower or lower than the grid gets fewer
 * tiles along that side (one tile per pixel at most), and the stage notes it. An infinite valid pixel is an error.
 *
 * <p>Immutable and thread-safe: the OpenCV CLAHE object, which keeps working buffers, is created per call.
 */
public final class ClaheStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "clahe";
    /** Largest accepted {@code clip-limit}. */
    public static final double MAX_CLIP_LIMIT = 1000.0;
    /** Largest accepted {@code tile-grid}. */
    public static final int MAX_TILE_GRID = 64;

    /** The grey levels CLAHE works on. */
    public enum Depth implements Choice {
        /** 256 levels ({@code CV_8U}). */
        BITS_8("8", Levels.LEVELS_8),
        /** 65536 levels ({@code CV_16U}). */
        BITS_16("16", Levels.LEVELS_16);

        private final String word;
        private final int levels;

        Depth(String word, int levels) {
            this.word = word;
            this.levels = levels;
        }

        /** @return the parameter word, {@code 8} or {@code 16} */
        public String word() {
            return word;
        }

        /** @return the number of grey levels */
        public int levels() {
            return levels;
        }

        /**
         * @param word a parameter word
         * @return the depth it names
         * @throws IllegalArgumentException for an unknown word, listing the known ones
         */
        public static Depth of(String word) {
            return Choices.parse(Depth.class, ID + ".depth", word);
        }
    }

    private final double clipLimit;
    private final int tileGrid;
    private final Depth depth;

    /**
     * @param clipLimit contrast limit per tile, in [0, {@value #MAX_CLIP_LIMIT}]; 0 disables clipping
     * @param tileGrid  number of tiles along each side, in [1, {@value #MAX_TILE_GRID}]
     * @param depth     the grey levels CLAHE works on
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public ClaheStage(double clipLimit, int tileGrid, Depth depth) {
        if (!(clipLimit >= 0 && clipLimit <= MAX_CLIP_LIMIT)) {
            throw new IllegalArgumentException("parameter " + ID + ".clip-limit=" + clipLimit
                    + " is out of range; expected a number in [0.0, " + MAX_CLIP_LIMIT + "]");
        }
        if (tileGrid < 1 || tileGrid > MAX_TILE_GRID) {
            throw new IllegalArgumentException("parameter " + ID + ".tile-grid=" + tileGrid
                    + " is out of range; expected an integer in [1, " + MAX_TILE_GRID + "]");
        }
        this.clipLimit = clipLimit;
        this.tileGrid = tileGrid;
        this.depth = Objects.requireNonNull(depth, "depth");
    }

    /** @return the contrast limit */
    public double clipLimit() {
        return clipLimit;
    }

    /** @return the number of tiles along each side */
    public int tileGrid() {
        return tileGrid;
    }

    /** @return the grey levels CLAHE works on */
    public Depth depth() {
        return depth;
    }

    @Override
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    public GrayImage apply(GrayImage image, StageContext context) {
        int w = image.width();
        int h = image.height();
        boolean full = Mats.allValid(image);
        int count = full ? image.size() : image.validCount();
        boolean[] mask = full ? null : image.mask();
        try (PointerScope scope = Mats.scope()) {
            Mat src = Mats.pixels(image);
            Mat validMask = full ? new Mat() : Mats.mask(image);
            double[] range = Levels.validRange(src, validMask, count, ID);
            if (range == null || !(range[1] > range[0])) {
                context.note(range == null ? "no valid pixel; every pixel set to 0"
                        : "constant image (all valid pixels " + (float) range[0] + "); every pixel set to 0");
                return GrayImage.wrap(w, h, new float[image.size()], mask);
            }
            Mat levels = Levels.quantise(src, range[0], range[1], depth.levels());
            if (!full) {
                Scalar fill = mean(levels, validMask);
                Mat invalid = new Mat();
                bitwise_not(validMask, invalid);
                levels.setTo(new Mat(new Scalar(Math.rint(fill.get(0)))), invalid);
            }
            int tilesX = Math.min(tileGrid, w);
            int tilesY = Math.min(tileGrid, h);
            if (tilesX < tileGrid || tilesY < tileGrid) {
                context.note("image " + w + "x" + h + " is smaller than the tile grid " + tileGrid + "x" + tileGrid
                        + "; using " + tilesX + "x" + tilesY + " tiles");
            }
            CLAHE clahe = createCLAHE(clipLimit, new Size(tilesX, tilesY));
            Mat equalised = new Mat();
            clahe.apply(levels, equalised);
            Mat out = new Mat();
            equalised.convertTo(out, CV_32F, 255.0 / (depth.levels() - 1), 0.0);
            if (full) {
                return GrayImage.wrap(w, h, Mats.floats(out), null);
            }
            return GrayImage.wrap(w, h, Mats.floats(Levels.fillInvalid(out, validMask, 0.0)), mask);
        }
    }

    @Override
    public String toString() {
        return ID + "[clip-limit=" + clipLimit + ", tile-grid=" + tileGrid + ", depth=" + depth.word() + "]";
    }
}
