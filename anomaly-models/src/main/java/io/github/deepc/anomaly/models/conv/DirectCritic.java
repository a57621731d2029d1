package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.support.BlasKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The GANs' convolutional networks on images, on this package's engine (the SameDiff graph's {@code gan.Networks}
 * trunk with its heads): four 4x4 stride-2 convolutions (padding
 * 1) to {@code c, 2c, 4c, 8c} channels with LeakyReLU(0.2), optionally with self-attention
 * ({@link SelfAttentionLayer}) after the {@code 2c} convolution, flattened (ND4J's NCHW order), optionally followed by a
 * code vector (BiGAN's joint discriminator reads {@code (image, code)} pairs) and a dense LeakyReLU(0.2) hidden layer,
 * and a linear dense output. With one output it is the image discriminator (a logit), with {@code latent} outputs the
 * encoder, with a code input and a hidden layer BiGAN's joint discriminator.
 *
 * <p>The backward pass can also return the gradient with respect to the images and codes: a generator's update flows
 * through the discriminator while the discriminator's parameters stay as they are (its own update is
 * {@link #update}, a separate call).
 *
 * <p>Parameters, in order: per convolution its weights (PyTorch's {@code [out][in][4][4]}) and biases, then with a
 * hidden layer its weights ({@code [flat + code][hidden]}) and biases, then the output's weights
 * ({@code [in][outputs]}) and biases; with attention, its seven arrays ({@link SelfAttentionLayer#PARAMETER_SUFFIXES})
 * come right after the second convolution's (the graph's declaration order). Given arrays are shared, not copied;
 * after changing them from outside call {@link #parametersChanged()}. Adam uses {@code beta1 = 0.5}.
 *
 * <p>With spectral normalisation (the discriminators'), every weight (convolutions, attention projections, dense
 * layers) is used as {@code W / sigma(W)} ({@link SpectralNormLayer}); the parameters and {@link #gradients()} stay the
 * raw weights', and {@link #iterateSpectralNorms()} advances the vectors once per training step, before its forward
 * pass.
 *
 * <p>Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectCritic implements AutoCloseable {
    /** Kernel side of the convolutions. */
    public static final int KERNEL = 4;
    /** Stride-2 convolutions. */
    public static final int STAGES = 4;

    private final int height;
    private final int width;
    private final int maxImages;
    private final boolean trainable;
    private final int codeInputs;
    private final int outputs;
    private final int topChannels;
    private final int positions;
    private final int flatFeatures;
    private final NativeMatrix input;
    private final List<StageLayer> convs = new ArrayList<>();
    private final NativeMatrix flat;
    private final DenseLayer hidden;
    private final DenseLayer head;
    private final float[] out;
    private final float[] flatGrad;
    private final float[] hiddenGrad;
    private final SelfAttentionLayer attention;
    /** The attention's output as the third convolution's input ({@code null} without attention). */
    private final NativeMatrix attended;
    private final float[] attendedGrad;
    /** Per convolution, then hidden and output layer: its normalised weight, or all {@code null} without. */
    private final NormalisedWeight[] convNorms = new NormalisedWeight[STAGES];
    private NormalisedWeight hiddenNorm;
    private NormalisedWeight headNorm;
    private final AdamStep adam = new AdamStep(DirectGenerator.BETA1);

    /**
     * @param channels      channels {@code c} of the first convolution, at least 1
     * @param height        image height, a multiple of 16
     * @param width         image width, a multiple of 16
     * @param codeInputs    length of the code read with each image (0 for none)
     * @param hiddenWidth   width of the hidden dense layer (0 for none)
     * @param outputs       outputs per image, at least 1
     * @param maxImages     the most images per call
     * @param trainable     whether to hold what training needs (gradients, Adam's moments)
     * @param parameters    the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectCritic(int channels, int height, int width, int codeInputs, int hiddenWidth, int outputs,
                        int maxImages, boolean trainable, float[][] parameters) {
        this(channels, height, width, codeInputs, hiddenWidth, outputs, maxImages, trainable, false, false, null,
                parameters);
    }

    /**
     * A network with self-attention and spectral normalisation as asked (as {@code gan.Networks}: the image
     * discriminator has both, the encoder attention only).
     *
     * @param channels      channels {@code c} of the first convolution, at least 1
     * @param height        image height, a multiple of 16
     * @param width         image width, a multiple of 16
     * @param codeInputs    length of the code read with each image (0 for none)
     * @param hiddenWidth   width of the hidden dense layer (0 for none)
     * @param outputs       outputs per image, at least 1
     * @param maxImages     the most images per call
     * @param trainable     whether to hold what training needs (gradients, Adam's moments)
     * @param attention     whether self-attention follows the second convolution
     * @param spectral      whether every weight is spectrally normalised
     * @param spectralInit  randomness for the normalisations' initial vectors, drawn in the graph's declaration order
     *                      (as {@code gan.SpectralNorm.create}), or {@code null} for zeros (a saved state follows)
     * @param parameters    the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectCritic(int channels, int height, int width, int codeInputs, int hiddenWidth, int outputs,
                        int maxImages, boolean trainable, boolean attention, boolean spectral,
                        SplittableRandom spectralInit, float[][] parameters) {
        BlasKernel.warnIfOnFallback();
        int stride = 1 << STAGES;
        if (channels < 1 || outputs < 1 || maxImages < 1 || codeInputs < 0 || hiddenWidth < 0 || height < stride
                || width < stride || height % stride != 0 || width % stride != 0) {
            throw new IllegalArgumentException("a critic needs channels, outputs and images of at least 1, no negative "
                    + "code or hidden width, and sides that are multiples of " + stride + ", got channels " + channels
                    + ", outputs " + outputs + ", " + maxImages + " images, code " + codeInputs + ", hidden "
                    + hiddenWidth + ", " + width + "x" + height);
        }
        int attentionArrays = attention ? SelfAttentionLayer.PARAMETER_SUFFIXES.size() : 0;
        int arrays = 2 * STAGES + attentionArrays + (hiddenWidth > 0 ? 4 : 2);
        if (parameters != null && parameters.length != arrays) {
            throw new IllegalArgumentException("the critic has " + arrays + " parameter arrays, got "
                    + parameters.length);
        }
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.codeInputs = codeInputs;
        this.outputs = outputs;
        this.topChannels = 8 * channels;
        this.positions = (height / stride) * (width / stride);
        this.flatFeatures = topChannels * positions;
        int joint = flatFeatures + codeInputs;
        List<Stage> stages = stages(channels);
        NativeMatrix in = null;
        NativeMatrix flatMatrix = null;
        DenseLayer hid = null;
        DenseLayer last = null;
        SelfAttentionLayer att = null;
        NativeMatrix attMatrix = null;
        int attChannels = 2 * channels;
        int attPositions = (height / 4) * (width / 4);
        try {
            in = new NativeMatrix(1, maxImages * height * width);
            int h = height;
            int w = width;
            for (int i = 0; i < STAGES; i++) {
                Stage s = stages.get(i);
                int at = i < 2 ? 2 * i : 2 * i + attentionArrays;
                float[] weight = parameters == null ? new float[s.weightCount()] : parameters[at];
                if (spectral) {
                    convNorms[i] = new NormalisedWeight(
                            SpectralNormLayer.convolution(s.in(), s.out(), KERNEL, spectralInit), weight);
                    weight = convNorms[i].used;
                }
                float[][] own = {weight, parameters == null ? new float[s.out()] : parameters[at + 1]};
                StageLayer conv = new StageLayer.Down(s, h, w, maxImages, trainable, true, own);
                convs.add(conv);
                conv.pushWeights();
                h /= 2;
                w /= 2;
                if (i == 1 && attention) {
                    float[][] attParams = parameters == null ? null
                            : Arrays.copyOfRange(parameters, 4, 4 + attentionArrays);
                    att = new SelfAttentionLayer(attChannels, h, w, maxImages, trainable, attParams,
                            spectral ? SelfAttentionLayer.spectralNorms(attChannels, spectralInit) : null);
                    attMatrix = new NativeMatrix(attChannels, maxImages * attPositions);
                }
            }
            flatMatrix = new NativeMatrix(joint, maxImages);
            int p = 2 * STAGES + attentionArrays;
            if (hiddenWidth > 0) {
                float[] weight = parameters == null ? new float[joint * hiddenWidth] : parameters[p];
                if (spectral) {
                    hiddenNorm = new NormalisedWeight(new SpectralNormLayer(joint, hiddenWidth, spectralInit), weight);
                    weight = hiddenNorm.used;
                }
                hid = new DenseLayer(joint, hiddenWidth, Activation.LEAKY_RELU_0_2, maxImages, trainable, weight,
                        parameters == null ? null : parameters[p + 1]);
                p += 2;
            }
            int headIn = hiddenWidth > 0 ? hiddenWidth : joint;
            float[] weight = parameters == null ? new float[headIn * outputs] : parameters[p];
            if (spectral) {
                headNorm = new NormalisedWeight(new SpectralNormLayer(headIn, outputs, spectralInit), weight);
                weight = headNorm.used;
            }
            last = new DenseLayer(headIn, outputs, Activation.LINEAR, maxImages, trainable, weight,
                    parameters == null ? null : parameters[p + 1]);
        } catch (RuntimeException e) {
            NativeMatrix.closeAll(in, flatMatrix, attMatrix);
            convs.forEach(StageLayer::close);
            if (hid != null) {
                hid.close();
            }
            if (att != null) {
                att.close();
            }
            throw e;
        }
        this.attention = att;
        this.attended = attMatrix;
        this.attendedGrad = trainable && att != null ? new float[attChannels * maxImages * attPositions] : null;
        this.input = in;
        this.flat = flatMatrix;
        this.hidden = hid;
        this.head = last;
        this.out = new float[outputs * maxImages];
        this.flatGrad = trainable ? new float[joint * maxImages] : null;
        this.hiddenGrad = trainable && hid != null ? new float[hiddenWidth * maxImages] : null;
        if (trainable) {
            // in the parameters' order; normalised weights train their raw arrays (re-read at every forward pass)
            for (int i = 0; i < STAGES; i++) {
                StageLayer l = convs.get(i);
                adam.add(convNorms[i] != null ? convNorms[i].raw : l.weights.heap(), l.weightGrad.heap(),
                        l.stage.weightCount(), l::pushWeights);
                adam.add(l.bias, l.biasGrad, l.stage.out(), null);
                if (i == 1 && att != null) {
                    float[][] ap = att.parameters();
                    float[][] ag = att.gradients();
                    for (int k = 0; k < ap.length; k++) {
                        adam.add(ap[k], ag[k], ap[k].length, null);
                    }
                }
            }
            List<DenseLayer> dense = hid == null ? List.of(last) : List.of(hid, last);
            List<NormalisedWeight> norms = Arrays.asList(hid == null ? new NormalisedWeight[] {headNorm}
                    : new NormalisedWeight[] {hiddenNorm, headNorm});
            for (int i = 0; i < dense.size(); i++) {
                DenseLayer d = dense.get(i);
                adam.add(norms.get(i) != null ? norms.get(i).raw : d.weights.heap(), d.weightGrad.heap(), d.in * d.out,
                        d::pushWeights);
                adam.add(d.bias, d.biasGrad, d.out, null);
            }
        }
    }

    /**
     * @return the spectral normalisations in the graph's declaration order (convolutions 1 and 2, the attention's
     *         {@code f, g, h}, convolutions 3 and 4, the hidden layer, the output), live (for saving, loading and
     *         copying their vectors); empty without spectral normalisation
     */
    public List<SpectralNormLayer> spectralNorms() {
        List<SpectralNormLayer> all = new ArrayList<>();
        for (int i = 0; i < STAGES; i++) {
            if (convNorms[i] != null) {
                all.add(convNorms[i].norm);
            }
            if (i == 1 && attention != null && attention.spectral() != null) {
                all.addAll(Arrays.asList(attention.spectral()));
            }
        }
        if (hiddenNorm != null) {
            all.add(hiddenNorm.norm);
        }
        if (headNorm != null) {
            all.add(headNorm.norm);
        }
        return all;
    }

    /**
     * One power iteration of every spectral normalisation (once per training step of this network, before its
     * forward pass); nothing without spectral normalisation. Inference does not iterate.
     */
    public void iterateSpectralNorms() {
        for (NormalisedWeight nw : convNorms) {
            if (nw != null) {
                nw.iterate();
            }
        }
        if (attention != null) {
            attention.iterateSpectralNorms();
        }
        if (hiddenNorm != null) {
            hiddenNorm.iterate();
        }
        if (headNorm != null) {
            headNorm.iterate();
        }
    }

    /** Rewrites the normalised weights from the raw ones and the current vectors, for the next forward pass. */
    private void refreshNormalised() {
        for (int i = 0; i < STAGES; i++) {
            if (convNorms[i] != null) {
                convNorms[i].refresh();
                convs.get(i).pushWeights();
            }
        }
        if (hiddenNorm != null) {
            hiddenNorm.refresh();
            hidden.pushWeights();
        }
        if (headNorm != null) {
            headNorm.refresh();
            head.pushWeights();
        }
    }

    /**
     * @param images {@code n x H x W} images
     * @param codes  {@code n x codeInputs} codes paired with them, or {@code null} without a code input
     * @param n      images, 1 to {@code maxImages}
     * @return the outputs, {@code n x outputs} (the engine's live buffer: read or copy it before the next call)
     */
    public float[] forward(float[] images, float[] codes, int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
        int px = n * height * width;
        if (images.length < px || (codeInputs > 0 && (codes == null || codes.length < n * codeInputs))) {
            throw new IllegalArgumentException(n + " images of " + width + "x" + height + " need " + px + " pixels and "
                    + n * codeInputs + " code values, got " + images.length + " and "
                    + (codes == null ? 0 : codes.length));
        }
        System.arraycopy(images, 0, input.heap(), 0, px);
        refreshNormalised();
        NativeMatrix x = input;
        for (int i = 0; i < STAGES; i++) {
            x = convs.get(i).forward(x, n);
            if (i == 1 && attention != null) {
                float[] y = attention.forward(x.heap(), n);
                System.arraycopy(y, 0, attended.heap(), 0, convs.get(i).outputCols(n) * convs.get(i).stage.out());
                x = attended;
            }
        }
        float[] f = flat.heap();
        FlatLayout.reorder(x.heap(), f, topChannels, positions, n, true);
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < codeInputs; j++) {
                f[(flatFeatures + j) * n + b] = codes[b * codeInputs + j];
            }
        }
        NativeMatrix h = hidden == null ? flat : hidden.forward(flat, n);
        Transpose.of(head.forward(h, n).heap(), outputs, n, out);
        return out;
    }

    /**
     * Back-propagates a gradient with respect to the outputs of the latest {@link #forward} into every parameter's
     * gradient ({@link #gradients()}) and, when asked, into the images and codes; changes no parameter.
     *
     * @param outputGrad {@code n x outputs}
     * @param n          images of the latest forward pass
     * @param imageGrad  receives the gradient with respect to the images ({@code n x H x W}), or {@code null}
     * @param codeGrad   receives the gradient with respect to the codes ({@code n x codeInputs}), or {@code null}
     */
    public void backward(float[] outputGrad, int n, float[] imageGrad, float[] codeGrad) {
        if (!trainable) {
            throw new IllegalStateException("this critic was built for inference only");
        }
        Transpose.of(outputGrad, n, outputs, head.outputGrad.heap());
        if (hidden == null) {
            head.backward(n, flatGrad);
        } else {
            head.backward(n, hiddenGrad);
            System.arraycopy(hiddenGrad, 0, hidden.outputGrad.heap(), 0, hidden.out * n);
            hidden.backward(n, flatGrad);
            if (hiddenNorm != null && hidden.weightGradients) {
                hiddenNorm.toRawGradient(hidden.weightGrad.heap());
            }
        }
        if (headNorm != null && head.weightGradients) {
            headNorm.toRawGradient(head.weightGrad.heap());
        }
        if (codeGrad != null) {
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < codeInputs; j++) {
                    codeGrad[b * codeInputs + j] = flatGrad[(flatFeatures + j) * n + b];
                }
            }
        }
        FlatLayout.reorder(flatGrad, convs.get(STAGES - 1).outputGrad.heap(), topChannels, positions, n, false);
        for (int i = STAGES - 1; i >= 0; i--) {
            StageLayer conv = convs.get(i);
            boolean intoAttention = i == 2 && attention != null;
            if (i == 0 || intoAttention) {
                conv.backward(n, i == 0 ? imageGrad : attendedGrad);
            } else {
                conv.backward(n, convs.get(i - 1).outputGrad); // channels-last between oneDNN's convolutions
            }
            if (intoAttention) {
                attention.backward(attendedGrad, n, convs.get(1).outputGrad.heap());
            }
            if (convNorms[i] != null && conv.weightGradients) {
                convNorms[i].toRawGradient(conv.weightGrad.heap());
            }
        }
    }

    /**
     * Back-propagates a gradient with respect to the outputs into the images and codes only, without the parameter
     * gradients (a quarter to a third less work): for a generator's update through this network while it stays fixed.
     * The parameter gradients keep whatever they held, but for the self-attention's (its layer always computes them:
     * they become this pass's); do not {@link #update} after this call.
     *
     * @param outputGrad {@code n x outputs}
     * @param n          images of the latest forward pass
     * @param imageGrad  receives the gradient with respect to the images ({@code n x H x W})
     * @param codeGrad   receives the gradient with respect to the codes ({@code n x codeInputs}), or {@code null}
     */
    public void backwardToInputs(float[] outputGrad, int n, float[] imageGrad, float[] codeGrad) {
        setWeightGradients(false);
        try {
            backward(outputGrad, n, imageGrad, codeGrad);
        } finally {
            setWeightGradients(true);
        }
    }

    private void setWeightGradients(boolean on) {
        convs.forEach(l -> l.weightGradients = on);
        if (hidden != null) {
            hidden.weightGradients = on;
        }
        head.weightGradients = on;
    }

    /**
     * One Adam step with the gradients of the latest {@link #backward}.
     *
     * @param learningRate Adam's learning rate
     */
    public void update(double learningRate) {
        requireTrainable();
        adam.update(learningRate, 0);
    }

    /** @return the convolutions of a critic whose first one has {@code channels} output channels */
    private static List<Stage> stages(int channels) {
        int[] widths = {1, channels, 2 * channels, 4 * channels, 8 * channels};
        List<Stage> stages = new ArrayList<>(STAGES);
        for (int i = 0; i < STAGES; i++) {
            stages.add(new Stage(false, widths[i], widths[i + 1], KERNEL, Activation.LEAKY_RELU_0_2));
        }
        return stages;
    }

    /**
     * The memory one image takes in an inference-only critic's working matrices (held once on the heap and once
     * natively), for choosing the images per pass before building one.
     *
     * @param channels  channels of the first convolution
     * @param height    image height
     * @param width     image width
     * @param attention whether self-attention follows the second convolution
     * @return float values per image in one of the two copies (the parameters not included)
     */
    public static long floatsPerImage(int channels, int height, int width, boolean attention) {
        return DirectAutoencoder.floatsPerImage(stages(channels), null, height, width, false)
                + (attention ? SelfAttentionLayer.floatsPerImage(2 * channels, height / 4, width / 4, false) / 2 : 0);
    }

    /** @return copies of the gradients of the latest {@link #backward}, in the parameters' order */
    public float[][] gradients() {
        requireTrainable();
        return adam.gradientCopies();
    }

    /** @return Adam's moments and step count, for checkpoints */
    public OptimizerState optimizer() {
        requireTrainable();
        return adam;
    }

    /** Re-reads the parameter arrays after they were changed from outside (the products read a native copy). */
    public void parametersChanged() {
        // normalised weights are rewritten and pushed at every forward pass
        convs.forEach(StageLayer::pushWeights);
        if (hidden != null) {
            hidden.pushWeights();
        }
        head.pushWeights();
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this critic was built for inference only");
        }
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(input, flat, attended);
        convs.forEach(StageLayer::close);
        if (attention != null) {
            attention.close();
        }
        if (hidden != null) {
            hidden.close();
        }
        head.close();
    }
}
