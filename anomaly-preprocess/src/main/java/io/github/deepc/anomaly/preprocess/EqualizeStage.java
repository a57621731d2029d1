package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Stage {@code equalize}: global histogram equalisation over the valid pixels.
 *
 * <p>The valid pixels' range {@code [min, max]} ({@code cv::minMaxLoc} with the mask) is first mapped linearly onto
 * the 8-bit levels 0..255, so that 8-bit, 16-bit and float images are all equalised on 256 levels. When every pixel
 * is valid the 8-bit image is equalised with {@code cv::equalizeHist}; otherwise the equalisation look-up table is
 * computed, exactly as {@code cv::equalizeHist} does, from the histogram of the valid pixels only
 * ({@code cv::calcHist} with the mask), so that padding or removed background never shifts it, and applied with
 * {@code cv::LUT}.
 *
 * <p>Output range: the result is on the 8-bit scale, {@code [0, 255]}, whatever the input's range (as with
 * {@code cv::equalizeHist}), stored as floats; the darkest valid level becomes 0 and the brightest 255. Invalid
 * pixels are set to 0; the mask is unchanged. A 16-bit image is therefore reduced to 256 grey levels: put a
 * {@code normalize} stage after it when a [0, 1] range is wanted.
 *
 * <p>Degenerate images: when no pixel is valid, or every valid pixel has the same value (a constant or all-black
 * image, a 1-pixel image), there is no histogram to spread; every pixel becomes 0 and the stage notes it. An
 * infinite valid pixel is an error; NaN pixels do not take part in the range and become 0.
 *
 * <p>Immutable and thread-safe.
 */
public final class EqualizeStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "equalize";

    /** Creates the stage (it has no parameters). */
    public EqualizeStage() {
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
            Mat levels = Levels.quantise(src, range[0], range[1], Levels.LEVELS_8);
            Mat equalised = new Mat();
            if (full) {
                equalizeHist(levels, equalised);
            } else {
                LUT(levels, lut(Levels.histogram(levels, validMask)), equalised);
            }
            Mat out = new Mat();
            equalised.convertTo(out, CV_32F);
            if (full) {
                return GrayImage.wrap(w, h, Mats.floats(out), null);
            }
            return GrayImage.wrap(w, h, Mats.floats(Levels.fillInvalid(out, validMask, 0.0)), mask);
        }
    }

    /**
     * The equalisation look-up table of {@code cv::equalizeHist} for a histogram: levels below the first occupied
     * one map to 0, the first occupied level to 0, and every later level to {@code round(255 * (cumulative count
     * above the first level) / (total - count of the first level))}, computed in float and rounded half to even
     * like OpenCV's {@code saturate_cast}.
     *
     * @param hist counts of the levels 0..255, with at least two occupied levels
     * @return a 1x256 {@code CV_8U} Mat
     */
    static Mat lut(double[] hist) {
        int first = 0;
        while (first < hist.length - 1 && hist[first] == 0) {
            first++;
        }
        double total = Levels.total(hist);
        byte[] table = new byte[Levels.LEVELS_8];
        long rest = Math.round(total - hist[first]);
        if (rest > 0) {
            // float arithmetic and round-half-even, as cv::equalizeHist, so that both paths agree exactly
            float scale = 255f / rest;
            long sum = 0;
            for (int i = first + 1; i < table.length; i++) {
                sum += Math.round(hist[i]);
                table[i] = (byte) (int) Math.min(255.0, Math.rint(sum * scale));
            }
        }
        Mat m = new Mat(1, Levels.LEVELS_8, CV_8U, new Scalar(0));
        ByteBuffer buf = m.createBuffer();
        buf.put(table);
        return m;
    }

    @Override
    public String toString() {
        return ID;
    }
}
