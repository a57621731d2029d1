package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.samediff.GraphLayers;
import io.github.deepc.anomaly.models.score.PixelLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the SameDiff graphs (NCHW, float32) of the convolutional autoencoders together with their training loss:
 * the plain autoencoder ({@code cae}), the autoencoder with a dense bottleneck ({@code bottleneck-cae}) and the
 * variational autoencoder ({@code vae}) share the encoder and decoder of a {@link ConvLayout} and differ only in the
 * {@link Head} between them and in the loss.
 *
 * <p>Graph variables: placeholders {@value #INPUT} and {@value #MASK} (both {@code [batch, 1, height, width]}), for
 * the VAE also {@value #NOISE} ({@code [batch, latent]}); the reconstruction {@value #OUTPUT}, its pre-activation
 * {@value #LOGITS}, the scalar loss {@value #LOSS}; with a head the code {@value #LATENT} ({@code [batch, latent]}),
 * for the VAE also {@value #LOG_VARIANCE} and the per-image KL divergence {@value #KL} ({@code [batch]}). Trainable
 * variables are named {@code <layer>_w} and {@code <layer>_b}, in {@link Spec#parameterNames} order: encoder stages,
 * dense layers, decoder stages.
 *
 * <h2>Heads</h2>
 * <ul>
 *   <li>{@link Head#NONE}: the decoder reads the encoder's output directly (for the reference layout at 64x64 an
 *       8x8x128 code, more values than the input: no bottleneck).</li>
 *   <li>{@link Head#DENSE}: the encoder's output is flattened ({@code [batch, C*h*w]} in NCHW order) and mapped
 *       linearly to {@code latent} values ({@value #LATENT}, the code), then by a dense layer with ReLU back to
 *       {@code C*h*w} values, reshaped for the decoder.</li>
 *   <li>{@link Head#VARIATIONAL}: two linear maps of the flattened encoder output give the posterior mean
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
 * keeping the last. The test {@code CaeModelTest#forwardMatchesNaivePyTorchSemantics} checks this against a direct
 * implementation.
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

    /** Activation after a layer. */
    enum Activation { RELU, SIGMOID, LINEAR }

    /** What sits between encoder and decoder. */
    enum Head { NONE, DENSE, VARIATIONAL }

    /**
     * One convolution stage.
     *
     * @param name       variable name prefix
     * @param transposed ConvTranspose2d rather than Conv2d
     * @param in         input channels
     * @param out        output channels
     * @param kernel     kernel side
     * @param activation activation applied after it
     */
    record Layer(String name, boolean transposed, int in, int out, int kernel, Activation activation) {
        /** @return the weight shape in ND4J's layout for this layer type */
        long[] weightShape() {
            return transposed ? new long[] {kernel, kernel, out, in} : new long[] {kernel, kernel, in, out};
        }

        /** @return PyTorch's fan-in: in*k*k for Conv2d, weight.size(1)*k*k = out*k*k for ConvTranspose2d */
        int fanIn() {
            return (transposed ? out : in) * kernel * kernel;
        }

        /** @return the zero padding of each side, {@code (kernel - 1) / 2} */
        int padding() {
            return (kernel - 1) / 2;
        }

        String weightName() {
            return name + "_w";
        }

        String biasName() {
            return name + "_b";
        }
    }

    /**
     * One fully connected layer, {@code y = x W + b}.
     *
     * @param name variable name prefix
     * @param in   input features
     * @param out  output features
     */
    record Dense(String name, int in, int out) {
        /** @return {@code [in, out]} */
        long[] weightShape() {
            return new long[] {in, out};
        }

        String weightName() {
            return name + "_w";
        }

        String biasName() {
            return name + "_b";
        }
    }

    /**
     * A complete network and loss.
     *
     * @param layout         encoder and decoder
     * @param head           what sits between them
     * @param latent         code size of a {@link Head#DENSE} or {@link Head#VARIATIONAL} head, else 0
     * @param reconstruction the per-pixel reconstruction error of the loss
     * @param beta           weight of the KL divergence ({@link Head#VARIATIONAL} only, else 0)
     */
    record Spec(ConvLayout layout, Head head, int latent, PixelLoss reconstruction, double beta) {
        /** Checks the combination. */
        Spec {
            Objects.requireNonNull(layout, "layout");
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(reconstruction, "reconstruction");
            if (head == Head.NONE ? latent != 0 : latent < 1) {
                throw new IllegalArgumentException("latent size must be " + (head == Head.NONE ? "0" : "at least 1")
                        + " for head " + head + ", got " + latent);
            }
            if (head != Head.VARIATIONAL && beta != 0) {
                throw new IllegalArgumentException("beta applies to the variational head only");
            }
            if (!(beta >= 0) || !Double.isFinite(beta)) {
                throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
            }
            if (reconstruction == PixelLoss.BCE && layout.output() != ConvLayout.OutputActivation.SIGMOID) {
                throw new IllegalArgumentException("the bce reconstruction loss needs output-activation=sigmoid");
            }
        }

        /** @return the plain autoencoder of {@code layout} with a masked MSE */
        static Spec plain(ConvLayout layout) {
            return new Spec(layout, Head.NONE, 0, PixelLoss.MSE, 0);
        }

        /** @return the encoder stages, first to last */
        List<Layer> encoder() {
            List<Layer> out = new ArrayList<>();
            int in = 1;
            for (int i = 1; i <= layout.depth(); i++) {
                int c = layout.channels() << (i - 1);
                out.add(new Layer("enc" + i, false, in, c, layout.kernel(), Activation.RELU));
                in = c;
            }
            return out;
        }

        /** @return the decoder stages, first to last; the last one has the output activation */
        List<Layer> decoder() {
            List<Layer> out = new ArrayList<>();
            int d = layout.depth();
            for (int i = 1; i <= d; i++) {
                int in = layout.channels() << (d - i);
                boolean last = i == d;
                int o = last ? 1 : in / 2;
                Activation a = !last ? Activation.RELU
                        : layout.output() == ConvLayout.OutputActivation.SIGMOID ? Activation.SIGMOID : Activation.LINEAR;
                out.add(new Layer("dec" + i, true, in, o, layout.kernel(), a));
            }
            return out;
        }

        /**
         * @param height input height
         * @param width  input width
         * @return the dense layers of the head, in graph order (empty without a head)
         */
        List<Dense> dense(int height, int width) {
            int flat = Math.multiplyExact(layout.codeChannels(), (height / layout.stride()) * (width / layout.stride()));
            return switch (head) {
                case NONE -> List.of();
                case DENSE -> List.of(new Dense("bottleneck", flat, latent), new Dense("expand", latent, flat));
                case VARIATIONAL -> List.of(new Dense("mu", flat, latent), new Dense("logvar", flat, latent),
                        new Dense("expand", latent, flat));
            };
        }

        /**
         * @param height input height
         * @param width  input width
         * @return the trainable variables in serialisation order (per layer: weights, bias)
         */
        List<String> parameterNames(int height, int width) {
            List<String> names = new ArrayList<>();
            for (Layer l : encoder()) {
                names.add(l.weightName());
                names.add(l.biasName());
            }
            for (Dense l : dense(height, width)) {
                names.add(l.weightName());
                names.add(l.biasName());
            }
            for (Layer l : decoder()) {
                names.add(l.weightName());
                names.add(l.biasName());
            }
            return names;
        }

        /**
         * @param height input height
         * @param width  input width
         * @return the number of trainable parameters (the convolutions' do not depend on the size, the head's do)
         */
        long parameterCount(int height, int width) {
            long n = 0;
            List<Layer> conv = new ArrayList<>(encoder());
            conv.addAll(decoder());
            for (Layer l : conv) {
                n += product(l.weightShape()) + l.out();
            }
            for (Dense l : dense(height, width)) {
                n += product(l.weightShape()) + l.out();
            }
            return n;
        }

        /** @return whether the network has a {@value #NOISE} placeholder */
        boolean variational() {
            return head == Head.VARIATIONAL;
        }

        /** @return what fixes the trainable variables and the outputs, e.g. {@code depth=4,...,latent=64} */
        String describe() {
            return layout.describe() + (head == Head.NONE ? "" : ",latent=" + latent);
        }
    }

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
     * @return its layers, encoder first
     * @throws IllegalArgumentException for an unknown architecture
     */
    static List<Layer> layers(String architecture) {
        Spec s = Spec.plain(layout(architecture));
        List<Layer> all = new ArrayList<>(s.encoder());
        all.addAll(s.decoder());
        return all;
    }

    /**
     * @param architecture architecture name with a fixed layout
     * @return the names of the trainable variables in serialisation order (per layer: weights, bias)
     */
    static List<String> parameterNames(String architecture) {
        return Spec.plain(layout(architecture)).parameterNames(REFERENCE_STRIDE, REFERENCE_STRIDE);
    }

    /**
     * @param architecture architecture name with a fixed layout
     * @return the number of trainable parameters (185,217 for the reference architecture)
     */
    static long parameterCount(String architecture) {
        return Spec.plain(layout(architecture)).parameterCount(REFERENCE_STRIDE, REFERENCE_STRIDE);
    }

    /**
     * Builds the graph of a named plain autoencoder.
     *
     * @see #build(Spec, int, int, SplittableRandom)
     */
    static SameDiff build(String architecture, int height, int width, SplittableRandom init) {
        return build(Spec.plain(layout(architecture)), height, width, init);
    }

    /**
     * Builds the graph.
     *
     * @param spec   network and loss
     * @param height input height (a multiple of the layout's stride)
     * @param width  input width (a multiple of the layout's stride)
     * @param init   source of the PyTorch-default initialisation, drawn per layer (weights, then bias) in parameter
     *               order, or {@code null} for zeros (when the weights are about to be overwritten from a saved state)
     * @return the graph; the caller owns its native memory
     */
    static SameDiff build(Spec spec, int height, int width, SplittableRandom init) {
        ConvLayout layout = spec.layout();
        if (height % layout.stride() != 0 || width % layout.stride() != 0) {
            throw new IllegalArgumentException("input sides must be multiples of " + layout.stride() + ", got "
                    + width + "x" + height);
        }
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, 1, height, width);

        SDVariable x = input;
        int h = height;
        int w = width;
        for (Layer l : spec.encoder()) {
            x = activate(sd, l.activation(), l.name(), conv(sd, l, x, init));
            h /= 2;
            w /= 2;
        }

        SDVariable kl = null;
        List<Dense> dense = spec.dense(height, width);
        if (spec.head() != Head.NONE) {
            int c = layout.codeChannels();
            SDVariable flat = sd.reshape("flatten", x, -1, (long) c * h * w);
            SDVariable expandInput;
            if (spec.head() == Head.DENSE) {
                expandInput = dense(sd, dense.get(0), flat, LATENT, init);
            } else {
                SDVariable mu = dense(sd, dense.get(0), flat, LATENT, init);
                SDVariable logVar = dense(sd, dense.get(1), flat, LOG_VARIANCE, init);
                SDVariable eps = sd.placeHolder(NOISE, DataType.FLOAT, -1, spec.latent());
                SDVariable std = sd.math().exp("std", logVar.mul(0.5));
                expandInput = mu.add("z", std.mul(eps));
                // KL(N(mu, sigma^2) || N(0, 1)) per image
                SDVariable terms = logVar.add(1.0).sub(mu.mul(mu)).sub(sd.math().exp(logVar));
                kl = terms.sum(1).mul(KL, -0.5);
            }
            Dense expand = dense.get(dense.size() - 1);
            SDVariable expanded = sd.nn().relu("expand", dense(sd, expand, expandInput, "expand_pre", init), 0.0);
            x = sd.reshape("unflatten", expanded, -1, c, h, w);
        }

        List<Layer> decoder = spec.decoder();
        SDVariable logits = null;
        for (int li = 0; li < decoder.size(); li++) {
            Layer l = decoder.get(li);
            boolean last = li == decoder.size() - 1;
            SDVariable pre = deconv(sd, l, x, h, w, last ? LOGITS : l.name() + "_crop", init);
            h *= 2;
            w *= 2;
            if (last) {
                logits = pre;
            }
            x = activate(sd, l.activation(), last ? OUTPUT : l.name(), pre);
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
        };
    }

    private static SDVariable conv(SameDiff sd, Layer l, SDVariable x, SplittableRandom init) {
        SDVariable w = sd.var(l.weightName(), initial(l.weightShape(), l.fanIn(), init));
        SDVariable b = sd.var(l.biasName(), initial(new long[] {l.out()}, l.fanIn(), init));
        int k = l.kernel();
        int p = l.padding();
        return sd.cnn().conv2d(l.name() + "_conv", x, w, b, GraphLayers.stride2Conv(k, p));
    }

    /** A stride-2 transposed convolution of an {@code h x w} input cropped to {@code 2h x 2w} (see class comment). */
    private static SDVariable deconv(SameDiff sd, Layer l, SDVariable x, int h, int w, String name,
                                     SplittableRandom init) {
        SDVariable wt = sd.var(l.weightName(), initial(l.weightShape(), l.fanIn(), init));
        SDVariable b = sd.var(l.biasName(), initial(new long[] {l.out()}, l.fanIn(), init));
        int k = l.kernel();
        DeConv2DConfig cfg = DeConv2DConfig.builder()
                .kH(k).kW(k).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        SDVariable full = sd.cnn().deconv2d(l.name() + "_full", x, wt, b, cfg); // [b, c, 2h-2+k, 2w-2+k]
        // keep full indices [p, p + 2h) on H and [p, p + 2w) on W; begin/end masks: all of N and C
        long p = l.padding();
        return sd.stridedSlice(name, full, new long[] {0, 0, p, p}, new long[] {0, 0, p + 2L * h, p + 2L * w},
                new long[] {1, 1, 1, 1}, 0b0011, 0b0011, 0, 0, 0);
    }

    private static SDVariable dense(SameDiff sd, Dense l, SDVariable x, String name, SplittableRandom init) {
        SDVariable w = sd.var(l.weightName(), initial(l.weightShape(), l.in(), init));
        SDVariable b = sd.var(l.biasName(), initial(new long[] {l.out()}, l.in(), init));
        return sd.nn().linear(name, x, w, b);
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * PyTorch's default Conv2d/ConvTranspose2d/Linear initialisation for weights and biases alike:
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn in the array's row-major order.
     */
    private static INDArray initial(long[] shape, int fanIn, SplittableRandom rng) {
        return GraphLayers.uniform(shape, 1.0 / Math.sqrt(fanIn), rng);
    }
}
