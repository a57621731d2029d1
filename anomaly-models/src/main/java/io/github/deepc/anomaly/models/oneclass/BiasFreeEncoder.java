package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.models.samediff.GraphLayers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * The feature network {@code phi} of the deep one-class models (NCHW, float32), <b>without bias terms</b> as Deep
 * SVDD requires (Ruff et al. 2018, Prop. 2: a bias lets the network map everything onto the centre): three 3x3
 * stride-2 convolutions (padding 1; 1&rarr;16&rarr;32&rarr;64 channels), each followed by a leaky ReLU (slope
 * {@value #LEAK}), then a linear projection of the flattened maps to {@code repDim} features. Input sides must be
 * multiples of {@value #STRIDE}. Weights use ND4J's {@code YXIO} layout ({@code [kH, kW, in, out]}; see the
 * {@code cae} package for why not {@code OIYX}).
 *
 * <p>Initialisation is He-uniform, {@code U(-sqrt(6 / fan_in), sqrt(6 / fan_in))} drawn from a seeded generator in
 * row-major order, which keeps the feature scale through the rectifiers (with no autoencoder pretraining, a shrinking
 * initialisation would leave the initial features, and so the Deep SVDD centre, near 0).
 */
final class BiasFreeEncoder {
    /** Total downsampling factor; input sides must be multiples of it. */
    static final int STRIDE = 8;
    /** Slope of the leaky ReLUs. */
    static final double LEAK = 0.01;
    private static final int K = 3;
    private static final int[] CHANNELS = {1, 16, 32, 64};
    private static final String PROJECTION = "proj_w";

    private BiasFreeEncoder() {
    }

    /**
     * @param height input height
     * @param width  input width
     * @param model  the model id, for the message
     * @throws IllegalArgumentException when a side is not a positive multiple of {@value #STRIDE}
     */
    static void checkSides(int height, int width, String model) {
        if (height < STRIDE || width < STRIDE || height % STRIDE != 0 || width % STRIDE != 0) {
            throw new IllegalArgumentException(model + " input sides must be positive multiples of " + STRIDE
                    + " (three stride-2 convolutions), got " + width + "x" + height);
        }
    }

    /** @return the trainable variable names, in serialisation order */
    static List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (int l = 1; l < CHANNELS.length; l++) {
            names.add(conv(l));
        }
        names.add(PROJECTION);
        return names;
    }

    private static String conv(int layer) {
        return "enc" + layer + "_w";
    }

    private static long flatSize(int height, int width) {
        return (long) CHANNELS[CHANNELS.length - 1] * (height / STRIDE) * (width / STRIDE);
    }

    /**
     * Creates the trainable variables in a graph.
     *
     * @param sd     the graph
     * @param height input height
     * @param width  input width
     * @param repDim number of output features
     * @param init   initialisation randomness, or {@code null} for zeros (weights about to be loaded)
     */
    static void createVariables(SameDiff sd, int height, int width, int repDim, SplittableRandom init) {
        for (int l = 1; l < CHANNELS.length; l++) {
            int in = CHANNELS[l - 1];
            sd.var(conv(l), heUniform(new long[] {K, K, in, CHANNELS[l]}, in * K * K, init));
        }
        long flat = flatSize(height, width);
        sd.var(PROJECTION, heUniform(new long[] {flat, repDim}, Math.toIntExact(flat), init));
    }

    /**
     * Applies the network; may be called more than once on one graph (shared weights).
     *
     * @param sd      the graph, holding the variables of {@link #createVariables}
     * @param prefix  prefix of the intermediate variables' names, unique per application
     * @param x       input {@code [batch, 1, height, width]}
     * @param height  input height
     * @param width   input width
     * @param outName name of the {@code [batch, repDim]} output
     * @return the features
     */
    static SDVariable apply(SameDiff sd, String prefix, SDVariable x, int height, int width, String outName) {
        Conv2DConfig cfg = GraphLayers.stride2Conv(K, 1);
        SDVariable h = x;
        for (int l = 1; l < CHANNELS.length; l++) {
            SDVariable pre = sd.cnn().conv2d(prefix + "conv" + l, h, sd.getVariable(conv(l)), cfg);
            h = sd.nn().leakyRelu(prefix + "act" + l, pre, LEAK);
        }
        // long arguments: SDVariable.reshape(int...) would read a char order flag as a dimension
        SDVariable flat = sd.reshape(prefix + "flat", h, -1L, flatSize(height, width));
        return sd.mmul(outName, flat, sd.getVariable(PROJECTION));
    }

    /**
     * @param shape the array shape
     * @param fanIn inputs per output
     * @param rng   randomness, or {@code null} for zeros
     * @return {@code U(-sqrt(6 / fanIn), sqrt(6 / fanIn))} values, row-major
     */
    static INDArray heUniform(long[] shape, int fanIn, SplittableRandom rng) {
        return GraphLayers.uniform(shape, Math.sqrt(6.0 / fanIn), rng);
    }
}
