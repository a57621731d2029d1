package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Stage {@code histogram-match}: maps each image's valid pixels onto a reference intensity distribution learned from
 * the training normals, so that exposure, contrast and processing curves that differ between acquisition batches
 * (any monotone change of grey levels) cancel out while the reference's grey-level spacing is kept.
 *
 * <p>A pixel's mid-rank {@code p} among its image's valid pixels ({@code (below + (equal + 1) / 2) / n}, ties share
 * one value) is looked up in the reference quantile function, piecewise linear between {@code points + 1} quantiles
 * at probabilities {@code 0, 1/points, ..., 1}. The reference is the mean over the training images of their
 * quantile functions (the Wasserstein barycentre of their histograms), learned when the detector is fitted
 * ({@link HistogramMatchStageProvider} is a fitted-stage provider) and stored as the stage's {@code reference}
 * parameter. Invalid pixels become the reference minimum. Immutable and thread-safe.
 */
public final class HistogramMatchStage implements PreprocessingStage {
    /** The stage id. */
    public static final String ID = "histogram-match";

    private final float[] reference;

    /** @param reference the reference quantiles, ascending, at least 2 */
    public HistogramMatchStage(float[] reference) {
        if (reference.length < 2) {
            throw new IllegalArgumentException(ID + ".reference needs at least 2 quantiles, got " + reference.length);
        }
        for (int i = 1; i < reference.length; i++) {
            if (!(reference[i] >= reference[i - 1])) {
                throw new IllegalArgumentException(ID + ".reference must be ascending and finite; value " + i + " is "
                        + reference[i] + " after " + reference[i - 1]);
            }
        }
        this.reference = reference.clone();
    }

    @Override
    public GrayImage apply(GrayImage image, StageContext context) {
        float[] px = image.unsafePixels();
        boolean[] mask = image.unsafeMask();
        float[] sorted = validSorted(px, mask, ID);
        float[] out = new float[px.length];
        Arrays.fill(out, reference[0]);
        int n = sorted.length;
        if (n == 0) {
            context.note("no valid pixel; every pixel set to the reference minimum");
            return image.withPixels(out);
        }
        for (int i = 0; i < px.length; i++) {
            if (mask[i]) {
                int below = lowerBound(sorted, px[i]);
                int upTo = upperBound(sorted, px[i]);
                double p = n == 1 ? 0.5 : (below + (upTo - below - 1) / 2.0) / (n - 1);
                out[i] = quantile(reference, p);
            }
        }
        return image.withPixels(out);
    }

    /** @return the valid pixels, sorted; rejects non-finite ones naming the stage */
    static float[] validSorted(float[] px, boolean[] mask, String stage) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        float[] v = new float[n];
        int k = 0;
        for (int i = 0; i < px.length; i++) {
            if (mask[i]) {
                if (!Float.isFinite(px[i])) {
                    throw new IllegalArgumentException(stage + ": valid pixel " + i + " is " + px[i]);
                }
                v[k++] = px[i];
            }
        }
        Arrays.sort(v);
        return v;
    }

    /** @return the value at probability {@code p} of a quantile table at {@code 0, 1/(m-1), ..., 1} (linear) */
    static float quantile(float[] table, double p) {
        double x = p * (table.length - 1);
        int i = (int) Math.floor(x);
        if (i >= table.length - 1) {
            return table[table.length - 1];
        }
        double f = x - i;
        return (float) (table[i] + f * (table[i + 1] - table[i]));
    }

    private static int lowerBound(float[] a, float v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(float[] a, float v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** @return the reference as the {@code reference} parameter writes it */
    static String format(float[] reference) {
        StringJoiner j = new StringJoiner(",");
        for (float f : reference) {
            j.add(String.format(Locale.ROOT, "%.6g", f));
        }
        return j.toString();
    }

    @Override
    public String toString() {
        return ID + "[" + reference.length + " quantiles, " + reference[0] + ".." + reference[reference.length - 1] + "]";
    }
}
