package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.GraphLayers;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * The feature network {@code phi} of the deep one-class models (NCHW, float32), <b>without bias terms</b> as Deep
 * SVDD requires (Ruff et al. 2018, Prop. 2: a bias lets the network map everything onto the centre): three 3x3
 * stride-2 convolutions (padding 1; 1&rarr;16&rarr;32&rarr;64 channels), each followed by a leaky ReLU (slope
 * {@value #LEAK}), then a linear projection of the flattened maps to {@code repDim} features. Input sides must be
 * multiples of {@value #STRIDE}. Weights use ND4J's {@code YXIO} layout ({@code [kH, kW, in, out]}; see the
 * {@code cae} package for why not {@code OIYX}).
 *
 * <p>One description, two backends: {@link #stages()} and the {@link ParameterStore} layout of {@link #newStore} are
 * what the direct engine ({@code conv.DirectFeatureNetwork}) computes on, and {@link #createVariables}/{@link #apply}
 * build the same network as a SameDiff graph (the reference), which {@link #copyToGraph}/{@link #copyToStore} fill
 * from and read back into the store. The store holds the convolution weights in PyTorch's layout
 * ({@code [out][in][k][k]}, the engine's), the projection {@code [flat][repDim]}, and, for deep-one-class, the head's
 * weights {@code [repDim][classes]} and biases {@code [classes]}; the graph holds the same values in ND4J's layouts.
 *
 * <p>Initialisation is He-uniform, {@code U(-sqrt(6 / fan_in), sqrt(6 / fan_in))} drawn from a seeded generator in
 * row-major order, which keeps the feature scale through the rectifiers (with no autoencoder pretraining, a shrinking
 * initialisation would leave the initial features, and so the Deep SVDD centre, near 0).
 */
final class BiasFreeEncoder {
    /** Total downsampling factor; input sides must be multiples of it. */
    static final int STRIDE = 8;
    /** Slope of the leaky ReLUs. */
    static final double LEAK = Activation.LEAK;
    private static final int K = 3;
    private static final int[] CHANNELS = {1, 16, 32, 64};
    private static final String PROJECTION = "proj_w";
    /** The deep-one-class head's weights, {@code [repDim][classes]}. */
    static final String HEAD_W = "head_w";
    /** The deep-one-class head's biases, {@code [classes]} in the store, {@code [1, classes]} in the graph. */
    static final String HEAD_B = "head_b";

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

    /**
     * @param classes head classes, 0 for none
     * @return the store's tensor names in order: the encoder's, then the head's
     */
    static List<String> parameterNames(int classes) {
        List<String> names = parameterNames();
        if (classes > 0) {
            names.add(HEAD_W);
            names.add(HEAD_B);
        }
        return names;
    }

    /** @return the convolution stages as the direct engine computes them (their biases are held at zero) */
    static List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        for (int l = 1; l < CHANNELS.length; l++) {
            stages.add(new Stage(false, CHANNELS[l - 1], CHANNELS[l], K, Activation.LEAKY_RELU));
        }
        return stages;
    }

    /**
     * @param height  input height
     * @param width   input width
     * @param repDim  features
     * @param classes head classes, 0 for none (Deep SVDD)
     * @return a zero store in the layout of the class comment
     */
    static ParameterStore newStore(int height, int width, int repDim, int classes) {
        ParameterStore store = new ParameterStore();
        for (int l = 1; l < CHANNELS.length; l++) {
            store.add(conv(l), CHANNELS[l], CHANNELS[l - 1], K, K);
        }
        store.add(PROJECTION, Math.toIntExact(flatSize(height, width)), repDim);
        if (classes > 0) {
            store.add(HEAD_W, repDim, classes);
            store.add(HEAD_B, classes);
        }
        return store;
    }

    /**
     * Draws the seeded initial values exactly as the graphs always did (in their layouts' row-major order, encoder
     * first, then the head with PyTorch's linear default {@code U(-1/sqrt(repDim), 1/sqrt(repDim))}) into a store.
     *
     * @param store   a store of {@link #newStore}
     * @param height  input height
     * @param width   input width
     * @param repDim  features
     * @param classes head classes, 0 for none
     * @param init    initialisation randomness
     */
    static void initialise(ParameterStore store, int height, int width, int repDim, int classes,
                           SplittableRandom init) {
        for (int l = 1; l < CHANNELS.length; l++) {
            int in = CHANNELS[l - 1];
            setFromGraphLayout(store, conv(l), heUniform(new long[] {K, K, in, CHANNELS[l]}, in * K * K, init));
        }
        long flat = flatSize(height, width);
        setFromGraphLayout(store, PROJECTION, heUniform(new long[] {flat, repDim}, Math.toIntExact(flat), init));
        if (classes > 0) {
            double bound = 1.0 / Math.sqrt(repDim);
            setFromGraphLayout(store, HEAD_W, GraphLayers.uniform(new long[] {repDim, classes}, bound, init));
            setFromGraphLayout(store, HEAD_B, GraphLayers.uniform(new long[] {1, classes}, bound, init));
        }
    }

    private static void setFromGraphLayout(ParameterStore store, String name, INDArray graphValue) {
        float[] v = GraphSupport.toFloats(graphValue);
        graphValue.close();
        fromGraphLayout(store, name, v);
    }

    /**
     * Writes a tensor given in the graph's layout into the store, converting convolution weights from
     * {@code [k][k][in][out]} to {@code [out][in][k][k]}.
     *
     * @param store  the store
     * @param name   the tensor
     * @param values its values in the graph's layout, as many as the store holds
     * @throws IllegalArgumentException when the count differs
     */
    static void fromGraphLayout(ParameterStore store, String name, float[] values) {
        float[] target = store.values(name);
        if (values.length != target.length) {
            throw new IllegalArgumentException("parameter " + name + " has " + values.length + " values, expected "
                    + target.length);
        }
        if (!name.startsWith("enc")) {
            System.arraycopy(values, 0, target, 0, values.length);
            return;
        }
        int[] s = store.shape(name);
        int out = s[0];
        int in = s[1];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < K; y++) {
                    for (int x = 0; x < K; x++) {
                        target[((o * in + i) * K + y) * K + x] = values[((y * K + x) * in + i) * out + o];
                    }
                }
            }
        }
    }

    /**
     * @param store the store
     * @param name  a tensor
     * @return its values in the graph's layout (a copy)
     */
    static float[] toGraphLayout(ParameterStore store, String name) {
        float[] v = store.values(name);
        if (!name.startsWith("enc")) {
            return v.clone();
        }
        int[] s = store.shape(name);
        int out = s[0];
        int in = s[1];
        float[] g = new float[v.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < K; y++) {
                    for (int x = 0; x < K; x++) {
                        g[((y * K + x) * in + i) * out + o] = v[((o * in + i) * K + y) * K + x];
                    }
                }
            }
        }
        return g;
    }

    /**
     * Copies the store's values into a graph's variables of the same names (converting the layouts).
     *
     * @param store the store
     * @param sd    a graph with the store's variables
     */
    static void copyToGraph(ParameterStore store, SameDiff sd) {
        for (String name : store.names()) {
            INDArray target = sd.getVariable(name).getArr();
            target.assign(Nd4j.create(toGraphLayout(store, name), target.shape(), DataType.FLOAT));
        }
    }

    /**
     * Copies a graph's variables back into the store (converting the layouts).
     *
     * @param sd    the graph
     * @param store the store
     */
    static void copyToStore(SameDiff sd, ParameterStore store) {
        for (String name : store.names()) {
            fromGraphLayout(store, name, GraphSupport.toFloats(sd.getVariable(name).getArr()));
        }
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
