package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.support.BlasKernel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A bias-free feature network on this package's engine (the networks of the deep one-class models): stride-2
 * {@link Stage}s whose biases are held at zero and never trained (Deep SVDD's networks must have none), a linear
 * projection without bias of the flattened last stage (ND4J's NCHW flattening, feature
 * {@code channel * positions + position}) to {@code repDim} features, and optionally a linear classification head
 * with bias on the features. A batch's loss is computed from its features and logits by a {@link FeatureLoss}; the
 * engine back-propagates it and takes Adam steps (with SameDiff's L2 weight decay) on the parameter arrays in place.
 * The network sees {@code image * mask}.
 *
 * <p>Parameters, in order: per stage its weights (PyTorch's {@code [out][in][k][k]}), the projection
 * ({@code [flat][repDim]}, ND4J's {@code mmul} layout), and with a head its weights ({@code [repDim][classes]}) and
 * biases ({@code [classes]}). Given arrays are shared, not copied; after changing them from outside call
 * {@link #parametersChanged()}.
 *
 * <p>Where oneDNN computes the stages, the projection reads the last stage's channels-last result directly, with its
 * rows permuted to match, and training hands the gradient back to the last stage channels-last
 * ({@link ChannelsLastProjection}; equal to the flattening path to float rounding).
 *
 * <p>Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectFeatureNetwork implements AutoCloseable {
    /** A loss computed from a batch's features (and logits, with a head) and its gradient with respect to them. */
    @FunctionalInterface
    public interface FeatureLoss {
        /**
         * @param features    {@code n x repDim}, image after image
         * @param logits      {@code n x classes}, image after image, or {@code null} without a head
         * @param n           images
         * @param featureGrad receives the loss gradient with respect to the features (zero on entry)
         * @param logitGrad   receives the gradient with respect to the logits (zero on entry), or {@code null}
         * @return the batch's loss
         */
        double compute(float[] features, float[] logits, int n, float[] featureGrad, float[] logitGrad);
    }

    private final int height;
    private final int width;
    private final int maxImages;
    private final boolean trainable;
    private final int repDim;
    private final int classes;
    private final int channels;
    private final int positions;
    private final Encoder encoder;
    private final NativeMatrix input;
    private final NativeMatrix flat;
    private final DenseLayer projection;
    private final DenseLayer head;
    /** The projection from the last stage's channels-last result, where oneDNN computes the stages; else null. */
    private final ChannelsLastProjection channelsLastProjection;
    private final float[] flatGrad;
    private final float[] headInputGrad;
    private final float[] features;
    private final float[] logits;
    private final float[] featureGrad;
    private final float[] logitGrad;
    private final AdamStep adam = new AdamStep();

    /**
     * @param stages     halving stages; the first reads 1 channel, each reads what the previous writes
     * @param repDim     features, at least 1
     * @param classes    classes of the head, or 0 for none
     * @param height     image height, a multiple of {@code 2^stages}
     * @param width      image width, likewise
     * @param maxImages  the most images per call
     * @param trainable  whether to hold what training needs (gradients, Adam's moments)
     * @param parameters the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the stage, size or array that does not fit
     */
    public DirectFeatureNetwork(List<Stage> stages, int repDim, int classes, int height, int width, int maxImages,
                                boolean trainable, float[][] parameters) {
        Objects.requireNonNull(stages, "stages");
        BlasKernel.warnIfOnFallback();
        if (stages.isEmpty() || repDim < 1 || classes < 0 || maxImages < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("need at least one stage, one feature, one image and a positive size, got "
                    + stages.size() + " stages, rep-dim " + repDim + ", " + classes + " classes, " + maxImages
                    + " images, " + width + "x" + height);
        }
        int arrays = stages.size() + 1 + (classes > 0 ? 2 : 0);
        if (parameters != null && parameters.length != arrays) {
            throw new IllegalArgumentException("the network has " + arrays + " parameter arrays, got "
                    + parameters.length);
        }
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.repDim = repDim;
        this.classes = classes;
        Encoder enc = new Encoder(stages, height, width, maxImages, trainable, true,
                parameters == null ? null : java.util.Arrays.copyOf(parameters, stages.size()));
        int ch = enc.channels();
        int h = enc.gridHeight();
        int w = enc.gridWidth();
        NativeMatrix in = null;
        NativeMatrix flatMatrix = null;
        DenseLayer proj = null;
        DenseLayer cls = null;
        try {
            if (trainable) {
                enc.register(adam);
            }
            in = new NativeMatrix(1, maxImages * height * width);
            int flatSize = ch * h * w;
            flatMatrix = new NativeMatrix(flatSize, maxImages);
            proj = new DenseLayer(flatSize, repDim, Activation.LINEAR, maxImages, trainable,
                    parameters == null ? null : parameters[stages.size()], new float[repDim]);
            if (trainable) {
                adam.add(proj.weights.heap(), proj.weightGrad.heap(), flatSize * repDim, this::projectionChanged);
            }
            if (classes > 0) {
                cls = new DenseLayer(repDim, classes, Activation.LINEAR, maxImages, trainable,
                        parameters == null ? null : parameters[stages.size() + 1],
                        parameters == null ? null : parameters[stages.size() + 2]);
                if (trainable) {
                    adam.add(cls.weights.heap(), cls.weightGrad.heap(), repDim * classes, cls::pushWeights);
                    adam.add(cls.bias, cls.biasGrad, classes, null);
                }
            }
        } catch (RuntimeException e) {
            enc.close();
            NativeMatrix.closeAll(in, flatMatrix);
            if (proj != null) {
                proj.close();
            }
            throw e;
        }
        this.encoder = enc;
        this.input = in;
        this.flat = flatMatrix;
        this.projection = proj;
        this.head = cls;
        this.channels = ch;
        this.positions = h * w;
        this.channelsLastProjection = Gemm.library() == Gemm.Library.ONEDNN
                ? new ChannelsLastProjection(ch, h, w, repDim, maxImages, trainable) : null;
        if (channelsLastProjection != null) {
            channelsLastProjection.weightsChanged(proj.weights.heap());
        }
        this.flatGrad = trainable ? new float[ch * h * w * maxImages] : null;
        this.headInputGrad = trainable && classes > 0 ? new float[repDim * maxImages] : null;
        this.features = new float[repDim * maxImages];
        this.logits = classes > 0 ? new float[classes * maxImages] : null;
        this.featureGrad = trainable ? new float[repDim * maxImages] : null;
        this.logitGrad = trainable && classes > 0 ? new float[classes * maxImages] : null;
    }

    /** @return the most images one call computes */
    public int maxImages() {
        return maxImages;
    }

    /**
     * The memory one image takes in the working matrices, each held twice (on the Java heap and natively), for
     * choosing a batch size before building one.
     *
     * @param stages    the stages
     * @param height    image height
     * @param width     image width
     * @param trainable whether the engine will train
     * @return float values per image in one of the two copies (the parameters not included)
     */
    public static long floatsPerImage(List<Stage> stages, int height, int width, boolean trainable) {
        long last = (long) height * width / (1L << (2 * stages.size())) * stages.get(stages.size() - 1).out();
        return DirectAutoencoder.floatsPerImage(stages, null, height, width, trainable) + (trainable ? 2 : 1) * last;
    }

    /**
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks (1 valid, 0 not)
     * @param n      images, 1 to {@code maxImages}
     * @return the features, {@code n x repDim} (a copy)
     */
    public float[] features(float[] pixels, float[] masks, int n) {
        forward(pixels, masks, n);
        return Arrays.copyOf(features, n * repDim);
    }

    /** @return the logits of the latest forward pass, {@code n x classes} (a copy), or {@code null} without a head */
    public float[] logits(int n) {
        return logits == null ? null : Arrays.copyOf(logits, n * classes);
    }

    /**
     * Computes the loss and every parameter's gradient ({@link #gradients()}) without changing the parameters.
     *
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks
     * @param n      images, 1 to {@code maxImages}
     * @param loss   the loss
     * @return the batch's loss
     * @throws IllegalStateException for an inference-only instance
     */
    public double gradients(float[] pixels, float[] masks, int n, FeatureLoss loss) {
        if (!trainable) {
            throw new IllegalStateException("this feature network was built for inference only");
        }
        forward(pixels, masks, n);
        Arrays.fill(featureGrad, 0f);
        if (logitGrad != null) {
            Arrays.fill(logitGrad, 0f);
        }
        double value = loss.compute(features, logits, n, featureGrad, logitGrad);
        if (head != null) {
            transpose(logitGrad, n, classes, head.outputGrad.heap());
            head.backward(n, headInputGrad); // [repDim][n]
        }
        if (channelsLastProjection != null && channelsLastProjection.applied()) {
            if (head != null) {
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < repDim; j++) {
                        featureGrad[b * repDim + j] += headInputGrad[j * n + b];
                    }
                }
            }
            channelsLastProjection.backward(featureGrad, n, projection.weightGrad.heap(), encoder.last().outputGrad);
        } else {
            float[] g = projection.outputGrad.heap();
            transpose(featureGrad, n, repDim, g);
            if (head != null) {
                for (int i = 0, end = repDim * n; i < end; i++) {
                    g[i] += headInputGrad[i];
                }
            }
            projection.backward(n, flatGrad);
            FlatLayout.reorder(flatGrad, encoder.last().outputGrad.heap(), channels, positions, n, false);
        }
        encoder.backward(n);
        return value;
    }

    /**
     * One Adam step on a mini-batch.
     *
     * @param pixels       {@code n x height x width} images
     * @param masks        their valid-pixel masks
     * @param n            images, 1 to {@code maxImages}
     * @param loss         the loss
     * @param learningRate Adam's learning rate
     * @param weightDecay  L2 weight decay added to the gradients (SameDiff's {@code l2}), at least 0
     * @return the batch's loss before the update plus the L2 penalty {@code weightDecay / 2 * sum p^2} (the objective
     *         SameDiff minimises and reports)
     */
    public double trainStep(float[] pixels, float[] masks, int n, FeatureLoss loss, double learningRate,
                            double weightDecay) {
        double value = gradients(pixels, masks, n, loss) + adam.penalty(weightDecay);
        adam.update(learningRate, weightDecay);
        return value;
    }

    /**
     * @return copies of the gradients of the latest {@link #gradients} call, in the parameters' order (after a
     *         {@link #trainStep} with weight decay: the decayed gradients)
     */
    public float[][] gradients() {
        if (!trainable) {
            throw new IllegalStateException("this feature network was built for inference only");
        }
        return adam.gradientCopies();
    }

    /** @return Adam's moments and step count, for checkpoints */
    public OptimizerState optimizer() {
        requireTrainable();
        return adam;
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this feature network was built for inference only");
        }
    }

    /** Re-reads the parameter arrays after they were changed from outside (the products read a native copy). */
    public void parametersChanged() {
        encoder.pushWeights();
        projectionChanged();
        if (head != null) {
            head.pushWeights();
        }
    }

    /** Re-reads the projection's weights into both its native forms. */
    private void projectionChanged() {
        projection.pushWeights();
        if (channelsLastProjection != null) {
            channelsLastProjection.weightsChanged(projection.weights.heap());
        }
    }

    private void forward(float[] pixels, float[] masks, int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
        int px = n * height * width;
        if (pixels.length < px || masks.length < px) {
            throw new IllegalArgumentException("pixels and masks must hold " + n + " images of " + width + "x" + height
                    + ", got " + pixels.length + " and " + masks.length + " values");
        }
        float[] x = input.heap();
        for (int i = 0; i < px; i++) {
            x[i] = pixels[i] * masks[i];
        }
        NativeMatrix last = encoder.forward(input, n);
        if (channelsLastProjection != null && channelsLastProjection.forward(last, n, features)) {
            if (head != null) {
                transpose(features, n, repDim, projection.output.heap()); // the head reads them feature-major
            }
        } else {
            FlatLayout.reorder(last.heap(), flat.heap(), channels, positions, n, true);
            transpose(projection.forward(flat, n).heap(), repDim, n, features);
        }
        if (head != null) {
            transpose(head.forward(projection.output, n).heap(), classes, n, logits);
        }
    }

    /** Writes the transpose of the {@code rows x cols} matrix {@code a} into {@code t}. */
    private static void transpose(float[] a, int rows, int cols, float[] t) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
    }

    @Override
    public void close() {
        encoder.close();
        NativeMatrix.closeAll(input, flat);
        if (channelsLastProjection != null) {
            channelsLastProjection.close();
        }
        projection.close();
        if (head != null) {
            head.close();
        }
    }
}
