package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The engine's own contract: shape checks with clear messages, parameters in and out, inference-only instances and a
 * hand-computed forward pass and Adam step on a one-pixel-kernel network. (Equality with the SameDiff graph, outputs
 * and gradients, is {@code cae.DirectEngineTest}.)
 */
class DirectAutoencoderTest {
    private static final List<Stage> TINY = List.of(new Stage(false, 1, 1, 1, Activation.LINEAR),
            new Stage(true, 1, 1, 1, Activation.LINEAR));

    @Test
    void stagesThatDoNotChainOrDoNotGiveBackTheInputShapeAreRejected() {
        assertMessage(() -> new DirectAutoencoder(List.of(new Stage(false, 1, 4, 3, Activation.RELU),
                new Stage(true, 3, 1, 3, Activation.SIGMOID)), 8, 8, 2, true), "stage 1 reads 3 channels");
        assertMessage(() -> new DirectAutoencoder(List.of(new Stage(false, 1, 1, 3, Activation.RELU)), 8, 8, 2, true),
                "give back its input's shape");
        assertMessage(() -> new DirectAutoencoder(List.of(new Stage(false, 1, 2, 3, Activation.RELU),
                new Stage(false, 2, 2, 3, Activation.RELU), new Stage(true, 2, 2, 3, Activation.RELU),
                new Stage(true, 2, 1, 3, Activation.SIGMOID)), 6, 8, 2, true), "sides must be even");
        assertMessage(() -> new DirectAutoencoder(TINY, 4, 4, 0, true), "0 images");
        assertMessage(() -> new Stage(false, 1, 1, 0, Activation.RELU), "at least 1");
    }

    @Test
    void parametersGoInAndComeOutInPyTorchLayout() {
        try (DirectAutoencoder net = new DirectAutoencoder(List.of(new Stage(false, 1, 2, 3, Activation.RELU),
                new Stage(true, 2, 1, 3, Activation.SIGMOID)), 4, 4, 2, true)) {
            float[] w = new float[18];
            for (int i = 0; i < w.length; i++) {
                w[i] = i / 10f;
            }
            net.setParameters(1, w, new float[] {0.5f});
            assertArrayEquals(w, net.parameters(1)[0]);
            assertArrayEquals(new float[] {0.5f}, net.parameters(1)[1]);
            assertMessage(() -> net.setParameters(0, new float[17], new float[2]), "18 weights and 2 biases");
            assertMessage(() -> net.reconstruct(new float[16], 3), "[1, 2]");
            assertMessage(() -> net.reconstruct(new float[15], 1), "pixels holds 15 values");
        }
    }

