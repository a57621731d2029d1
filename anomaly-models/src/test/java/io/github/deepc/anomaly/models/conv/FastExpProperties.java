package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** {@link FastExp} against {@link Math#exp}: relative error over the softmax's range, golden values, the clamps. */
class FastExpProperties {
    /**
     * Largest relative error allowed against {@code Math.exp}: under one ulp of a float. Measured once over every float
     * in {@code [MIN_ARGUMENT, MAX_ARGUMENT]} (2026-12-05): at most 8.2e-8 relative, 0.99 ulp of the exact value.
     */
    private static final double RELATIVE_BOUND = 1e-7;

    @Property(tries = 5000)
    void isWithinTheBoundOfMathExpForNonPositiveArguments(
            @ForAll @Scale(7) @FloatRange(min = FastExp.MIN_ARGUMENT, max = 0f) float x) {
        assertRelativeError(x);
    }

    @Property(tries = 2000)
    void isWithinTheBoundOfMathExpNearZero(@ForAll @Scale(7) @FloatRange(min = -1f, max = 0f) float x) {
        // the softmax's largest values: a score close to the row's maximum
        assertRelativeError(x);
    }

    @Property(tries = 2000)
    void isWithinTheBoundOfMathExpForPositiveArguments(
            @ForAll @Scale(7) @FloatRange(min = 0f, max = FastExp.MAX_ARGUMENT) float x) {
        assertRelativeError(x);
    }

    @Property(tries = 1000)
    void isMonotoneBetweenNeighbouringSamples(@ForAll @Scale(7) @FloatRange(min = FastExp.MIN_ARGUMENT, max = 0f) float x,
                                              @ForAll @Scale(7) @FloatRange(min = 0f, max = 0.5f) float step) {
        float y = Math.max(FastExp.MIN_ARGUMENT, x - step);
        assertTrue(FastExp.exp(y) <= FastExp.exp(x), () -> "exp(" + y + ") > exp(" + x + ")");
    }

    @Property(tries = 300)
    void arrayFormEqualsTheScalarOneBitForBit(@ForAll @IntRange(min = 0, max = 600) int length,
                                              @ForAll @Scale(3) @FloatRange(min = -50f, max = 50f) float shift,
                                              @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] specials = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0f, -1000f, 1000f,
            FastExp.MIN_ARGUMENT, FastExp.MAX_ARGUMENT};
        float[] values = new float[length + rng.nextInt(3)];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(20) == 0 ? specials[rng.nextInt(specials.length)]
                    : (float) (rng.nextDouble() * 200 - 150);
        }
        float[] expected = values.clone();
        for (int i = 0; i < length; i++) {
            expected[i] = FastExp.exp(values[i] - shift);
        }
        FastExp.expShifted(values, length, shift, new float[length]);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(values[i]), "value " + i);
        }
    }

    @Example
    void arrayFormRejectsShortArrays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FastExp.expShifted(new float[4], 5, 0f, new float[5]));
        assertTrue(e.getMessage().contains("5 values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FastExp.expShifted(new float[5], 5, 0f, new float[4]));
    }

    @Example
    void sweepOfTheSoftmaxRangeStaysWithinTheBound() {
        // a dense deterministic sweep beside the random samples: 2^20 evenly spaced arguments in [MIN_ARGUMENT, 0]
        int steps = 1 << 20;
        double worst = 0;
        for (int i = 0; i <= steps; i++) {
            float x = (float) (FastExp.MIN_ARGUMENT * (double) i / steps);
            worst = Math.max(worst, relativeError(x));
        }
        assertTrue(worst <= RELATIVE_BOUND, "worst relative error " + worst);
    }

    @Example
    void goldenValues() {
        assertEquals(1f, FastExp.exp(0f));
        assertEquals(1f, FastExp.exp(-0f));
        assertEquals(0.36787945f, FastExp.exp(-1f));
        assertEquals(0.60653067f, FastExp.exp(-0.5f));
        assertEquals(4.539993E-5f, FastExp.exp(-10f));
        assertEquals(2.0611537E-9f, FastExp.exp(-20f));
        assertEquals(1.9287499E-22f, FastExp.exp(-50f));
        assertEquals(2.7182817f, FastExp.exp(1f));
        assertEquals(22026.465f, FastExp.exp(10f));
    }

    @Example
    void clampsOutsideItsRangeAndKeepsNaN() {
        float smallest = FastExp.exp(FastExp.MIN_ARGUMENT);
        assertEquals((float) Math.exp(FastExp.MIN_ARGUMENT), smallest);
        assertTrue(smallest >= Float.MIN_NORMAL);
        assertEquals(smallest, FastExp.exp(-100f));
        assertEquals(smallest, FastExp.exp(Float.NEGATIVE_INFINITY));
        float largest = FastExp.exp(FastExp.MAX_ARGUMENT);
        assertEquals((float) Math.exp(FastExp.MAX_ARGUMENT), largest);
        assertTrue(largest < Float.POSITIVE_INFINITY);
        assertEquals(largest, FastExp.exp(100f));
        assertEquals(largest, FastExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(FastExp.exp(Float.NaN)));
    }

    private static void assertRelativeError(float x) {
        double error = relativeError(x);
        assertTrue(error <= RELATIVE_BOUND, () -> "exp(" + x + ") = " + FastExp.exp(x) + ", Math.exp " + Math.exp(x)
                + ", relative error " + error);
    }

    private static double relativeError(float x) {
        double exact = Math.exp(x);
        return Math.abs(FastExp.exp(x) - exact) / exact;
    }
}
