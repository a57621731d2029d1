package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GANs' layers one by one on the engine against the SameDiff ops the GAN graphs use ({@code gan.Layers}: ND4J
 * {@code conv2d} with YXIO weights and {@code deconv2d}, 4x4, stride 2, padding 1; LeakyReLU 0.2; tanh; pixel norm):
 * outputs, weight and bias gradients and the gradient with respect to the layer's input agree to 1e-5 of the largest
 * magnitude, on non-square maps with several images and channels.
 */
class GanLayersTest {
    @ParameterizedTest
    @CsvSource({"1, 3, 8, 6, 2", "3, 4, 4, 8, 3", "5, 2, 6, 4, 1"})
    void fourByFourConvolutionWithLeakyReluMatchesTheGraph(int in, int out, int h, int w, int n) {
        float[] x = random(in * n * h * w, 1);
        float[] weight = random(out * in * 16, 2); // engine layout [out][in][4][4]
        float[] bias = random(out, 3);
        int oh = h / 2;
        int ow = w / 2;
        float[] probe = random(out * n * oh * ow, 4);
        Stage s = new Stage(false, in, out, 4, Activation.LEAKY_RELU_0_2);
        try (StageLayer.Down layer = new StageLayer.Down(s, h, w, n, true, true,
                new float[][] {weight.clone(), bias.clone()});
             NativeMatrix input = new NativeMatrix(in, n * h * w)) {
            layer.pushWeights();
            System.arraycopy(x, 0, input.heap(), 0, x.length);
            float[] y = layer.forward(input, n).heap().clone();
            System.arraycopy(probe, 0, layer.outputGrad.heap(), 0, probe.length);
            float[] xGrad = new float[x.length];
            layer.backward(n, xGrad);

            SameDiff sd = SameDiff.create();
            SDVariable xv = sd.var("x", nchw(x, in, n, h, w));
            SDVariable wv = sd.var("w", yxio(weight, out, in));
            SDVariable bv = sd.var("b", Nd4j.create(bias, new long[] {out}, 'c'));
            Conv2DConfig cfg = Conv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO)
                    .build();
            SDVariable yv = sd.identity("y", sd.nn().leakyRelu(sd.cnn().conv2d(xv, wv, bv, cfg), 0.2));
            probeLoss(sd, yv, probe, out, n, oh, ow);
            Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "w", "b");
            assertClose(channelMajor(sd.outputSingle(Map.of(), "y")), java.util.Arrays.copyOf(y, probe.length), "output");
            assertClose(channelMajor(g.get("x")), xGrad, "input gradient");
            assertClose(fromYxio(g.get("w"), out, in), java.util.Arrays.copyOf(layer.weightGrad.heap(), weight.length),
                    "weight gradient");
            assertClose(g.get("b").toFloatVector(), layer.biasGrad, "bias gradient");
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 1, 2, 3, 2", "3, 5, 4, 2, 3"})
    void fourByFourTransposedConvolutionWithTanhMatchesTheGraph(int in, int out, int h, int w, int n) {
        float[] x = random(in * n * h * w, 5);
        float[] weight = random(in * out * 16, 6); // engine layout [in][out][4][4]
        float[] bias = random(out, 7);
        int oh = 2 * h;
        int ow = 2 * w;
        float[] probe = random(out * n * oh * ow, 8);
        Stage s = new Stage(true, in, out, 4, Activation.TANH);
        try (StageLayer.Up layer = new StageLayer.Up(s, h, w, n, true, true, new float[][] {weight.clone(), bias.clone()});
             NativeMatrix input = new NativeMatrix(in, n * h * w)) {
            layer.pushWeights();
            System.arraycopy(x, 0, input.heap(), 0, x.length);
            float[] y = layer.forward(input, n).heap().clone();
            System.arraycopy(probe, 0, layer.outputGrad.heap(), 0, probe.length);
            float[] xGrad = new float[x.length];
            layer.backward(n, xGrad);

            SameDiff sd = SameDiff.create();
            SDVariable xv = sd.var("x", nchw(x, in, n, h, w));
            // ND4J's deconv2d weights [kH][kW][out][in]: the engine's [in][out] pair read as YXIO's [A][B] with A = out
            SDVariable wv = sd.var("w", yxio(weight, in, out));
            SDVariable bv = sd.var("b", Nd4j.create(bias, new long[] {out}, 'c'));
            DeConv2DConfig cfg = DeConv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                    .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
            SDVariable yv = sd.identity("y", sd.nn().tanh(sd.cnn().deconv2d(xv, wv, bv, cfg)));
            probeLoss(sd, yv, probe, out, n, oh, ow);
            Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "w", "b");
            assertClose(channelMajor(sd.outputSingle(Map.of(), "y")), java.util.Arrays.copyOf(y, probe.length), "output");
            assertClose(channelMajor(g.get("x")), xGrad, "input gradient");
            assertClose(fromYxio(g.get("w"), in, out), java.util.Arrays.copyOf(layer.weightGrad.heap(), weight.length),
                    "weight gradient");
            assertClose(g.get("b").toFloatVector(), layer.biasGrad, "bias gradient");
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 2, 4, 5", "8, 3, 2, 2"})
    void pixelNormMatchesTheGraph(int channels, int n, int h, int w) {
        int positions = h * w;
        float[] x = random(channels * n * positions, 9);
        float[] probe = random(x.length, 10);
        float[] y = x.clone();
        float[] factors = new float[n * positions];
        PixelNorm.forward(y, channels, n, positions, factors);
        float[] g = probe.clone();
        PixelNorm.backward(y, g, channels, n, positions, factors);

        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", nchw(x, channels, n, h, w));
        SDVariable yv = sd.identity("y", xv.mul(sd.math().rsqrt(sd.math().square(xv).mean(true, 1).add(1e-8))));
        probeLoss(sd, yv, probe, channels, n, h, w);
        assertClose(channelMajor(sd.outputSingle(Map.of(), "y")), y, "output");
        assertClose(channelMajor(sd.calculateGradients(Map.of(), "x").get("x")), g, "input gradient");
    }

    /** Engine {@code [c][n][h][w]} to an NCHW array. */
    private static INDArray nchw(float[] v, int c, int n, int h, int w) {
        float[] out = new float[v.length];
        int p = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int b = 0; b < n; b++) {
                System.arraycopy(v, (ch * n + b) * p, out, (b * c + ch) * p, p);
            }
        }
        return Nd4j.create(out, new long[] {n, c, h, w}, 'c');
    }

    /** An NCHW array to the engine's {@code [c][n][h][w]}. */
    private static float[] channelMajor(INDArray a) {
        long[] s = a.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int p = (int) (s[2] * s[3]);
        float[] v = a.dup('c').data().asFloat();
        float[] out = new float[v.length];
        for (int ch = 0; ch < c; ch++) {
            for (int b = 0; b < n; b++) {
                System.arraycopy(v, (b * c + ch) * p, out, (ch * n + b) * p, p);
            }
        }
        return out;
    }

    /** Engine weights {@code [b][a][4][4]} to {@code [4][4][a][b]}. */
    private static INDArray yxio(float[] v, int b, int a) {
        float[] out = new float[v.length];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        out[((y * 4 + x) * a + i) * b + j] = v[((j * a + i) * 4 + y) * 4 + x];
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {4, 4, a, b}, 'c');
    }

    /** {@code [4][4][a][b]} back to the engine's {@code [b][a][4][4]}. */
    private static float[] fromYxio(INDArray g, int b, int a) {
        float[] v = g.dup('c').data().asFloat();
        float[] out = new float[v.length];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        out[((j * a + i) * 4 + y) * 4 + x] = v[((y * 4 + x) * a + i) * b + j];
                    }
                }
            }
        }
        return out;
    }

    /** Makes the loss {@code sum(y * probe)}: its gradient with respect to {@code y} is the probe. */
    private static void probeLoss(SameDiff sd, SDVariable y, float[] probe, int c, int n, int h, int w) {
        sd.setLossVariables(sd.identity("loss", y.mul(sd.constant(nchw(probe, c, n, h, w))).sum()));
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Agreement to 1e-5 of the largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1e-12;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-5 * scale, what + ": largest difference " + worst + " at scale " + scale);
    }
}
