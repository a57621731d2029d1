package io.github.deepc.anomaly.models.conv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fully convolutional encoder of stride-2 {@link Stage}s with a 1x1 logit head, on this package's engine (the
 * stages' column gathers and BLAS products of {@link DirectAutoencoder}): it predicts, per cell of the encoder's output
 * grid (one cell per {@code 2^stages x 2^stages} pixels), a logit whose sigmoid is trained towards a target in
 * [0, 1], e.g. the share of the cell a synthetic defect covers. The loss is the mean over cells of the binary
 * cross-entropy with soft targets, positive targets weighted by {@code positiveWeight}:
 * {@code pw * t * softplus(-l) + (1 - t) * softplus(l)} (PyTorch's {@code BCEWithLogitsLoss(pos_weight=pw)}).
 *
 * <p>Images are {@code n x height x width} floats, targets {@code n x gridHeight x gridWidth}. Besides the
 * probabilities, inference gives each image's features averaged over the grid (global average pooling of the last
 * stage). Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectLocalizer implements AutoCloseable {
    /**
     * What one inference pass gives.
     *
     * @param probabilities the per-cell sigmoid of the logits, {@code n x gridHeight x gridWidth}
     * @param features      the last stage's activations averaged over the grid, {@code n x channels}
     */
    public record Outputs(float[] probabilities, float[] features) {
    }

    private final int height;
    private final int width;
    private final int gridHeight;
    private final int gridWidth;
    private final int channels;
    private final int maxImages;
    private final boolean trainable;
    private final Encoder encoder;
    private final List<StageLayer> layers;
    private final NativeMatrix input;
    private final float[] headWeight;
    private final float[] headBias;
    private final float[] headWeightGrad;
    private final float[] headBiasGrad = new float[1];
    private final float[] logits;
    private final AdamStep adam = new AdamStep();

    /**
     * A localizer with its own zero parameters.
     *
     * @see #DirectLocalizer(List, int, int, int, boolean, float[][])
     */
    public DirectLocalizer(List<Stage> stages, int height, int width, int maxImages, boolean trainable) {
        this(stages, height, width, maxImages, trainable, null);
    }

    /**
     * @param stages     halving stages in order, the first reading 1 channel, each reading what the previous writes
     * @param height     image height, a multiple of {@code 2^stages}
     * @param width      image width, likewise
     * @param maxImages  the most images per call
     * @param trainable  whether to hold what training needs (gradients, Adam's moments)
     * @param parameters the arrays to compute on and train in place (shared, not copied, e.g. a
     *                   {@code net.ParameterStore}'s): per stage its weights ({@code [out][in][k][k]}) and biases, then
     *                   the head's weights (one per channel of the last stage) and its one-element bias; or
     *                   {@code null} for the engine's own zero arrays
     * @throws IllegalArgumentException naming the stage or size that does not fit
     */
    public DirectLocalizer(List<Stage> stages, int height, int width, int maxImages, boolean trainable,
                           float[][] parameters) {
        Objects.requireNonNull(stages, "stages");
        if (stages.isEmpty() || maxImages < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("need at least one stage, one image and a positive size, got "
                    + stages.size() + " stages, " + maxImages + " images, " + width + "x" + height);
        }
        int arrays = 2 * stages.size() + 2;
        if (parameters != null && parameters.length != arrays) {
            throw new IllegalArgumentException("the localizer has " + arrays + " parameter arrays, got "
                    + parameters.length);
        }
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.encoder = new Encoder(stages, height, width, maxImages, trainable, false,
                parameters == null ? null : Arrays.copyOf(parameters, 2 * stages.size()));
        this.layers = encoder.layers();
        try {
            this.input = new NativeMatrix(1, maxImages * height * width);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        this.gridHeight = encoder.gridHeight();
        this.gridWidth = encoder.gridWidth();
        int ch = encoder.channels();
        this.channels = ch;
        this.headWeight = parameters == null ? new float[ch] : checked(parameters[arrays - 2], ch, "head weights");
        this.headBias = parameters == null ? new float[1] : checked(parameters[arrays - 1], 1, "head bias");
        this.headWeightGrad = new float[ch];
        this.logits = new float[maxImages * gridHeight * gridWidth];
        if (trainable) {
            encoder.register(adam);
            adam.add(headWeight, headWeightGrad, ch, null);
            adam.add(headBias, headBiasGrad, 1, null);
        }
    }

    private static float[] checked(float[] a, int length, String what) {
        if (a.length != length) {
            throw new IllegalArgumentException("the localizer's " + what + " need " + length + " values, got "
                    + a.length);
        }
        return a;
    }

    /** @return rows of the output grid */
    public int gridHeight() {
        return gridHeight;
    }

    /** @return columns of the output grid */
    public int gridWidth() {
        return gridWidth;
    }

    /** @return channels of the last stage (the length of the pooled features) */
    public int channels() {
        return channels;
    }

    /** @return the number of stages */
    public int stages() {
        return layers.size();
    }

    /**
     * Sets one stage's parameters (Adam's moments are kept).
     *
     * @param stage  stage index
     * @param weight weights {@code [out][in][k][k]}
     * @param bias   one bias per output channel
     * @throws IllegalArgumentException for arrays of the wrong length
     */
    public void setParameters(int stage, float[] weight, float[] bias) {
        StageLayer l = layers.get(stage);
        checkLengths("stage " + stage, l.stage.weightCount(), l.stage.out(), weight, bias);
        System.arraycopy(weight, 0, l.weights.heap(), 0, weight.length);
        System.arraycopy(bias, 0, l.bias, 0, bias.length);
        l.pushWeights();
    }

    /**
     * @param stage stage index
     * @return copies of the stage's weights ({@code [out][in][k][k]}) and biases
     */
    public float[][] parameters(int stage) {
        StageLayer l = layers.get(stage);
        return new float[][] {copy(l.weights.heap(), l.stage.weightCount()), l.bias.clone()};
    }

    /**
     * @param stage stage index
     * @return copies of the stage's gradients of the latest {@link #gradients} or {@link #trainStep} call
     */
    public float[][] gradients(int stage) {
        requireTrainable();
        StageLayer l = layers.get(stage);
        return new float[][] {copy(l.weightGrad.heap(), l.stage.weightCount()), l.biasGrad.clone()};
    }

    /**
     * Sets the 1x1 head (Adam's moments are kept).
     *
     * @param weight one weight per channel of the last stage
     * @param bias   a one-element array holding the bias
     */
    public void setHeadParameters(float[] weight, float[] bias) {
        checkLengths("the head", channels, 1, weight, bias);
        System.arraycopy(weight, 0, headWeight, 0, channels);
        headBias[0] = bias[0];
    }

    /** @return copies of the head's weights and its one-element bias */
    public float[][] headParameters() {
        return new float[][] {headWeight.clone(), headBias.clone()};
    }

    /** @return copies of the head's gradients of the latest {@link #gradients} or {@link #trainStep} call */
    public float[][] headGradients() {
        requireTrainable();
        return new float[][] {headWeightGrad.clone(), headBiasGrad.clone()};
    }

    /**
     * One Adam step on a mini-batch.
     *
     * @param pixels         {@code n x height x width} images
     * @param targets        {@code n x gridHeight x gridWidth} targets in [0, 1]
     * @param positiveWeight weight of the positive part of the loss, at least 0 (1 = plain cross-entropy)
     * @param n              images, 1 to {@code maxImages}
     * @param learningRate   Adam's learning rate
     * @return the batch's loss before the update
     */
    public double trainStep(float[] pixels, float[] targets, double positiveWeight, int n, double learningRate) {
        double value = gradients(pixels, targets, positiveWeight, n);
        adam.update(learningRate, 0);
        return value;
    }

    /**
     * Computes the loss and every parameter's gradient without changing the parameters.
     *
     * @param pixels         {@code n x height x width} images
     * @param targets        {@code n x gridHeight x gridWidth} targets in [0, 1]
     * @param positiveWeight weight of the positive part of the loss
     * @param n              images, 1 to {@code maxImages}
     * @return the batch's loss
     */
    public double gradients(float[] pixels, float[] targets, double positiveWeight, int n) {
        requireTrainable();
        int cells = n * gridHeight * gridWidth;
        if (targets.length < cells) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, fewer than " + n
                    + " grids of " + gridWidth + "x" + gridHeight);
        }
        float[] features = forward(pixels, n);
        StageLayer last = layers.get(layers.size() - 1);
        float[] featureGrad = last.outputGrad.heap();
        double loss = 0;
        double biasGrad = 0;
        Arrays.fill(headWeightGrad, 0f);
        double pw = positiveWeight;
        for (int j = 0; j < cells; j++) {
            double l = logits[j];
            double t = targets[j];
            double softplusPos = Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
            double softplusNeg = softplusPos - l;
            loss += pw * t * softplusNeg + (1 - t) * softplusPos;
            double sigma = 1 / (1 + Math.exp(-l));
            double dl = ((1 - t) * sigma - pw * t * (1 - sigma)) / cells;
            biasGrad += dl;
            for (int c = 0; c < channels; c++) {
                int i = c * cells + j;
                headWeightGrad[c] += (float) (features[i] * dl);
                featureGrad[i] = (float) (headWeight[c] * dl);
            }
        }
        headBiasGrad[0] = (float) biasGrad;
        encoder.backward(n);
        return loss / cells;
    }

    /**
     * @param pixels {@code n x height x width} images
     * @param n      images, 1 to {@code maxImages}
     * @return per-cell probabilities and pooled features
     */
    public Outputs infer(float[] pixels, int n) {
        float[] features = forward(pixels, n);
        int positions = gridHeight * gridWidth;
        int cells = n * positions;
        float[] p = new float[cells];
        for (int j = 0; j < cells; j++) {
            p[j] = (float) (1 / (1 + Math.exp(-logits[j])));
        }
        float[] pooled = new float[n * channels];
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int q = (c * n + b) * positions, end = q + positions; q < end; q++) {
                    s += features[q];
                }
                pooled[b * channels + c] = (float) (s / positions);
            }
        }
        return new Outputs(p, pooled);
    }

    /** Runs the stages and the head; returns the last stage's activations ({@code [channel][image][position]}). */
    private float[] forward(float[] pixels, int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
        if (pixels.length < n * height * width) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, fewer than " + n
                    + " images of " + width + "x" + height);
        }
        System.arraycopy(pixels, 0, input.heap(), 0, n * height * width);
        float[] f = encoder.forward(input, n).heap();
        int cells = n * gridHeight * gridWidth;
        for (int j = 0; j < cells; j++) {
            double l = headBias[0];
            for (int c = 0; c < channels; c++) {
                l += headWeight[c] * f[c * cells + j];
            }
            logits[j] = (float) l;
        }
        return f;
    }

    private static void checkLengths(String what, int weights, int biases, float[] weight, float[] bias) {
        if (weight.length != weights || bias.length != biases) {
            throw new IllegalArgumentException(what + " has " + weights + " weights and " + biases + " biases, got "
                    + weight.length + " and " + bias.length);
        }
    }

    /** @return Adam's moments and step count, for checkpoints */
    public OptimizerState optimizer() {
        requireTrainable();
        return adam;
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this localizer was built for inference only");
        }
    }

    private static float[] copy(float[] a, int n) {
        float[] c = new float[n];
        System.arraycopy(a, 0, c, 0, n);
        return c;
    }

    /**
     * Re-reads the parameter arrays after they were changed from outside (e.g. loaded): the matrix products read a
     * native copy of the weights.
     */
    public void parametersChanged() {
        encoder.pushWeights();
    }

    @Override
    public void close() {
        encoder.close();
        input.close();
    }
}
