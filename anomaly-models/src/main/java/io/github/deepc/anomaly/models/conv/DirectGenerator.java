package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.support.BlasKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GAN generator on this package's engine (the SameDiff graph's {@code gan.Networks.generator}): a dense layer from the latent vector to {@code 8c} maps of {@code H/16 x W/16} (ND4J's NCHW
 * reshape: feature {@code channel * positions + position}), ReLU and pixel norm, then three 4x4 stride-2 transposed
 * convolutions (padding 1) to {@code 4c, 2c, c} channels, each with ReLU and pixel norm, and a last one to one channel
 * through the output activation (sigmoid or tanh); optionally with self-attention ({@link SelfAttentionLayer}, without
 * spectral normalisation) after the {@code 2c} block, at {@code H/4}. Images come out image-major, {@code n x H x W}.
 *
 * <p>Parameters, in order: the dense weights ({@code [latent][8c H/16 W/16]}, ND4J's {@code linear} layout) and biases,
 * then per transposed convolution its weights (PyTorch's {@code [in][out][4][4]}) and biases, with attention its seven
 * arrays ({@link SelfAttentionLayer#PARAMETER_SUFFIXES}) right after the second transposed convolution's (the graph's
 * declaration order). Given arrays are shared,
 * not copied: training updates them in place; after changing them from outside call {@link #parametersChanged()}.
 * Adam uses {@code beta1 = 0.5} (DCGAN's).
 *
 * <p>Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectGenerator implements AutoCloseable {
    /** Kernel side of the transposed convolutions. */
    public static final int KERNEL = 4;
    /** Stride-2 stages between the smallest map and the image. */
    public static final int STAGES = 4;
    /** Adam's first-moment decay for the GANs (Radford et al. 2016). */
    public static final double BETA1 = 0.5;

    private final int latent;
    private final int height;
    private final int width;
    private final int maxImages;
    private final boolean trainable;
    private final int topChannels;
    private final int topPositions;
    private final NativeMatrix codes;
    private final DenseLayer fc;
    private final NativeMatrix top;
    private final float[] topZeroBias;
    private final List<StageLayer> ups = new ArrayList<>();
    /** Pixel-norm factors: after the dense layer, then after each transposed convolution but the last. */
    private final float[][] factors;
    private final float[] topGrad;
    private final float[] codeGrad;
    private final SelfAttentionLayer attention;
    /** The attention's output as the third transposed convolution's input ({@code null} without attention). */
    private final NativeMatrix attended;
    private final float[] attendedGrad;
    private final AdamStep adam = new AdamStep(BETA1);

    /**
     * @param latent     latent vector size, at least 1
     * @param channels   channels {@code c} of the last hidden map, at least 1
     * @param height     image height, a multiple of 16
     * @param width      image width, a multiple of 16
     * @param output     the output activation ({@link Activation#SIGMOID} or {@link Activation#TANH})
     * @param maxImages  the most images per call
     * @param trainable  whether to hold what training needs (gradients, Adam's moments)
     * @param parameters the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectGenerator(int latent, int channels, int height, int width, Activation output, int maxImages,
                           boolean trainable, float[][] parameters) {
        this(latent, channels, height, width, output, maxImages, trainable, false, parameters);
    }

    /**
     * @param latent     latent vector size, at least 1
     * @param channels   channels {@code c} of the last hidden map, at least 1
     * @param height     image height, a multiple of 16
     * @param width      image width, a multiple of 16
     * @param output     the output activation ({@link Activation#SIGMOID} or {@link Activation#TANH})
     * @param maxImages  the most images per call
     * @param trainable  whether to hold what training needs (gradients, Adam's moments)
     * @param attention  whether self-attention follows the {@code 2c} block
     * @param parameters the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectGenerator(int latent, int channels, int height, int width, Activation output, int maxImages,
                           boolean trainable, boolean attention, float[][] parameters) {
        BlasKernel.warnIfOnFallback();
        int stride = 1 << STAGES;
        if (latent < 1 || channels < 1 || maxImages < 1 || height < stride || width < stride || height % stride != 0
                || width % stride != 0) {
            throw new IllegalArgumentException("a generator needs a latent size, channels and images of at least 1 and "
                    + "sides that are multiples of " + stride + ", got latent " + latent + ", channels " + channels
                    + ", " + maxImages + " images, " + width + "x" + height);
        }
        int attentionArrays = attention ? SelfAttentionLayer.PARAMETER_SUFFIXES.size() : 0;
        if (parameters != null && parameters.length != 2 + 2 * STAGES + attentionArrays) {
            throw new IllegalArgumentException("the generator has " + (2 + 2 * STAGES + attentionArrays)
                    + " parameter arrays, got " + parameters.length);
        }
        this.latent = latent;
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.topChannels = 8 * channels;
        int h = height / stride;
        int w = width / stride;
        this.topPositions = h * w;
        int flat = topChannels * topPositions;
        List<Stage> stages = stages(channels, output);
        NativeMatrix in = null;
        DenseLayer dense = null;
        NativeMatrix topMatrix = null;
        SelfAttentionLayer att = null;
        NativeMatrix attMatrix = null;
        int attChannels = 2 * channels;
        int attPositions = (height / 4) * (width / 4);
        try {
            in = new NativeMatrix(latent, maxImages);
            dense = new DenseLayer(latent, flat, Activation.LINEAR, maxImages, trainable,
                    parameters == null ? null : parameters[0], parameters == null ? null : parameters[1]);
            topMatrix = new NativeMatrix(topChannels, maxImages * topPositions);
            for (int i = 0; i < STAGES; i++) {
                Stage s = stages.get(i);
                int at = 2 + 2 * i + (i >= 2 ? attentionArrays : 0);
                float[][] own = parameters == null ? null : new float[][] {parameters[at], parameters[at + 1]};
                StageLayer up = new StageLayer.Up(s, h, w, maxImages, trainable, true, own);
                ups.add(up);
                if (own != null) {
                    up.pushWeights();
                }
                h *= 2;
                w *= 2;
                if (i == 1 && attention) {
                    float[][] attParams = parameters == null ? null
                            : Arrays.copyOfRange(parameters, 6, 6 + attentionArrays);
                    att = new SelfAttentionLayer(attChannels, h, w, maxImages, trainable, attParams, null);
                    attMatrix = new NativeMatrix(attChannels, maxImages * attPositions);
                }
            }
        } catch (RuntimeException e) {
            NativeMatrix.closeAll(in, topMatrix, attMatrix);
            if (att != null) {
                att.close();
            }
            if (dense != null) {
                dense.close();
            }
            ups.forEach(StageLayer::close);
            throw e;
        }
        this.attention = att;
        this.attended = attMatrix;
        this.attendedGrad = trainable && att != null ? new float[attChannels * maxImages * attPositions] : null;
        this.codes = in;
        this.fc = dense;
        this.top = topMatrix;
        this.topZeroBias = new float[topChannels];
        this.factors = new float[STAGES][];
        int positions = topPositions;
        for (int i = 0; i < STAGES; i++) {
            factors[i] = new float[maxImages * positions];
            positions *= 4;
        }
        this.topGrad = trainable ? new float[flat * maxImages] : null;
        this.codeGrad = trainable ? new float[latent * maxImages] : null;
        if (trainable) {
            adam.add(fc.weights.heap(), fc.weightGrad.heap(), latent * flat, fc::pushWeights);
            adam.add(fc.bias, fc.biasGrad, flat, null);
            for (int i = 0; i < STAGES; i++) {
                StageLayer l = ups.get(i);
                adam.add(l.weights.heap(), l.weightGrad.heap(), l.stage.weightCount(), l::pushWeights);
                adam.add(l.bias, l.biasGrad, l.stage.out(), null);
                if (i == 1 && att != null) {
                    float[][] ap = att.parameters();
                    float[][] ag = att.gradients();
                    for (int k = 0; k < ap.length; k++) {
                        adam.add(ap[k], ag[k], ap[k].length, null);
                    }
                }
            }
        }
    }

    /**
     * @param z {@code n x latent} latent vectors, image after image
     * @param n images, 1 to {@code maxImages}
     * @return the generated images, {@code n x H x W} (the engine's live buffer: read or copy it before the next call)
     */
    public float[] forward(float[] z, int n) {
        checkCount(n);
        if (z.length < n * latent) {
            throw new IllegalArgumentException(n + " latent vectors need " + n * latent + " values, got " + z.length);
        }
        Transpose.of(z, n, latent, codes.heap());
        float[] flat = fc.forward(codes, n).heap();
        float[] t = top.heap();
        FlatLayout.reorder(flat, t, topChannels, topPositions, n, false);
        Activation.RELU.forward(t, topZeroBias, n * topPositions);
        PixelNorm.forward(t, topChannels, n, topPositions, factors[0]);
        NativeMatrix x = top;
        for (int i = 0; i < STAGES; i++) {
            StageLayer up = ups.get(i);
            x = up.forward(x, n);
            if (i < STAGES - 1) {
                PixelNorm.forward(x.heap(), up.stage.out(), n, up.outputCols(n) / n, factors[i + 1]);
            }
            if (i == 1 && attention != null) {
                float[] y = attention.forward(x.heap(), n);
                System.arraycopy(y, 0, attended.heap(), 0, up.stage.out() * up.outputCols(n));
                x = attended;
            }
        }
        return x.heap();
    }

    /**
     * Back-propagates a gradient with respect to the images of the latest {@link #forward} into every parameter's
     * gradient ({@link #gradients()}) and, when asked, into the latent vectors; changes no parameter.
     *
     * @param imageGrad {@code n x H x W}
     * @param n         images of the latest forward pass
     * @param zGrad     receives the gradient with respect to the latent vectors ({@code n x latent}), or {@code null}
     */
    public void backward(float[] imageGrad, int n, float[] zGrad) {
        requireTrainable();
        checkCount(n);
        StageLayer last = ups.get(STAGES - 1);
        System.arraycopy(imageGrad, 0, last.outputGrad.heap(), 0, n * height * width);
        for (int i = STAGES - 1; i >= 0; i--) {
            StageLayer up = ups.get(i);
            float[] inGrad = i == 0 ? topGrad : ups.get(i - 1).outputGrad.heap();
            if (i == 2 && attention != null) {
                up.backward(n, attendedGrad);
                attention.backward(attendedGrad, n, inGrad);
            } else {
                up.backward(n, inGrad);
            }
            if (i > 0) {
                StageLayer below = ups.get(i - 1);
                int positions = below.outputCols(n) / n;
                PixelNorm.backward(below.output.heap(), inGrad, below.stage.out(), n, positions, factors[i]);
            }
        }
        float[] t = top.heap();
        PixelNorm.backward(t, topGrad, topChannels, n, topPositions, factors[0]);
        Activation.RELU.backward(t, topGrad, topChannels * n * topPositions);
        FlatLayout.reorder(topGrad, fc.outputGrad.heap(), topChannels, topPositions, n, true);
        fc.backward(n, zGrad == null ? null : codeGrad);
        if (zGrad != null) {
            Transpose.of(codeGrad, latent, n, zGrad);
        }
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

    /** @return the transposed convolutions of a generator whose last hidden one has {@code channels} channels */
    private static List<Stage> stages(int channels, Activation output) {
        int[] widths = {8 * channels, 4 * channels, 2 * channels, channels, 1};
        List<Stage> stages = new ArrayList<>(STAGES);
        for (int i = 0; i < STAGES; i++) {
            stages.add(new Stage(true, widths[i], widths[i + 1], KERNEL, i == STAGES - 1 ? output : Activation.RELU));
        }
        return stages;
    }

    /**
     * The memory one image takes in an inference-only generator's working matrices (held once on the heap and once
     * natively), for choosing the images per pass before building one.
     *
     * @param channels  channels {@code c} (the dense layer feeds {@code 8c})
     * @param height    image height
     * @param width     image width
     * @param attention whether self-attention follows the second transposed convolution
     * @return float values per image in one of the two copies (the parameters not included)
     */
    public static long floatsPerImage(int channels, int height, int width, boolean attention) {
        int stride = 1 << STAGES;
        return DirectAutoencoder.floatsPerImage(stages(channels, Activation.SIGMOID), null, height / stride,
                width / stride, false)
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
        fc.pushWeights();
        ups.forEach(StageLayer::pushWeights);
    }

    private void checkCount(int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this generator was built for inference only");
        }
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(codes, top, attended);
        if (attention != null) {
            attention.close();
        }
        fc.close();
        ups.forEach(StageLayer::close);
    }

    @Override
    public String toString() {
        return "DirectGenerator[latent=" + latent + ", " + width + "x" + height + ", " + Arrays.toString(
                ups.stream().mapToInt(l -> l.stage.out()).toArray()) + "]";
    }
}
