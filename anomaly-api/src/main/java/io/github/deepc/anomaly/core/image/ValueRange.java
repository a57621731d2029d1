package io.github.deepc.anomaly.core.image;

import java.util.Locale;
import java.util.Optional;

/**
 * A closed interval of pixel values, {@code [min, max]}: what a model needs of its input
 * ({@link io.github.deepc.anomaly.core.model.InputRequirements#valueRange()}) and what a preprocessing stage
 * guarantees about its output ({@link io.github.deepc.anomaly.core.spi.StageProvider#outputRange}). Bounds may be
 * infinite (e.g. {@code [0, +inf)} for "non-negative"). Immutable.
 *
 * @param min the smallest value, not NaN
 * @param max the largest value, not NaN, at least {@code min}
 */
public record ValueRange(double min, double max) {
    /** [0, 1], e.g. min-max normalisation's {@code unit} range or a sigmoid's outputs. */
    public static final ValueRange UNIT = new ValueRange(0, 1);
    /** [-1, 1], e.g. min-max normalisation's {@code symmetric} range or a tanh's outputs. */
    public static final ValueRange SYMMETRIC = new ValueRange(-1, 1);
    /** [0, 255], the 8-bit grey levels (e.g. histogram equalisation's output). */
    public static final ValueRange BYTE = new ValueRange(0, 255);

    /** Checks the bounds. */
    public ValueRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("a value range needs min <= max (neither NaN), got [" + min + ", " + max + "]");
        }
    }

    /**
     * @param outer another range
     * @return whether every value of this range lies in {@code outer}
     */
    public boolean within(ValueRange outer) {
        return min >= outer.min && max <= outer.max;
    }

    /**
     * @param value a value
     * @param slack how far outside the bounds still counts as inside (rounding), at least 0
     * @return whether the value lies in this range widened by {@code slack}
     */
    public boolean contains(double value, double slack) {
        return value >= min - slack && value <= max + slack;
    }

    /**
     * @param value a value
     * @return the smallest range holding this one and the value (e.g. a stage that adds pixels of a fixed value)
     */
    public ValueRange including(double value) {
        return new ValueRange(Math.min(min, value), Math.max(max, value));
    }

    /**
     * @param other another range
     * @return the smallest range holding both
     */
    public ValueRange hull(ValueRange other) {
        return new ValueRange(Math.min(min, other.min), Math.max(max, other.max));
    }

    /**
     * @param lowFactor  the smallest factor, finite
     * @param highFactor the largest factor, finite, at least {@code lowFactor}
     * @return the range of {@code v * f} for {@code v} in this range and {@code f} in {@code [lowFactor, highFactor]}
     */
    public ValueRange times(double lowFactor, double highFactor) {
        double[] corners = {min * lowFactor, min * highFactor, max * lowFactor, max * highFactor};
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double c : corners) {
            // 0 * inf is NaN: a zero factor maps every finite value, and by continuity the bound, to 0
            double v = Double.isNaN(c) ? 0 : c;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new ValueRange(lo, hi);
    }

    /**
     * The range of an image's finite pixels, valid or not (a model sees every pixel).
     *
     * @param image an image
     * @return {@code [min, max]} of its finite pixels, or empty when it has none
     */
    public static Optional<ValueRange> of(GrayImage image) {
        float[] p = image.unsafePixels();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : p) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? Optional.of(new ValueRange(lo, hi)) : Optional.empty();
    }

    /** @return {@code [min, max]} with short numbers, e.g. {@code [0, 1]} or {@code [0, +inf)} */
    @Override
    public String toString() {
        return (min == Double.NEGATIVE_INFINITY ? "(-inf" : "[" + number(min)) + ", "
                + (max == Double.POSITIVE_INFINITY ? "+inf)" : number(max) + "]");
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v); // six significant digits, trailing zeros dropped
        return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