    @Test
    void anInferenceOnlyInstanceRefusesToTrain() {
        try (DirectAutoencoder net = new DirectAutoencoder(TINY, 2, 2, 1, false)) {
            assertEquals(4, net.reconstruct(new float[4], 1).length);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.trainStep(new float[4], new float[4], null, 1, 1e-3));
            assertTrue(e.getMessage().contains("inference only"), e.getMessage());
        }
    }

    @Test
    void oneByOneKernelsGiveHandComputedOutputsLossGradientsAndAdamStep() {
        // conv 1x1 stride 2 keeps pixel (0,0) of each 2x2 block times a; the transposed 1x1 conv puts c times it back
        // at (0,0) and leaves the other three at the bias d: out = [c(a x00 + b) + d, d, d, d]
        try (DirectAutoencoder net = new DirectAutoencoder(TINY, 2, 2, 1, true)) {
            net.setParameters(0, new float[] {2f}, new float[] {1f});
            net.setParameters(1, new float[] {3f}, new float[] {0.5f});
            float[] x = {1f, 0f, 0f, 1f};
            assertArrayEquals(new float[] {9.5f, 0.5f, 0.5f, 0.5f}, net.reconstruct(x, 1));
            // all pixels valid: loss = mean((out - x)^2) = (8.5^2 + 0.25 + 0.25 + 0.25) / 4
            float[] mask = {1f, 1f, 1f, 1f};
            assertEquals((72.25 + 0.75) / 4, net.gradients(x, mask, null, 1), 1e-6);
            // dL/dout = 2 (out - x) / 4 = [4.25, 0.25, 0.25, -0.25]; dL/dd = 4.5, dL/dc = 4.25 * 3 (the code),
            // dL/d(code) = 4.25 * 3 = 12.75, dL/da = 12.75 * x00 = 12.75, dL/db = 12.75
            assertArrayEquals(new float[] {12.75f}, net.gradients(1)[0]);
            assertArrayEquals(new float[] {4.5f}, net.gradients(1)[1]);
            assertArrayEquals(new float[] {12.75f}, net.gradients(0)[0]);
            assertArrayEquals(new float[] {12.75f}, net.gradients(0)[1]);
            // Adam's first step moves every parameter by lr * sign(gradient) (up to eps)
            net.trainStep(x, mask, null, 1, 0.1);
            assertEquals(1.9f, net.parameters(0)[0][0], 1e-6);
            assertEquals(0.9f, net.parameters(0)[1][0], 1e-6);
            assertEquals(2.9f, net.parameters(1)[0][0], 1e-6);
            assertEquals(0.4f, net.parameters(1)[1][0], 1e-6);
        }
    }

    @Test
    void memoryPerImageCountsEveryWorkingMatrix() {
        List<Stage> reference = List.of(new Stage(false, 1, 32, 3, Activation.RELU),
                new Stage(false, 32, 64, 3, Activation.RELU), new Stage(false, 64, 128, 3, Activation.RELU),
                new Stage(true, 128, 64, 3, Activation.RELU), new Stage(true, 64, 32, 3, Activation.RELU),
                new Stage(true, 32, 1, 3, Activation.SIGMOID));
        // input 4096; per stage columns + outputs: 9216 + 32768, 73728 + 16384, 36864 + 8192 (encoder),
        // 36864 + 16384, 73728 + 32768, 9216 + 4096 (decoder)
        assertEquals(354_304, DirectAutoencoder.floatsPerImage(reference, null, 64, 64, false));
        // the columns and outputs twice (with their gradients) and the decoder's input gradients
        assertEquals(4096 + 2 * (354_304 - 4096) + 128 * 64 + 64 * 256 + 32 * 1024,
                DirectAutoencoder.floatsPerImage(reference, null, 64, 64, true));
        // a bottleneck adds the flattened code and the decoder's input (8x8x128 each)
        assertEquals(354_304 + 2 * 8192,
                DirectAutoencoder.floatsPerImage(reference, new Bottleneck(false, 16, 0), 64, 64, false));
    }

    private static void assertMessage(Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aBatchLargerThanTheWorkingMatricesTrainsInChunksAsOneStep() {
        List<Stage> stages = List.of(new Stage(false, 1, 3, 3, Activation.RELU),
                new Stage(false, 3, 4, 3, Activation.RELU), new Stage(true, 4, 3, 3, Activation.RELU),
                new Stage(true, 3, 1, 3, Activation.SIGMOID));
        int n = 5;
        int side = 8;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        float[] pixels = new float[n * side * side];
        float[] masks = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
            masks[i] = rng.nextDouble() < 0.85 ? 1f : 0f;
        }
        float[] noise = new float[n * 4];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        // the whole batch in one pass against chunks of 2, 2 and 1 images
        try (DirectAutoencoder whole = new DirectAutoencoder(stages, new Bottleneck(true, 4, 0.5),
                io.github.deepc.anomaly.models.score.reconstruction.PixelLoss.BCE, side, side, n, true);
             DirectAutoencoder chunked = new DirectAutoencoder(stages, new Bottleneck(true, 4, 0.5),
                     io.github.deepc.anomaly.models.score.reconstruction.PixelLoss.BCE, side, side, 2, true)) {
            java.util.SplittableRandom init = new java.util.SplittableRandom(8);
            for (int s = 0; s < stages.size(); s++) {
                Stage st = stages.get(s);
                float[] w = new float[st.in() * st.out() * 9];
                float[] b = new float[st.out()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) ((init.nextDouble() - 0.5) * 0.6);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) ((init.nextDouble() - 0.5) * 0.2);
                }
                whole.setParameters(s, w, b);
                chunked.setParameters(s, w, b);
            }
            for (int d = 0; d < whole.denseLayers(); d++) {
                float[][] p = whole.denseParameters(d);
                for (int i = 0; i < p[0].length; i++) {
                    p[0][i] = (float) ((init.nextDouble() - 0.5) * 0.3);
                }
                whole.setDenseParameters(d, p[0], p[1]);
                chunked.setDenseParameters(d, p[0], p[1]);
            }
            for (int step = 0; step < 3; step++) {
                double a = whole.trainStep(pixels, masks, noise, n, 1e-2);
                double b = chunked.trainStep(pixels, masks, noise, n, 1e-2);
                assertEquals(a, b, 1e-5 * Math.abs(a), "loss of step " + step);
            }
            for (int s = 0; s < stages.size(); s++) {
                assertClose(whole.parameters(s)[0], chunked.parameters(s)[0], "stage " + s + " weights");
                assertClose(whole.parameters(s)[1], chunked.parameters(s)[1], "stage " + s + " biases");
            }
            for (int d = 0; d < whole.denseLayers(); d++) {
                assertClose(whole.denseParameters(d)[0], chunked.denseParameters(d)[0], "dense " + d + " weights");
            }
        }
    }

    /** Agreement to 1e-5 of the largest magnitude (the chunks sum the gradients in another order). */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1e-12;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale, what + " value " + i);
        }
    }
}
