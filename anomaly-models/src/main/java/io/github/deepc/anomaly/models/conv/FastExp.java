package io.github.deepc.anomaly.models.conv;

/**
 * A float {@code exp} for the softmax of {@link SelfAttentionLayer}, accurate to about one ulp over
 * {@code [}{@value #MIN_ARGUMENT}{@code , }{@value #MAX_ARGUMENT}{@code ]} and several times cheaper than
 * {@code (float) Math.exp(x)}.
 *
 * <p>Why hand-written: the JVM has no fast float {@code exp}; {@link Math#exp} works in double precision to a half
 * ulp, and the vectorised ones (the incubator Vector API) need a JVM flag, which a library must not require. The
 * construction is Cephes' {@code expf} (S. L. Moshier): {@code x = n ln2 + r} with {@code n} the nearest integer to
 * {@code x / ln2} (rounded by adding and subtracting {@code 1.5 * 2^23}), {@code r} computed with {@code ln2} split
 * into an exact high part and a small low part (Cody and Waite), {@code exp(r) = 1 + r + r^2 P(r)} with Cephes'
 * degree-5 minimax polynomial on {@code |r| <= ln2 / 2}, and {@code 2^n} built from the float's exponent bits.
 *
 * <p>Arguments are clamped to the range above: below it the result is {@code exp(}{@value #MIN_ARGUMENT}{@code )}, about
 * {@code 1.2e-38} (the smallest normal float) rather than a subnormal or 0, an absolute error under {@code 1.2e-38};
 * above it the result is {@code exp(}{@value #MAX_ARGUMENT}{@code ) = 2^127}, about {@code 1.7e38}, rather than infinity. NaN
 * gives NaN. The result is a pure function of the argument (no state, same value on every call and thread).
 */
public final class FastExp {
    /** The smallest argument computed as such: {@code ln} of the smallest normal float, rounded up. */
    public static final float MIN_ARGUMENT = -87.33654f;
    /** The largest argument computed as such ({@code 2^n} stays a normal float for {@code n <= 127}). */
    public static final float MAX_ARGUMENT = 88.02969f;

    private static final float LOG2E = 1.44269504088896341f;
    /** {@code ln 2} split: the high part has few bits, so {@code n * LN2_HIGH} is exact for the {@code n} used here. */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** Adding and subtracting {@code 1.5 * 2^23} rounds a float of magnitude under {@code 2^22} to an integer. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private FastExp() {
    }

    /**
     * @param x the argument
     * @return {@code e^x} to about one ulp for {@code x} in {@code [MIN_ARGUMENT, MAX_ARGUMENT]}, the value at the
     *     nearer end of that range outside it, NaN for NaN
     */
    public static float exp(float x) {
        // comparisons rather than Math.max/min (whose NaN and signed-zero handling costs about a third of the time
        // here); a NaN fails both comparisons and flows through to the result
        float v = x < MIN_ARGUMENT ? MIN_ARGUMENT : x;
        v = v > MAX_ARGUMENT ? MAX_ARGUMENT : v;
        float shifted = v * LOG2E + ROUNDER;
        int n = Float.floatToRawIntBits(shifted) - ROUNDER_BITS;
        float k = shifted - ROUNDER;
        float r = v - k * LN2_HIGH - k * LN2_LOW;
        float p = P0;
        p = p * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        float er = p * (r * r) + r + 1f;
        // 2^n from its exponent bits; n is in [-126, 127] after the clamp (NaN's n is arbitrary; er is NaN then)
        return er * Float.intBitsToFloat(((n + 127) & 0xff) << 23);
    }

    /**
     * Replaces {@code values[i]} by {@code exp(values[i] - shift)} for {@code i < length}, each equal bit for bit to
     * {@link #exp(float)} of that difference, at about twice its speed: the same operations as {@link #exp(float)}
     * in two loops over arrays read and written from index 0, which HotSpot's C2 compiles to SIMD instructions (as
     * measured on Java 17; a loop over a sub-range at an offset, or one step that converts a float to an int, keeps
     * it scalar). {@code scratch} takes the shifted exponents between the loops.
     *
     * @param values  the arguments, overwritten by the results
     * @param length  how many values, from index 0
     * @param shift   subtracted from every value first (a softmax passes the row's maximum)
     * @param scratch at least {@code length} floats of workspace
     */
    public static void expShifted(float[] values, int length, float shift, float[] scratch) {
        if (length > values.length || length > scratch.length) {
            throw new IllegalArgumentException("expShifted over " + length + " values needs arrays of at least that"
                    + " length, got " + values.length + " values and " + scratch.length + " scratch");
        }
        for (int i = 0; i < length; i++) {
            // Math.max/min give the same values as exp's comparisons (NaN and -0 included) and do vectorise
            float v = Math.min(Math.max(values[i] - shift, MIN_ARGUMENT), MAX_ARGUMENT);
            float shifted = v * LOG2E + ROUNDER;
            float k = shifted - ROUNDER;
            float r = v - k * LN2_HIGH - k * LN2_LOW;
            float p = P0;
            p = p * r + P1;
            p = p * r + P2;
            p = p * r + P3;
            p = p * r + P4;
            p = p * r + P5;
            values[i] = p * (r * r) + r + 1f;
            scratch[i] = shifted;
        }
        for (int i = 0; i < length; i++) {
            int n = Float.floatToRawIntBits(scratch[i]) - ROUNDER_BITS;
            values[i] *= Float.intBitsToFloat(((n + 127) & 0xff) << 23);
        }
    }
}
