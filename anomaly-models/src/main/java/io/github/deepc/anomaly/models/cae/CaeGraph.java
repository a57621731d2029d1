package io.github.deepc.anomaly.models.cae;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the SameDiff graph of a convolutional autoencoder (NCHW, float32) together with its masked MSE loss.
 *
 * <p>Graph variables: placeholders {@value #INPUT} and {@value #MASK} (both {@code [batch, 1, height, width]}),
 * the reconstruction {@value #OUTPUT} and the scalar loss {@value #LOSS}. Trainable variables are named
 * {@code <layer>_w} and {@code <layer>_b}, in {@link #layers(String)} order.
 *
 * <h2>Weight layouts</h2>
 * <ul>
 *   <li>Conv2d weights use ND4J's default {@link WeightsFormat#YXIO}, {@code [kH, kW, in, out]}; PyTorch stores
 *       {@code [out, in, kH, kW]}, so {@code w_nd4j[ky][kx][i][o] == w_torch[o][i][ky][kx]}. ({@code OIYX} would
 *       match PyTorch, but in 1.0.0-M2.1 {@code conv2d_bp} ignores the weights format and fails shape validation.)</li>
 *   <li>ND4J's {@code deconv2d} takes weights as {@code [kH, kW, out, in]} (its only layout in 1.0.0-M2.1,
 *       {@link DeConv2DConfig} has no weights format); PyTorch's ConvTranspose2d stores {@code [in, out, kH, kW]}.
 *       So {@code w_nd4j[ky][kx][o][i] == w_torch[i][o][ky][kx]}.</li>
 * </ul>
 *
 * <h2>Transposed convolution with PyTorch semantics</h2>
 * PyTorch's {@code ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1)} has output size
 * {@code (n - 1) * 2 - 2 * 1 + 3 + 1 = 2n}. Its "full" (padding 0) result has {@code (n - 1) * 2 + 3 = 2n + 1}
 * positions, and output position {@code o} is full position {@code o + padding}: {@code padding} positions are
 * cropped from the start and {@code padding - output_padding} from the end (the output padding re-adds one
 * position at the end, it never pads with zeros here since the full result already has it). With padding 1 and
 * output padding 1 this keeps full indices {@code [1, 2n]} (inclusive): drop the first row and column, keep the last.
 * We therefore run {@code deconv2d} with padding 0 (output {@code 2n + 1}) and slice {@code [1, 2n + 1)}. The
 * test {@code CaeModelTest#forwardMatchesNaivePyTorchSemantics} checks this against a direct implementation.
 */
final class CaeGraph {
    /** Input image placeholder, {@code [batch, 1, H, W]}. */
    static final String INPUT = "input";
    /** Valid-pixel mask placeholder (1 valid, 0 invalid), {@code [batch, 1, H, W]}. */
    static final String MASK = "mask";
    /** Reconstruction, {@code [batch, 1, H, W]}, in (0, 1). */
    static final String OUTPUT = "output";
    /** Scalar masked MSE: mean over the batch of per-image masked mean squared error. */
    static final String LOSS = "loss";

    /** The architecture reproducing {@code reference_cae.py}. */
    static final String REFERENCE = "reference";

    /** Total downsampling factor of the reference encoder; input sides must be multiples of it. */
    static final int REFERENCE_STRIDE = 8;

    private static final int K = 3;

    /** Activation after a layer. */
    enum Activation { RELU, SIGMOID }

    /**
     * One layer.
     *
     * @param name       variable name prefix
     * @param transposed ConvTranspose2d rather than Conv2d
     * @param in         input channels
     * @param out        output channels
     * @param activation activation applied after it
     */
    record Layer(String name, boolean transposed, int in, int out, Activation activation) {
        /** @return the weight shape in ND4J's layout for this layer type */
        long[] weightShape() {
            return transposed ? new long[] {K, K, out, in} : new long[] {K, K, in, out};
        }

        /** @return PyTorch's fan-in: in*k*k for Conv2d, weight.size(1)*k*k = out*k*k for ConvTranspose2d */
        int fanIn() {
            return (transposed ? out : in) * K * K;
        }

        String weightName() {
            return name + "_w";
        }

        String biasName() {
            return name + "_b";
        }
    }

    private CaeGraph() {
    }

    /**
     * @param architecture architecture name
     * @return its layers, encoder first
     * @throws IllegalArgumentException for an unknown architecture
     */
    static List<Layer> layers(String architecture) {
        if (!REFERENCE.equals(architecture)) {
            throw new IllegalArgumentException("unknown CAE architecture '" + architecture + "'; known: " + REFERENCE);
        }
        return List.of(
                new Layer("enc1", false, 1, 32, Activation.RELU),
                new Layer("enc2", false, 32, 64, Activation.RELU),
                new Layer("enc3", false, 64, 128, Activation.RELU),
                new Layer("dec1", true, 128, 64, Activation.RELU),
                new Layer("dec2", true, 64, 32, Activation.RELU),
                new Layer("dec3", true, 32, 1, Activation.SIGMOID));
    }

    /**
     * @param architecture architecture name
     * @return the names of the trainable variables in serialisation order (per layer: weights, bias)
     */
    static List<String> parameterNames(String architecture) {
        List<String> names = new ArrayList<>();
        for (Layer l : layers(architecture)) {
            names.add(l.weightName());
            names.add(l.biasName());
        }
        return names;
    }

    /**
     * @param architecture architecture name
     * @return the number of trainable parameters (185,217 for the reference architecture)
     */
    static long parameterCount(String architecture) {
        long n = 0;
        for (Layer l : layers(architecture)) {
            long w = 1;
            for (long d : l.weightShape()) {
                w *= d;
            }
            n += w + l.out();
        }
        return n;
    }

    /**
     * Builds the graph.
     *
     * @param architecture architecture name
     * @param height       input height (a multiple of {@link #REFERENCE_STRIDE})
     * @param width        input width (a multiple of {@link #REFERENCE_STRIDE})
     * @param init         source of the PyTorch-default initialisation, or {@code null} for zeros (when the weights
     *                     are about to be overwritten from a saved state)
     * @return the graph; the caller owns its native memory
     */
    static SameDiff build(String architecture, int height, int width, SplittableRandom init) {
        List<Layer> layers = layers(architecture);
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, 1, height, width);

        SDVariable x = input;
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            SDVariable w = sd.var(l.weightName(), initial(l.weightShape(), l.fanIn(), init));
            SDVariable b = sd.var(l.biasName(), initial(new long[] {l.out()}, l.fanIn(), init));
            SDVariable pre;
            if (l.transposed()) {
                DeConv2DConfig cfg = DeConv2DConfig.builder()
                        .kH(K).kW(K).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                        .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
                SDVariable full = sd.cnn().deconv2d(l.name() + "_full", x, w, b, cfg); // [b, c, 2n+1, 2m+1]
                // keep full indices [1, 2n] on H and W (see class comment); begin/end masks: all of N and C,
                // and "to the end" on H and W
                pre = sd.stridedSlice(l.name() + "_crop", full, new long[] {0, 0, 1, 1}, new long[] {0, 0, 0, 0},
                        new long[] {1, 1, 1, 1}, 0b0011, 0b1111, 0, 0, 0);
            } else {
                Conv2DConfig cfg = Conv2DConfig.builder()
                        .kH(K).kW(K).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                        .paddingMode(PaddingMode.VALID) // VALID = use the explicit padding above
                        .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
                pre = sd.cnn().conv2d(l.name() + "_conv", x, w, b, cfg);
            }
            boolean last = li == layers.size() - 1;
            String actName = last ? OUTPUT : l.name();
            x = l.activation() == Activation.SIGMOID ? sd.nn().sigmoid(actName, pre) : sd.nn().relu(actName, pre, 0.0);
        }

        // masked MSE: per image sum((out - x)^2 * mask) / max(sum(mask), 1), then the mean over the batch
        SDVariable sq = x.squaredDifference(input).mul(mask);
        SDVariable perImageSum = sq.sum(1, 2, 3);
        SDVariable valid = sd.math().max(mask.sum(1, 2, 3), sd.constant(Nd4j.scalar(DataType.FLOAT, 1f)));
        SDVariable perImage = perImageSum.div(valid);
        perImage.mean(LOSS);
        sd.setLossVariables(LOSS);
        return sd;
    }

    /**
     * PyTorch's default Conv2d/ConvTranspose2d initialisation for weights and biases alike:
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn in the array's row-major order.
     */
    private static INDArray initial(long[] shape, int fanIn, SplittableRandom rng) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (rng != null) {
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * bound);
            }
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }
}
