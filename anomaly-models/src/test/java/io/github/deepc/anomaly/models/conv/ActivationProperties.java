package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The activations' forward loops against their textbook definitions, bit for bit (signed zeros included; any NaN stays
 * a NaN).
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
