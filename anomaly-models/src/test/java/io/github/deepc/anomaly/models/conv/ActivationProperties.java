package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The activations' forward loops against their textbook definitions and the leaky rectifiers' derivative against the
 * branch it replaced, bit for bit (signed zeros and subnormals included; any NaN stays a NaN); the bias gradient's row
 * sums against a plain sum.
 */
class ActivationProperties {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            1e-44f, -1e-44f, -1f, 1f};

    @Property(tries = 200)
    void leakyRectifiersEqualTheConditional(@ForAll("lists") List<Float> values,
                                            @ForAll("values") float bias) {
        for (Activation a : new Activation[] {Activation.LEAKY_RELU, Activation.LEAKY_RELU_0_2}) {
            float slope = (float) a.slope();
            float[] z = new float[values.size()];
            for (int i = 0; i < z.length; i++) {
                z[i] = values.get(i);
            }
            float[] expected = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                float v = z[i] + bias;
                expected[i] = v < 0f ? slope * v : v;
            }
            a.forward(z, new float[] {bias}, z.length);
            for (int i = 0; i < z.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(z[i]),
                        a + " at " + expected[i] + " (bias " + bias + ", value " + values.get(i) + ")");
            }
        }
    }

    @Property(tries = 200)
    void leakyDerivativesEqualTheConditional(@ForAll("lists") List<Float> activations,
                                             @ForAll("lists") List<Float> gradients) {
        // the branch-free loop against the branch it replaced, bit for bit; a NaN activation is left out (the branch
        // kept the gradient, the clamp gives NaN: either way training has already failed)
        int size = Math.min(activations.size(), gradients.size());
        for (Activation a : new Activation[] {Activation.LEAKY_RELU, Activation.LEAKY_RELU_0_2}) {
            float slope = (float) a.slope();
            float[] y = new float[size];
            float[] g = new float[size];
            float[] expected = new float[size];
            for (int i = 0; i < size; i++) {
                y[i] = Float.isNaN(activations.get(i)) ? 1f : activations.get(i);
                g[i] = gradients.get(i);
                expected[i] = y[i] <= 0f ? g[i] * slope : g[i];
            }
            a.backward(y, g, size);
            for (int i = 0; i < size; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(g[i]),
                        a + " at activation " + y[i] + ", gradient " + gradients.get(i));
            }
        }
    }

    @Property(tries = 100)
    void rowSumsEqualPlainSumsToRounding(@ForAll("lists") List<Float> values) {
        float[] g = new float[values.size()];
        double expected = 0;
        for (int i = 0; i < g.length; i++) {
            // finite values of moderate size: the order of the additions may differ
            g[i] = Float.isFinite(values.get(i)) ? Math.max(-1e6f, Math.min(1e6f, values.get(i))) : 0f;
            expected += g[i];
        }
        float[] sums = new float[1];
        Activation.rowSums(g, g.length, sums);
        assertEquals((float) expected, sums[0], 1e-9 * g.length * 1e6 + Math.ulp((float) expected));
    }

    @Provide
    Arbitrary<List<Float>> lists() {
        return values().list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<Float> values() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.floats().between(-10f, 10f)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(toBoxed(SPECIAL))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(Float::intBitsToFloat)));
    }

    private static Float[] toBoxed(float[] v) {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = v[i];
        }
        return boxed;
    }
}
