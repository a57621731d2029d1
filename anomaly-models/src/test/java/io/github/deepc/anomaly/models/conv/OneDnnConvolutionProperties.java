package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's inference forward pass of a stage ({@link OneDnnConvolution}, used by layers built for inference only)
 * against the column gather and matrix product of a trainable layer on the column path with the same weights: convolutions and
 * transposed ones, odd and even kernels up to 7, every activation (fused, or applied in Java where the layer keeps its
 * logits), uneven sides, passes of fewer images after more, weights changed between passes, and two layers in a row
 * handing their result over natively (channels-last between convolutions), with and without Java changing it in
 * between.
 */
class OneDnnConvolutionProperties {
    @Property(tries = 60)
    void inferenceEqualsTheColumnPath(@ForAll boolean transposed, @ForAll @IntRange(min = 1, max = 7) int k,
                                      @ForAll Activation activation, @ForAll boolean keepLogits,
                                      @ForAll @IntRange(min = 1, max = 5) int in,
                                      @ForAll @IntRange(min = 1, max = 6) int out,
                                      @ForAll @IntRange(min = 1, max = 5) int halfH,
                                      @ForAll @IntRange(min = 1, max = 5) int halfW,
                                      @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
        Stage stage = new Stage(transposed, in, out, k, activation);
        if (!OneDnnConvolution.supports(stage)) {
            return; // the inference layer keeps the column path (checked below)
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int inH = transposed ? halfH : 2 * halfH;
        int inW = transposed ? halfW : 2 * halfW;
        float[][] params = {random(stage.weightCount(), rng), random(out, rng)};
        try (StageLayer reference = layer(stage, inH, inW, n, true, params);
             StageLayer inference = layer(stage, inH, inW, n, false, params);
             NativeMatrix input = new NativeMatrix(in, n * inH * inW)) {
            assertNotNull(inference.oneDnn, "oneDNN computes inference where it is the product library");
            if (keepLogits) {
                // the product alone by oneDNN, then the bias and activation in Java
                reference.keepLogits();
                inference.keepLogits();
            }
            reference.pushWeights();
            inference.pushWeights();
            for (int images : new int[] {n, Math.max(1, n - 2), n}) {
                float[] x = random(in * images * inH * inW, rng);
                assertSameOutputs(reference, inference, input, x, images);
            }
            // new weights: the inference layer must reorder them again
            float[] changed = random(params[0].length, rng);
            System.arraycopy(changed, 0, params[0], 0, changed.length);
            reference.pushWeights();
            inference.pushWeights();
            assertSameOutputs(reference, inference, input, random(in * n * inH * inW, rng), n);
        }
    }

    @Property(tries = 30)
    void chainedInferenceLayersHandTheirResultsOverNatively(@ForAll boolean transposed,
                                                            @ForAll @IntRange(min = 3, max = 5) int k,
                                                            @ForAll boolean javaBetween,
                                                            @ForAll @IntRange(min = 1, max = 3) int n,
                                                            @ForAll long seed) {
        // two stages in a row; where Java reads and changes the first result in between (as a pixel norm does), the
        // second must see the change
        SplittableRandom rng = new SplittableRandom(seed);
        Stage first = new Stage(transposed, 2, 3, k, Activation.LEAKY_RELU_0_2);
        Stage second = new Stage(transposed, 3, 2, k, Activation.TANH);
        int h0 = transposed ? 2 : 8;
        int h1 = transposed ? 4 : 4;
        float[][] p1 = {random(first.weightCount(), rng), random(3, rng)};
        float[][] p2 = {random(second.weightCount(), rng), random(2, rng)};
        try (StageLayer r1 = layer(first, h0, h0, n, true, p1); StageLayer r2 = layer(second, h1, h1, n, true, p2);
             StageLayer i1 = layer(first, h0, h0, n, false, p1); StageLayer i2 = layer(second, h1, h1, n, false, p2);
             NativeMatrix input = new NativeMatrix(2, n * h0 * h0)) {
            for (StageLayer l : new StageLayer[] {r1, r2, i1, i2}) {
                l.pushWeights();
            }
            for (int pass = 0; pass < 2; pass++) {
                float[] x = random(2 * n * h0 * h0, rng);
                System.arraycopy(x, 0, input.heap(), 0, x.length);
                NativeMatrix mid = r1.forward(input, n);
                if (javaBetween) {
                    halve(mid.heap());
                }
                float[] expected = r2.forward(mid, n).heap().clone();
                System.arraycopy(x, 0, input.heap(), 0, x.length);
                NativeMatrix nativeMid = i1.forward(input, n);
                // a convolution leaves its result channels-last for the next one; a transposed stage does not fuse
                assertEquals(!transposed, nativeMid.channelsLast() != null, "pending channels-last result");
                if (javaBetween) {
                    halve(nativeMid.heap());
                }
                float[] got = i2.forward(nativeMid, n).heap();
                for (int i = 0; i < 2 * i2.outputCols(n); i++) {
                    assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])), "output " + i);
                }
            }
        }
    }

    private static void halve(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= 0.5f;
        }
    }

    @Test
    void aTransposedOneByOneKernelAndATransposedSingleChannelOutputKeepTheColumnPath() {
        for (Stage stage : new Stage[] {new Stage(true, 2, 3, 1, Activation.LINEAR),
            new Stage(true, 4, 1, 4, Activation.SIGMOID)}) {
            assertFalse(OneDnnConvolution.supports(stage), stage.toString());
            try (StageLayer layer = layer(stage, 3, 3, 2, false, null)) {
                assertNull(layer.oneDnn, stage.toString());
            }
        }
        assertTrue(OneDnnConvolution.supports(new Stage(false, 2, 3, 1, Activation.LINEAR)));
        assertTrue(OneDnnConvolution.supports(new Stage(false, 4, 1, 4, Activation.SIGMOID)));
    }

    /** @return a layer; a trainable one on the column path (the reference), one for inference on oneDNN's */
    private static StageLayer layer(Stage stage, int inH, int inW, int n, boolean trainable, float[][] params) {
        return stage.transposed() ? new StageLayer.Up(stage, inH, inW, n, trainable, true, params, trainable)
                : new StageLayer.Down(stage, inH, inW, n, trainable, true, params, trainable);
    }

    private static void assertSameOutputs(StageLayer reference, StageLayer inference, NativeMatrix input, float[] x,
                                          int images) {
        System.arraycopy(x, 0, input.heap(), 0, x.length);
        float[] expected = reference.forward(input, images).heap().clone();
        float[] got = inference.forward(input, images).heap();
        int size = inference.stage.out() * inference.outputCols(images);
        for (int i = 0; i < size; i++) {
            assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])), "output " + i + " of " + size
                    + " for " + images + " images, " + inference.stage);
        }
    }

    private static float[] random(int size, SplittableRandom rng) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
