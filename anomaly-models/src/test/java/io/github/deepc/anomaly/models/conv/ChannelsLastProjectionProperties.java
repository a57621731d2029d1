package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ChannelsLastProjection} against the flattened product in double: features from a pending channels-last
 * result, the weight gradient in the store's row order, and the input gradient handed back channels-last (and, read
 * from the heap, reordered into the engine's {@code [channel][image][position]} layout); a result that is not pending
 * channels-last is left to the flattening path.
 */
class ChannelsLastProjectionProperties {
    @Property(tries = 40)
    void projectsAndBackPropagatesAsTheFlattenedProduct(@ForAll @IntRange(min = 1, max = 5) int channels,
                                                        @ForAll @IntRange(min = 1, max = 4) int gridH,
                                                        @ForAll @IntRange(min = 1, max = 4) int gridW,
                                                        @ForAll @IntRange(min = 1, max = 6) int repDim,
                                                        @ForAll @IntRange(min = 1, max = 4) int n,
                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int positions = gridH * gridW;
        int flat = channels * positions;
        float[] engine = random(channels * n * positions, rng); // [c][b][s]
        float[] weights = random(flat * repDim, rng); // [c * positions + s][r]
        float[] featureGrad = random(n * repDim, rng);
        try (ChannelsLastProjection projection = new ChannelsLastProjection(channels, gridH, gridW, repDim, n, true);
             NativeMatrix last = new NativeMatrix(channels, n * positions);
             NativeMatrix rows = NativeMatrix.nativeOnly(n, flat);
             NativeMatrix outputGrad = new NativeMatrix(channels, n * positions)) {
            projection.weightsChanged(weights);
            float[] channelsLast = new float[engine.length];
            for (int c = 0; c < channels; c++) {
                for (int b = 0; b < n; b++) {
                    for (int s = 0; s < positions; s++) {
                        channelsLast[(b * positions + s) * channels + c] = engine[(c * n + b) * positions + s];
                    }
                }
            }
            rows.buffer().put(0, channelsLast, 0, channelsLast.length);
            last.channelsLastResult(new NativeMatrix.ChannelsLast(rows.address(), n, channels, gridH, gridW,
                    () -> last.buffer().put(0, engine, 0, engine.length)), n * positions);

            float[] features = new float[n * repDim];
            assertTrue(projection.forward(last, n, features));
            assertNotNull(last.channelsLast(), "the stage's result stays pending");
            for (int b = 0; b < n; b++) {
                for (int r = 0; r < repDim; r++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) {
                        for (int s = 0; s < positions; s++) {
                            sum += (double) engine[(c * n + b) * positions + s]
                                    * weights[(c * positions + s) * repDim + r];
                        }
                    }
                    assertClose(sum, features[b * repDim + r], "feature " + r + " of image " + b);
                }
            }

            float[] weightGrad = new float[flat * repDim];
            projection.backward(featureGrad, n, weightGrad, outputGrad);
            NativeMatrix.ChannelsLast handed = outputGrad.channelsLast();
            assertNotNull(handed, "the input gradient is handed over channels-last");
            assertTrue(handed.holds(n, channels, gridH, gridW));
            for (int c = 0; c < channels; c++) {
                for (int s = 0; s < positions; s++) {
                    for (int r = 0; r < repDim; r++) {
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            sum += (double) engine[(c * n + b) * positions + s] * featureGrad[b * repDim + r];
                        }
                        assertClose(sum, weightGrad[(c * positions + s) * repDim + r], "weight gradient");
                    }
                }
            }
            float[] inputGrad = outputGrad.heap(); // reordered back into the engine's layout
            for (int c = 0; c < channels; c++) {
                for (int b = 0; b < n; b++) {
                    for (int s = 0; s < positions; s++) {
                        double sum = 0;
                        for (int r = 0; r < repDim; r++) {
                            sum += (double) weights[(c * positions + s) * repDim + r] * featureGrad[b * repDim + r];
                        }
                        assertClose(sum, inputGrad[(c * n + b) * positions + s], "input gradient");
                    }
                }
            }
        }
    }

    @Property(tries = 10)
    void aResultInTheEnginesLayoutIsLeftToTheFlatteningPath(@ForAll @IntRange(min = 1, max = 3) int n) {
        try (ChannelsLastProjection projection = new ChannelsLastProjection(2, 2, 2, 3, n, true);
             NativeMatrix last = new NativeMatrix(2, n * 4)) {
            projection.weightsChanged(new float[8 * 3]);
            assertFalse(projection.forward(last, n, new float[n * 3]));
            assertFalse(projection.applied());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> projection.backward(new float[n * 3], n, new float[8 * 3], last));
            assertEquals("the backward pass over " + n + " images does not follow a channels-last forward pass over "
                    + "as many", e.getMessage());
        }
    }

    private static void assertClose(double expected, float got, String what) {
        assertEquals(expected, got, 1e-5 * (1 + Math.abs(expected)), what);
    }

    private static float[] random(int size, SplittableRandom rng) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
