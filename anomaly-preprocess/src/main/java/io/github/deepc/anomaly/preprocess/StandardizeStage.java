package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;

/**
 * Stage {@code standardize}: per-image standardisation inside the valid mask, {@code (v - mean) / sd} over the
 * valid pixels, so that a global brightness offset and a global contrast gain of the acquisition cancel out.
 * Invalid pixels become 0 (the valid pixels' mean). An image whose valid pixels are constant (or that has none)
 * becomes all 0, with a note. Pure Java (two passes in double precision); immutable and thread-safe.
 */
public final class StandardizeStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "standardize";

    /** Creates the stage. */
    public StandardizeStage() {
    }

    @Override
    public GrayImage apply(GrayImage image, StageContext context) {
        float[] px = image.unsafePixels();
        boolean[] mask = image.unsafeMask();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < px.length; i++) {
            if (mask[i]) {
                if (!Float.isFinite(px[i])) {
                    throw new IllegalArgumentException(ID + ": valid pixel " + i + " is " + px[i] + "; cannot standardise");
                }
                sum += px[i];
                n++;
            }
        }
        float[] out = new float[px.length];
        if (n == 0) {
            context.note("no valid pixel; every pixel set to 0");
            return image.withPixels(out);
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < px.length; i++) {
            if (mask[i]) {
                double d = px[i] - mean;
                ss += d * d;
            }
        }
        double sd = Math.sqrt(ss / n);
        if (!(sd > 0)) {
            context.note("constant image (all valid pixels " + (float) mean + "); every pixel set to 0");
            return image.withPixels(out);
        }
        for (int i = 0; i < px.length; i++) {
            out[i] = mask[i] ? (float) ((px[i] - mean) / sd) : 0f;
        }
        return image.withPixels(out);
    }

    @Override
    public String toString() {
        return ID;
    }
}
