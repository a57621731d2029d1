package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.GraphLayers;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff reference backend of the autoencoders: builds the graph (NCHW, float32) of an
 * {@link AutoencoderSpec} together with its training loss, with the values of a {@link ParameterStore}, and copies
 * them back. The plain autoencoder ({@code cae}), the autoencoder with a dense bottleneck ({@code bottleneck-cae})
 * and the variational autoencoder ({@code vae}) share the encoder and decoder of a {@link ConvLayout} and differ only
 * in the bottleneck between them and in the loss. The direct engine is tested equal to these graphs; the models
 * train and score on them with {@code engine=samediff}.
 *
 * <p>Graph variables: placeholders {@value #INPUT} and {@value #MASK} (both {@code [batch, 1, height, width]}), for
 * the VAE also {@value #NOISE} ({@code [batch, latent]}); the reconstruction {@value #OUTPUT}, its pre-activation
 * {@value #LOGITS}, the scalar loss {@value #LOSS}; with a head the code {@value #LATENT} ({@code [batch, latent]}),
 * for the VAE also {@value #LOG_VARIANCE} and the per-image KL divergence {@value #KL} ({@code [batch]}). Trainable
 * variables are named as the store's tensors ({@code <layer>_w}, {@code <layer>_b}, see {@link AutoencoderSpec}).
 *
 * <h2>Bottlenecks</h2>
 * <ul>
 *   <li>none: the decoder reads the encoder's output directly (for the reference layout at 64x64 an
 *       8x8x128 code, more values than the input: no bottleneck).</li>
 *   <li>dense: the encoder's output is flattened ({@code [batch, C*h*w]} in NCHW order) and mapped
 *       linearly to {@code latent} values ({@value #LATENT}, the code), then by a dense layer with ReLU back to
 *       {@code C*h*w} values, reshaped for the decoder.</li>
 *   <li>variational: two linear maps of the flattened encoder output give the posterior mean
 *       {@code mu} ({@value #LATENT}) and log-variance {@code logvar}; {@code z = mu + exp(logvar / 2) * eps} with
 *       {@code eps} from the {@value #NOISE} placeholder (standard normal while training, zeros at inference, where
 *       {@code z = mu}); the same expansion as {@code DENSE} feeds the decoder. Per image
 *       {@code KL = -0.5 * sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))}.</li>
 * </ul>
 *
 * <h2>Losses</h2>
 * Per image, the reconstruction error is averaged over the valid pixels: {@code sum(e * mask) / max(sum(mask), 1)}
 * with {@code e} the squared error {@code (out - x)^2} or, for {@link PixelLoss#BCE}, the binary cross-entropy of the
 * sigmoid output computed stably from the logits {@code l}: {@code max(l, 0) - x * l + log(1 + exp(-|l|))}. The
 * loss is the batch mean of that error, for the VAE plus {@code beta} times the batch mean of the KL divergence.
 *
 * <h2>Weight layouts</h2>
 * The store keeps PyTorch's convolution layouts ({@link AutoencoderSpec}); the graph's variables use ND4J's, converted
 * on the way in and out ({@link #toNd4jLayout}, {@link #toStoreLayout}):
 * <ul>
 *   <li>Conv2d weights use ND4J's default {@link WeightsFormat#YXIO}, {@code [kH, kW, in, out]}; PyTorch stores
 *       {@code [out, in, kH, kW]}, so {@code w_nd4j[ky][kx][i][o] == w_torch[o][i][ky][kx]}. ({@code OIYX} would
 *       match PyTorch, but in 1.0.0-M2.1 {@code conv2d_bp} ignores the weights format and fails shape validation.)</li>
 *   <li>ND4J's {@code deconv2d} takes weights as {@code [kH, kW, out, in]} (its only layout in 1.0.0-M2.1,
 *       {@link DeConv2DConfig} has no weights format); PyTorch's ConvTranspose2d stores {@code [in, out, kH, kW]}.
 *       So {@code w_nd4j[ky][kx][o][i] == w_torch[i][o][ky][kx]}.</li>
 *   <li>Dense weights are {@code [in, out]} ({@code y = x W + b}); PyTorch's Linear stores {@code [out, in]}.</li>
 * </ul>
 *
 * <h2>Transposed convolution with PyTorch semantics</h2>
 * PyTorch's {@code ConvTranspose2d(k, stride=2, padding=p, output_padding=1)} with {@code p = (k - 1) / 2} has output
 * size {@code (n - 1) * 2 - 2p + k + 1 = 2n}. Its "full" (padding 0) result has {@code (n - 1) * 2 + k} positions, and
 * output position {@code o} is full position {@code o + p}: {@code p} positions are cropped from the start and
 * {@code p - output_padding} from the end (the output padding re-adds one position at the end, it never pads with
 * zeros here since the full result already has it). We therefore run {@code deconv2d} with padding 0 and slice
 * {@code [p, p + 2n)}: for {@code k = 3} the full indices {@code [1, 2n]}, dropping the first row and column and
 * keeping the last. The test {@code CaeModelTest#graphForwardMatchesNaivePyTorchSemantics} runs this graph and checks
 * it against a naive direct implementation ({@code forwardMatchesNaivePyTorchSemantics} does the same for the direct
 * engine the model infers with by default).
 */
final class CaeGraph {
    /** Input image placeholder, {@code [batch, 1, H, W]}. */
    static final String INPUT = "input";
    /** Valid-pixel mask placeholder (1 valid, 0 invalid), {@code [batch, 1, H, W]}. */
    static final String MASK = "mask";
    /** Standard normal noise placeholder of the VAE, {@code [batch, latent]}. */
    static final String NOISE = "eps";
    /** Reconstruction, {@code [batch, 1, H, W]}, in (0, 1) with a sigmoid output. */
    static final String OUTPUT = "output";
    /** The decoder's last pre-activation, {@code [batch, 1, H, W]}. */
    static final String LOGITS = "logits";
    /** The code of the dense bottleneck, or the VAE's posterior mean, {@code [batch, latent]}. */
    static final String LATENT = "latent";
    /** The VAE's posterior log-variance, {@code [batch, latent]}. */
    static final String LOG_VARIANCE = "logvar";
    /** The VAE's per-image KL divergence from the standard normal prior, {@code [batch]}. */
    static final String KL = "kl";
    /** Scalar training loss. */
    static final String LOSS = "loss";

    /** The architecture reproducing {@code reference_cae.py}. */
    static final String REFERENCE = "reference";
    /** An architecture given by depth, channels, kernel and output activation. */
    static final String CUSTOM = "custom";

    /** Total downsampling factor of the reference encoder; input sides must be multiples of it. */
    static final int REFERENCE_STRIDE = 8;

    private CaeGraph() {
    }

    /**
     * @param architecture architecture name
     * @return the fixed layout of a named architecture
     * @throws IllegalArgumentException for an unknown name (custom layouts have no fixed one)
     */
    static ConvLayout layout(String architecture) {
        if (!REFERENCE.equals(architecture)) {
            throw new IllegalArgumentException("unknown CAE architecture '" + architecture + "'; known: " + REFERENCE
                    + " (and " + CUSTOM + " with depth, channels, kernel and output-activation)");
        }
        return ConvLayout.REFERENCE;
    }

    /**
     * @param architecture architecture name with a fixed layout
     * @return the number of trainable parameters (185,217 for the reference architecture)
     */
    static long parameterCount(String architecture) {
        return AutoencoderSpec.plain(layout(architecture)).parameterCount(REFERENCE_STRIDE, REFERENCE_STRIDE);
    }

    /**
     * Builds a graph with freshly initialised weights ({@link AutoencoderSpec#initialStore}), or zeros.
     *
     * @param init the initialisation's randomness, or {@code null} for zeros
     * @see #build(AutoencoderSpec, int, int, ParameterStore)
     */
    static SameDiff build(AutoencoderSpec spec, int height, int width, SplittableRandom init) {
        checkSides(spec, height, width);
        return build(spec, height, width, init == null ? spec.newStore(height, width)
                : spec.initialStore(height, width, init));
    }

    private static void checkSides(AutoencoderSpec spec, int height, int width) {
        int stride = spec.layout().stride();
        if (height % stride != 0 || width % stride != 0) {
            throw new IllegalArgumentException("input sides must be multiples of " + stride + ", got "
                    + width + "x" + height);
        }
    }

    /**
     * Builds the graph.
     *
     * @param spec   network and loss
     * @param height input height (a multiple of the layout's stride)
     * @param width  input width (a multiple of the layout's stride)
     * @param store  the weights, laid out by {@link AutoencoderSpec#newStore} for this size (copied in)
     * @return the graph; the caller owns its native memory
     */
    static SameDiff build(AutoencoderSpec spec, int height, int width, ParameterStore store) {
        ConvLayout layout = spec.layout();
        checkSides(spec, height, width);
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, 1, height, width);

        SDVariable x = input;
        int h = height;
        int w = width;
        List<Stage> stages = spec.stages();
        for (int i = 0; i < layout.depth(); i++) {
            Stage l = stages.get(i);
            String name = spec.stageName(i);
            x = activate(sd, l.activation(), name, conv(sd, l, name, x, store));
            h /= 2;
            w /= 2;
        }

        SDVariable kl = null;
        List<String> dense = spec.denseNames();
        if (spec.bottleneck() != null) {
            int c = layout.codeChannels();
            SDVariable flat = sd.reshape("flatten", x, -1, (long) c * h * w);
            SDVariable expandInput;
            if (!spec.variational()) {
                expandInput = dense(sd, dense.get(0), flat, LATENT, store);
            } else {
                SDVariable mu = dense(sd, dense.get(0), flat, LATENT, store);
                SDVariable logVar = dense(sd, dense.get(1), flat, LOG_VARIANCE, store);
                SDVariable eps = sd.placeHolder(NOISE, DataType.FLOAT, -1, spec.latent());
                SDVariable std = sd.math().exp("std", logVar.mul(0.5));
                expandInput = mu.add("z", std.mul(eps));
                // KL(N(mu, sigma^2) || N(0, 1)) per image
                SDVariable terms = logVar.add(1.0).sub(mu.mul(mu)).sub(sd.math().exp(logVar));
                kl = terms.sum(1).mul(KL, -0.5);
            }
            String expand = dense.get(dense.size() - 1);
            SDVariable expanded = sd.nn().relu("expand", dense(sd, expand, expandInput, "expand_pre", store), 0.0);
            x = sd.reshape("unflatten", expanded, -1, c, h, w);
        }

        List<Stage> decoder = spec.decoder();
        SDVariable logits = null;
        for (int li = 0; li < decoder.size(); li++) {
            Stage l = decoder.get(li);
            String name = spec.stageName(layout.depth() + li);
            boolean last = li == decoder.size() - 1;
            SDVariable pre = deconv(sd, l, name, x, h, w, last ? LOGITS : name + "_crop", store);
            h *= 2;
            w *= 2;
            if (last) {
                logits = pre;
            }
            x = activate(sd, l.activation(), last ? OUTPUT : name, pre);
        }

        // per image sum(e * mask) / max(sum(mask), 1), e the squared error or the BCE from the logits
        SDVariable e = spec.reconstruction() == PixelLoss.MSE ? x.squaredDifference(input)
                : sd.nn().relu(logits, 0.0).sub(input.mul(logits)).add(sd.math().log1p(sd.math().exp(sd.math().abs(logits).neg())));
        SDVariable perImageSum = e.mul(mask).sum(1, 2, 3);
        SDVariable valid = sd.math().max(mask.sum(1, 2, 3), sd.constant(Nd4j.scalar(DataType.FLOAT, 1f)));
        SDVariable perImage = perImageSum.div(valid);
        if (kl != null) {
            perImage = perImage.add(kl.mul(spec.beta()));
        }
        perImage.mean(LOSS);
        sd.setLossVariables(LOSS);
        return sd;
    }

    private static SDVariable activate(SameDiff sd, Activation a, String name, SDVariable pre) {
        return switch (a) {
            case RELU -> sd.nn().relu(name, pre, 0.0);
            case SIGMOID -> sd.nn().sigmoid(name, pre);
            case LINEAR -> sd.identity(name, pre);
            case LEAKY_RELU -> sd.nn().leakyRelu(name, pre, Activation.LEAK);
            case LEAKY_RELU_0_2 -> sd.nn().leakyRelu(name, pre, 0.2);
            case TANH -> sd.nn().tanh(name, pre);
        };
    }

    private static SDVariable conv(SameDiff sd, Stage l, String name, SDVariable x, ParameterStore store) {
        SDVariable w = weight(sd, l, name, store);
        SDVariable b = bias(sd, name, store);
        int k = l.kernel();
        return sd.cnn().conv2d(name + "_conv", x, w, b, GraphLayers.stride2Conv(k, (k - 1) / 2));
    }

    /** A stride-2 transposed convolution of an {@code h x w} input cropped to {@code 2h x 2w} (see class comment). */
    private static SDVariable deconv(SameDiff sd, Stage l, String name, SDVariable x, int h, int w, String output,
                                     ParameterStore store) {
        SDVariable wt = weight(sd, l, name, store);
        SDVariable b = bias(sd, name, store);
        int k = l.kernel();
        DeConv2DConfig cfg = DeConv2DConfig.builder()
                .kH(k).kW(k).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        SDVariable full = sd.cnn().deconv2d(name + "_full", x, wt, b, cfg); // [b, c, 2h-2+k, 2w-2+k]
        // keep full indices [p, p + 2h) on H and [p, p + 2w) on W; begin/end masks: all of N and C
        long p = (k - 1) / 2;
        return sd.stridedSlice(output, full, new long[] {0, 0, p, p}, new long[] {0, 0, p + 2L * h, p + 2L * w},
                new long[] {1, 1, 1, 1}, 0b0011, 0b0011, 0, 0, 0);
    }

    private static SDVariable weight(SameDiff sd, Stage l, String name, ParameterStore store) {
        float[] nd = toNd4jLayout(store.values(name + "_w"), l);
        return sd.var(name + "_w", Nd4j.create(nd, nd4jShape(l), DataType.FLOAT));
    }

    private static SDVariable bias(SameDiff sd, String name, ParameterStore store) {
        float[] b = store.values(name + "_b");
        return sd.var(name + "_b", Nd4j.create(b.clone(), new long[] {b.length}, DataType.FLOAT));
    }

    private static SDVariable dense(SameDiff sd, String layer, SDVariable x, String name, ParameterStore store) {
        int[] shape = store.shape(layer + "_w");
        SDVariable w = sd.var(layer + "_w", Nd4j.create(store.values(layer + "_w").clone(),
                new long[] {shape[0], shape[1]}, DataType.FLOAT));
        SDVariable b = bias(sd, layer, store);
        return sd.nn().linear(name, x, w, b);
    }

    /** @return ND4J's weight shape of a stage: {@code [k, k, in, out]}, transposed {@code [k, k, out, in]} */
    static long[] nd4jShape(Stage l) {
        int k = l.kernel();
        return l.transposed() ? new long[] {k, k, l.out(), l.in()} : new long[] {k, k, l.in(), l.out()};
    }

    /**
     * Copies a graph's trained variables into the store (after SameDiff trained them).
     *
     * @param graph a graph built by {@link #build(AutoencoderSpec, int, int, ParameterStore)} for {@code spec}
     * @param spec  its network
     * @param store receives the values, in its own layouts
     */
    static void copyToStore(SameDiff graph, AutoencoderSpec spec, ParameterStore store) {
        List<Stage> stages = spec.stages();
        for (int i = 0; i < stages.size(); i++) {
            String name = spec.stageName(i);
            float[] w = toStoreLayout(GraphSupport.toFloats(graph.getVariable(name + "_w").getArr()), stages.get(i));
            System.arraycopy(w, 0, store.values(name + "_w"), 0, w.length);
            copy(graph, name + "_b", store);
        }
        for (String name : spec.denseNames()) {
            copy(graph, name + "_w", store);
            copy(graph, name + "_b", store);
        }
    }

    private static void copy(SameDiff graph, String name, ParameterStore store) {
        float[] v = GraphSupport.toFloats(graph.getVariable(name).getArr());
        System.arraycopy(v, 0, store.values(name), 0, v.length);
    }

    /**
     * Copies the store's values into a graph's variables (after the store changed, e.g. restored from a snapshot).
     *
     * @param store the values
     * @param spec  the network
     * @param graph a graph built for {@code spec}
     */
    static void copyToGraph(ParameterStore store, AutoencoderSpec spec, SameDiff graph) {
        List<Stage> stages = spec.stages();
        for (int i = 0; i < stages.size(); i++) {
            String name = spec.stageName(i);
            assign(graph, name + "_w", toNd4jLayout(store.values(name + "_w"), stages.get(i)));
            assign(graph, name + "_b", store.values(name + "_b"));
        }
        for (String name : spec.denseNames()) {
            assign(graph, name + "_w", store.values(name + "_w"));
            assign(graph, name + "_b", store.values(name + "_b"));
        }
    }

    private static void assign(SameDiff graph, String name, float[] values) {
        INDArray target = graph.getVariable(name).getArr();
        target.assign(Nd4j.create(values, target.shape(), DataType.FLOAT));
    }

    /**
     * ND4J {@code [k][k][a][b]} to the store's (PyTorch's) {@code [b][a][k][k]}, for a convolution ({@code a = in,
     * b = out}) and a transposed one ({@code a = out, b = in}) alike: the last two ND4J axes swap and move to the
     * front.
     */
    static float[] toStoreLayout(float[] nd, Stage l) {
        return reorder(nd, l, true);
    }

    /** The inverse of {@link #toStoreLayout}. */
    static float[] toNd4jLayout(float[] torch, Stage l) {
        return reorder(torch, l, false);
    }

    private static float[] reorder(float[] values, Stage l, boolean toTorch) {
        int k = l.kernel();
        int a = l.transposed() ? l.out() : l.in();
        int b = l.transposed() ? l.in() : l.out();
        float[] out = new float[values.length];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        int torch = ((j * a + i) * k + y) * k + x;
                        int nd = ((y * k + x) * a + i) * b + j;
                        if (toTorch) {
                            out[torch] = values[nd];
                        } else {
                            out[nd] = values[torch];
                        }
                    }
                }
            }
        }
        return out;
    }
}
