package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.models.support.BlasKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A convolutional autoencoder of stride-2 {@link Stage}s, optionally with a dense or variational {@link Bottleneck}
 * between encoder and decoder, computed by this package's own engine: each stage's forward and backward pass is one
 * column gather or scatter ({@code im2col}, {@code col2im}, in a batch-folded channel-major layout that needs no
 * permutation) and one matrix product ({@link Gemm}), each dense layer one product; activations, the loss and
 * Adam are plain Java loops. It computes what the SameDiff graph of the same network computes (outputs and gradients
 * agree to float rounding; {@code cae.DirectEngineTest} checks them against the graph) at a fraction of libnd4j's
 * {@code conv2d}/{@code deconv2d} cost.
 *
 * <p>Images are passed as {@code n x height x width} float arrays (row-major, image after image) with valid-pixel
 * masks of the same shape (1 valid, 0 not); a variational bottleneck also takes standard normal noise,
 * {@code n x latent}. The loss is the batch mean of the per-image {@code sum(e * mask) / max(sum(mask), 1)}, with
 * {@code e} the {@link PixelLoss} (binary cross-entropy computed stably from the last stage's pre-activation
 * {@code l}: {@code max(l, 0) - x l + log(1 + exp(-|l|))}), plus {@code beta} times the batch mean of the KL divergence. Stage
 * parameters use PyTorch's layouts ({@link #setParameters}), dense ones ND4J's ({@link #setDenseParameters}). Built
 * over given parameter arrays (e.g. a {@code net.ParameterStore}'s) the engine computes on them and Adam updates them
 * in place, with no copies; after changing them from outside call {@link #parametersChanged()}.
 *
 * <p>Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectAutoencoder implements AutoCloseable {
    /**
     * What one inference pass gives.
     *
     * @param reconstruction {@code n x height x width}
     * @param latent         the code (dense) or posterior mean (variational), {@code n x latent}; {@code null} without
     *                       a bottleneck
     * @param kl             the per-image KL divergence (variational only, else {@code null})
     */
    public record Outputs(float[] reconstruction, float[] latent, float[] kl) {
    }

    private final int height;
    private final int width;
    private final int maxImages;
    private final boolean trainable;
    private final PixelLoss loss;
    private final List<StageLayer> layers = new ArrayList<>();
    /** Index of the first stage after the bottleneck (with a bottleneck: the first transposed stage). */
    private final int split;
    private final NativeMatrix input;
    private final Head head;
    /** Adam over every stage's then every dense layer's weights and biases; {@code null} for inference only. */
    private final AdamStep adam;
    /** Gradient sums of a chunked step ({@link #adam}'s order) and its chunk buffers, made on first use. */
    private List<float[]> accumulated;
    private float[] chunkPixels;
    private float[] chunkMasks;
    private float[] chunkNoise;

    /**
     * An autoencoder without a bottleneck, trained with a masked MSE.
     *
     * @see #DirectAutoencoder(List, Bottleneck, PixelLoss, int, int, int, boolean)
     */
    public DirectAutoencoder(List<Stage> stages, int height, int width, int maxImages, boolean trainable) {
        this(stages, null, PixelLoss.MSE, height, width, maxImages, trainable);
    }

    /**
     * An autoencoder with its own zero parameters.
     *
     * @see #DirectAutoencoder(List, Bottleneck, PixelLoss, int, int, int, boolean, float[][])
     */
    public DirectAutoencoder(List<Stage> stages, Bottleneck bottleneck, PixelLoss loss, int height, int width,
                             int maxImages, boolean trainable) {
        this(stages, bottleneck, loss, height, width, maxImages, trainable, null);
    }

    /**
     * @param stages     the stages in order; the first reads 1 channel, the last writes 1, each reads what the
     *                   previous one writes, and as many halve the sides as double them; with a bottleneck all
     *                   halving stages come first
     * @param bottleneck what sits between the halving and the doubling stages, or {@code null} for nothing
     * @param loss       the reconstruction error; {@link PixelLoss#BCE} needs a sigmoid last stage
     * @param height     image height, a multiple of {@code 2^(halving stages)}
     * @param width      image width, likewise
     * @param maxImages  the most images per call
     * @param trainable  whether to hold what training needs (gradients and Adam's moments, about as much memory
     *                   again); without it only {@link #infer}, {@link #loss}, {@link #reconstruct} and the parameter
     *                   getters work
     * @param parameters the arrays to compute on and train in place (shared, not copied), in this order: per stage its
     *                   weights (PyTorch's layout, see {@link #setParameters}) and biases, then per dense layer of the
     *                   bottleneck (in {@link Bottleneck}'s order) its weights ({@code [in][out]}) and biases; or
     *                   {@code null} for the engine's own zero arrays
     * @throws IllegalArgumentException naming the stage or size that does not fit
     */
    public DirectAutoencoder(List<Stage> stages, Bottleneck bottleneck, PixelLoss loss, int height, int width,
                             int maxImages, boolean trainable, float[][] parameters) {
        Objects.requireNonNull(stages, "stages");
        this.loss = Objects.requireNonNull(loss, "loss");
        BlasKernel.warnIfOnFallback();
        int arrays = 2 * stages.size() + (bottleneck == null ? 0 : 2 * bottleneck.denseLayers());
        if (parameters != null && parameters.length != arrays) {
            throw new IllegalArgumentException("the network has " + arrays + " parameter arrays, got "
                    + parameters.length);
        }
        if (stages.isEmpty() || maxImages < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("need at least one stage, one image and a positive size, got "
                    + stages.size() + " stages, " + maxImages + " images, " + width + "x" + height);
        }
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        int firstUp = stages.size();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).transposed()) {
                firstUp = Math.min(firstUp, i);
            } else if (bottleneck != null && firstUp < i) {
                throw new IllegalArgumentException("stage " + i + " halves the sides after a doubling stage; with a "
                        + "bottleneck all halving stages must come first");
            }
        }
        this.split = firstUp;
        int channels = 1;
        int h = height;
        int w = width;
        Head built = null;
        NativeMatrix in = null;
        try {
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                if (i == split && bottleneck != null) {
                    built = new Head(bottleneck, channels, h * w, maxImages, trainable, parameters == null ? null
                            : Arrays.copyOfRange(parameters, 2 * stages.size(), parameters.length));
                }
                if (s.in() != channels) {
                    throw new IllegalArgumentException("stage " + i + " reads " + s.in() + " channels but receives "
                            + channels);
                }
                boolean inputGradient = i > 0;
                float[][] own = parameters == null ? null : new float[][] {parameters[2 * i], parameters[2 * i + 1]};
                if (s.transposed()) {
                    layers.add(new StageLayer.Up(s, h, w, maxImages, trainable, inputGradient, own));
                    h *= 2;
                    w *= 2;
                } else {
                    if (h % 2 != 0 || w % 2 != 0) {
                        throw new IllegalArgumentException("stage " + i + " halves a " + w + "x" + h + " input; "
                                + "sides must be even there");
                    }
                    layers.add(new StageLayer.Down(s, h, w, maxImages, trainable, inputGradient, own));
                    h /= 2;
                    w /= 2;
                }
                if (own != null) {
                    layers.get(i).pushWeights();
                }
                channels = s.out();
            }
            if (channels != 1 || h != height || w != width) {
                throw new IllegalArgumentException("the stages map a 1-channel " + width + "x" + height + " image to "
                        + channels + " channels of " + w + "x" + h + "; an autoencoder must give back its input's shape");
            }
            if (bottleneck != null && built == null) {
                throw new IllegalArgumentException("a bottleneck needs halving stages followed by doubling ones");
            }
            StageLayer last = layers.get(layers.size() - 1);
            if (loss == PixelLoss.BCE) {
                if (last.stage.activation() != Activation.SIGMOID) {
                    throw new IllegalArgumentException("the bce loss needs a sigmoid last stage, got "
                            + last.stage.activation());
                }
                last.keepLogits();
            }
            in = new NativeMatrix(1, maxImages * height * width);
        } catch (RuntimeException e) {
            layers.forEach(StageLayer::close);
            if (built != null) {
                built.close();
            }
            throw e;
        }
        this.head = built;
        this.input = in;
        this.adam = trainable ? adamOver(layers, built) : null;
    }

    /** @return Adam over the stages' then the dense layers' weights and biases, each layer re-pushed after a step */
    private static AdamStep adamOver(List<StageLayer> layers, Head head) {
        AdamStep a = new AdamStep();
        for (StageLayer l : layers) {
            a.add(l.weights.heap(), l.weightGrad.heap(), l.stage.weightCount(), l::pushWeights);
            a.add(l.bias, l.biasGrad, l.stage.out(), null);
        }
        if (head != null) {
            for (DenseLayer d : head.dense) {
                a.add(d.weights.heap(), d.weightGrad.heap(), d.in * d.out, d::pushWeights);
                a.add(d.bias, d.biasGrad, d.out, null);
            }
        }
        return a;
    }

    /**
     * The memory one image takes in an engine's working matrices, each held twice (on the Java heap and natively), for
     * choosing a batch size before building one.
     *
     * @param stages     the stages, as for the constructor
     * @param bottleneck the bottleneck, or {@code null}
     * @param height     image height
     * @param width      image width
     * @param trainable  whether the engine will train
     * @return the float values per image in one of the two copies (the parameters not included)
     */
    public static long floatsPerImage(List<Stage> stages, Bottleneck bottleneck, int height, int width,
                                      boolean trainable) {
        long total = (long) height * width;
        long positions = total;
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            long kk = (long) s.kernel() * s.kernel();
            if (s.transposed()) {
                if (bottleneck != null && (i == 0 || !stages.get(i - 1).transposed())) {
                    // flattened code and decoder input, and their gradients
                    total += (trainable ? 4L : 2L) * s.in() * positions;
                }
                long columns = s.out() * kk * positions;
                long outputs = s.out() * positions * 4;
                total += trainable ? 2 * columns + 2 * outputs + s.in() * positions : columns + outputs;
                positions *= 4;
            } else {
                positions /= 4;
                long columns = s.in() * kk * positions;
                long outputs = s.out() * positions;
                total += trainable ? 2 * columns + 2 * outputs : columns + outputs;
            }
        }
        return total;
    }

    /**
     * The optimiser's state, for a checkpoint from which training continues exactly as it would have: Adam's
     * first and second moments of every parameter array (live; per stage its weights then biases, then per dense
     * layer its weights then biases; each array's moments {@code m} then {@code v}) and its step count.
     *
     * @return the state, live (restore by copying into the moment arrays and calling {@code resume})
     * @throws IllegalStateException for an engine built for inference only
     */
    public OptimizerState optimizer() {
        if (!trainable) {
            throw new IllegalStateException("an inference-only engine has no optimiser state");
        }
        return adam;
    }

    /** @return the number of stages */
    public int stages() {
        return layers.size();
    }

    /**
     * Sets one stage's parameters (Adam's moments are kept).
     *
     * @param stage  stage index
     * @param weight weights in PyTorch's layout, {@code [out][in][k][k]} for a convolution, {@code [in][out][k][k]}
     *               for a transposed one
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
     * @return copies of the stage's weights (PyTorch's layout, see {@link #setParameters}) and biases
     */
    public float[][] parameters(int stage) {
        StageLayer l = layers.get(stage);
        return new float[][] {copy(l.weights.heap(), l.stage.weightCount()), l.bias.clone()};
    }

    /**
     * @param stage stage index
     * @return copies of the gradients of the latest {@link #gradients} or {@link #trainStep} call, weights then biases
     */
    public float[][] gradients(int stage) {
        requireTrainable();
        StageLayer l = layers.get(stage);
        return new float[][] {copy(l.weightGrad.heap(), l.stage.weightCount()), l.biasGrad.clone()};
    }

    /**
     * Re-reads the parameter arrays after they were changed from outside (e.g. restored from a snapshot): the matrix
     * products read a native copy of the weights.
     */
    public void parametersChanged() {
        layers.forEach(StageLayer::pushWeights);
        if (head != null) {
            for (DenseLayer d : head.dense) {
                d.pushWeights();
            }
        }
    }

    /** @return the number of dense layers of the bottleneck (0 without one) */
    public int denseLayers() {
        return head == null ? 0 : head.dense.length;
    }

    /**
     * Sets one dense layer's parameters (Adam's moments are kept).
     *
     * @param layer  dense layer index, in {@link Bottleneck}'s order
     * @param weight weights {@code [in][out]} ({@code y = x W + b})
     * @param bias   one bias per output
     * @throws IllegalArgumentException for arrays of the wrong length
     */
    public void setDenseParameters(int layer, float[] weight, float[] bias) {
        DenseLayer d = dense(layer);
        checkLengths("dense layer " + layer, d.in * d.out, d.out, weight, bias);
        System.arraycopy(weight, 0, d.weights.heap(), 0, weight.length);
        System.arraycopy(bias, 0, d.bias, 0, bias.length);
        d.pushWeights();
    }

    /**
     * @param layer dense layer index
     * @return copies of its weights ({@code [in][out]}) and biases
     */
    public float[][] denseParameters(int layer) {
        DenseLayer d = dense(layer);
        return new float[][] {copy(d.weights.heap(), d.in * d.out), d.bias.clone()};
    }

    /**
     * @param layer dense layer index
     * @return copies of its gradients of the latest {@link #gradients} or {@link #trainStep} call
     */
    public float[][] denseGradients(int layer) {
        requireTrainable();
        DenseLayer d = dense(layer);
        return new float[][] {copy(d.weightGrad.heap(), d.in * d.out), d.biasGrad.clone()};
    }

    private DenseLayer dense(int layer) {
        if (head == null || layer < 0 || layer >= head.dense.length) {
            throw new IndexOutOfBoundsException("dense layer " + layer + " of " + denseLayers());
        }
        return head.dense[layer];
    }

    private static void checkLengths(String what, int weights, int biases, float[] weight, float[] bias) {
        if (weight.length != weights || bias.length != biases) {
            throw new IllegalArgumentException(what + " has " + weights + " weights and " + biases + " biases, got "
                    + weight.length + " and " + bias.length);
        }
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this autoencoder was built for inference only");
        }
    }

    private static float[] copy(float[] a, int n) {
        float[] c = new float[n];
        System.arraycopy(a, 0, c, 0, n);
        return c;
    }

    /**
     * One Adam step on a mini-batch.
     *
     * @param pixels       {@code n x height x width} images
     * @param masks        their valid-pixel masks (1 valid, 0 not)
     * @param noise        standard normal noise, {@code n x latent}, for a variational bottleneck; else ignored
     * @param n            images, at least 1; more than {@code maxImages} are computed in chunks with their gradients
     *                     accumulated (equal to one pass to float rounding)
     * @param learningRate Adam's learning rate
     * @return the batch's loss before the update
     * @throws IllegalStateException for an inference-only instance
     */
    public double trainStep(float[] pixels, float[] masks, float[] noise, int n, double learningRate) {
        if (n > maxImages) {
            return chunkedTrainStep(pixels, masks, noise, n, learningRate);
        }
        double value = gradients(pixels, masks, noise, n);
        adam.update(learningRate, 0);
        return value;
    }

    /**
     * One Adam step on a batch of more than {@code maxImages} images: the batch is computed in chunks of at most
     * {@code maxImages}, whose gradients are summed weighted by their share of the batch (the loss is a batch mean), so
     * that a batch too large for the working matrices still trains as one step; equal to a step on the whole batch
     * to float rounding (the sums run in a different order).
     */
    private double chunkedTrainStep(float[] pixels, float[] masks, float[] noise, int n, double learningRate) {
        requireTrainable();
        int px = height * width;
        checkLength(pixels, n, "pixels");
        checkLength(masks, n, "masks");
        int latent = head == null ? 0 : head.bottleneck.latent();
        if (head != null && head.bottleneck.variational()) {
            checkNoise(noise, n);
        }
        if (accumulated == null) {
            accumulated = new ArrayList<>();
            for (float[] g : adam.gradients()) {
                accumulated.add(new float[g.length]);
            }
            chunkPixels = new float[maxImages * px];
            chunkMasks = new float[maxImages * px];
            chunkNoise = new float[maxImages * Math.max(latent, 1)];
        }
        for (float[] a : accumulated) {
            java.util.Arrays.fill(a, 0f);
        }
        double value = 0;
        for (int start = 0; start < n; start += maxImages) {
            int m = Math.min(maxImages, n - start);
            System.arraycopy(pixels, start * px, chunkPixels, 0, m * px);
            System.arraycopy(masks, start * px, chunkMasks, 0, m * px);
            if (latent > 0 && noise != null && noise.length >= (start + m) * latent) {
                System.arraycopy(noise, start * latent, chunkNoise, 0, m * latent);
            }
            float share = (float) m / n;
            value += gradients(chunkPixels, chunkMasks, chunkNoise, m) * m / n;
            List<float[]> grads = adam.gradients();
            for (int i = 0; i < grads.size(); i++) {
                float[] g = grads.get(i);
                float[] a = accumulated.get(i);
                for (int k = 0; k < a.length; k++) {
                    a[k] += share * g[k];
                }
            }
        }
        adam.update(learningRate, 0, accumulated);
        return value;
    }

    /**
     * Computes the loss and every parameter's gradient (see {@link #gradients(int)}, {@link #denseGradients}) without
     * changing the parameters.
     *
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks (1 valid, 0 not)
     * @param noise  standard normal noise, {@code n x latent}, for a variational bottleneck; else ignored
     * @param n      images, 1 to {@code maxImages}
     * @return the batch's loss
     * @throws IllegalStateException for an inference-only instance
     */
    public double gradients(float[] pixels, float[] masks, float[] noise, int n) {
        requireTrainable();
        checkLength(masks, n, "masks");
        if (head != null && head.bottleneck.variational()) {
            checkNoise(noise, n);
        }
        float[] out = forward(pixels, noise, n);
        double value = reconstructionGradient(out, pixels, masks, n);
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i == 0 || (i == split && head != null)) {
                layers.get(i).backward(n, i == 0 ? null : head.decoderInputGrad);
            } else {
                layers.get(i).backward(n, layers.get(i - 1).outputGrad); // channels-last between oneDNN's convolutions
            }
            if (i == split && head != null) {
                value += head.backward(n, layers.get(split - 1).outputGrad.heap());
            }
        }
        return value;
    }

    /**
     * The batch's loss (as {@link #gradients} computes it) without gradients or updates; works on an inference-only
     * instance.
     *
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks (1 valid, 0 not)
     * @param noise  standard normal noise, {@code n x latent}, for a variational bottleneck; else ignored
     * @param n      images, 1 to {@code maxImages}
     * @return the batch's loss
     */
    public double loss(float[] pixels, float[] masks, float[] noise, int n) {
        checkLength(masks, n, "masks");
        boolean variational = head != null && head.bottleneck.variational();
        if (variational) {
            checkNoise(noise, n);
        }
        float[] out = forward(pixels, variational ? noise : null, n);
        double value = reconstructionLoss(out, pixels, masks, n, null);
        if (variational) {
            double kl = 0;
            for (float k : head.kl(n)) {
                kl += k;
            }
            value += head.bottleneck.beta() * kl / n;
        }
        return value;
    }

    private void checkNoise(float[] noise, int n) {
        Objects.requireNonNull(noise, "noise");
        if (noise.length < n * head.bottleneck.latent()) {
            throw new IllegalArgumentException("noise holds " + noise.length + " values, fewer than " + n
                    + " x " + head.bottleneck.latent());
        }
    }

    /** Writes the loss gradient into the last stage's output gradient; returns the batch's reconstruction loss. */
    private double reconstructionGradient(float[] out, float[] pixels, float[] masks, int n) {
        return reconstructionLoss(out, pixels, masks, n, layers.get(layers.size() - 1).outputGrad.heap());
    }

    /** @return the batch's reconstruction loss; writes its gradient into {@code g} unless that is {@code null} */
    private double reconstructionLoss(float[] out, float[] pixels, float[] masks, int n, float[] g) {
        StageLayer last = layers.get(layers.size() - 1);
        float[] logits = last.logits();
        int px = height * width;
        double total = 0;
        for (int b = 0; b < n; b++) {
            double err = 0;
            double valid = 0;
            for (int i = b * px, end = i + px; i < end; i++) {
                double e;
                if (logits == null) {
                    double d = out[i] - pixels[i];
                    e = d * d;
                } else {
                    double l = logits[i];
                    e = Math.max(l, 0) - pixels[i] * l + Math.log1p(Math.exp(-Math.abs(l)));
                }
                err += e * masks[i];
                valid += masks[i];
            }
            double count = Math.max(valid, 1);
            total += err / count;
            if (g == null) {
                continue;
            }
            // MSE: d/dout = 2 (out - x); BCE: d/dlogit = out - x (the last stage then skips the sigmoid's derivative)
            double scale = (logits == null ? 2.0 : 1.0) / (count * n);
            for (int i = b * px, end = i + px; i < end; i++) {
                g[i] = (float) (scale * (out[i] - pixels[i]) * masks[i]);
            }
        }
        return total / n;
    }

    /**
     * @param pixels {@code n x height x width} images
     * @param n      images, 1 to {@code maxImages}
     * @return the reconstructions, {@code n x height x width} (a variational bottleneck decodes its mean)
     */
    public float[] reconstruct(float[] pixels, int n) {
        return copy(forward(pixels, null, n), n * height * width);
    }

    /**
     * @param pixels {@code n x height x width} images
     * @param n      images, 1 to {@code maxImages}
     * @return reconstructions, codes and KL divergences (a variational bottleneck decodes its mean)
     */
    public Outputs infer(float[] pixels, int n) {
        float[] rec = copy(forward(pixels, null, n), n * height * width);
        return head == null ? new Outputs(rec, null, null) : new Outputs(rec, head.latent(n), head.kl(n));
    }

    /** @return the last stage's activations (its heap buffer, valid until the next call) */
    private float[] forward(float[] pixels, float[] noise, int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
        checkLength(pixels, n, "pixels");
        System.arraycopy(pixels, 0, input.heap(), 0, n * height * width);
        NativeMatrix x = input;
        for (int i = 0; i < layers.size(); i++) {
            if (i == split && head != null) {
                x = head.forward(x, noise, n);
            }
            x = layers.get(i).forward(x, n);
        }
        return x.heap();
    }

    private void checkLength(float[] a, int n, String name) {
        if (a.length < n * height * width) {
            throw new IllegalArgumentException(name + " holds " + a.length + " values, fewer than " + n + " images of "
                    + width + "x" + height);
        }
    }

    @Override
    public void close() {
        layers.forEach(StageLayer::close);
        input.close();
        if (head != null) {
            head.close();
        }
    }

    /**
     * The bottleneck's dense layers and the conversions between the stages' channel-major layout
     * ({@code [channel][image][position]}) and the dense layers' feature-major one ({@code [feature][image]}, feature
     * {@code channel * positions + position}: ND4J's NCHW flattening).
     */
    private static final class Head implements AutoCloseable {
        final Bottleneck bottleneck;
        final DenseLayer[] dense;
        final float[] decoderInputGrad;
        private final int channels;
        private final int positions;
        private final NativeMatrix flat;
        private final NativeMatrix decoderInput;
        private final NativeMatrix z;
        private final float[] flatGrad;
        private final float[] flatGradLogVar;
        private final float[] codeGrad;
        private float[] noise;
        private int images;

        /** @param params per dense layer its weights and biases (shared), or {@code null} for new zero ones */
        Head(Bottleneck bottleneck, int channels, int positions, int maxImages, boolean trainable, float[][] params) {
            this.bottleneck = bottleneck;
            this.channels = channels;
            this.positions = positions;
            int features = channels * positions;
            int latent = bottleneck.latent();
            int[][] sizes = bottleneck.variational()
                    ? new int[][] {{features, latent}, {features, latent}, {latent, features}}
                    : new int[][] {{features, latent}, {latent, features}};
            dense = new DenseLayer[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                // the last layer expands the code back, with ReLU; the others are linear maps to the code
                Activation a = i == sizes.length - 1 ? Activation.RELU : Activation.LINEAR;
                dense[i] = new DenseLayer(sizes[i][0], sizes[i][1], a, maxImages, trainable,
                        params == null ? null : params[2 * i], params == null ? null : params[2 * i + 1]);
            }
            flat = new NativeMatrix(features, maxImages);
            decoderInput = new NativeMatrix(channels, maxImages * positions);
            z = bottleneck.variational() ? new NativeMatrix(latent, maxImages) : null;
            decoderInputGrad = trainable ? new float[features * maxImages] : null;
            flatGrad = trainable ? new float[features * maxImages] : null;
            flatGradLogVar = trainable && bottleneck.variational() ? new float[features * maxImages] : null;
            codeGrad = trainable ? new float[latent * maxImages] : null;
        }

        /** @return the decoder's input for the encoder's output {@code x} */
        NativeMatrix forward(NativeMatrix x, float[] eps, int n) {
            this.noise = eps;
            this.images = n;
            toFeatureMajor(x.heap(), flat.heap(), n);
            NativeMatrix code;
            if (bottleneck.variational()) {
                float[] mu = dense[0].forward(flat, n).heap();
                float[] logVar = dense[1].forward(flat, n).heap();
                float[] zs = z.heap();
                int latent = bottleneck.latent();
                for (int j = 0; j < latent; j++) {
                    for (int b = 0; b < n; b++) {
                        int i = j * n + b;
                        zs[i] = eps == null ? mu[i] : mu[i] + (float) Math.exp(logVar[i] / 2) * eps[b * latent + j];
                    }
                }
                code = z;
            } else {
                code = dense[0].forward(flat, n);
            }
            toChannelMajor(dense[dense.length - 1].forward(code, n).heap(), decoderInput.heap(), n);
            return decoderInput;
        }

        /**
         * Back-propagates {@link #decoderInputGrad} to the encoder's output gradient.
         *
         * @return the KL term of the loss (0 without a variational code)
         */
        double backward(int n, float[] encoderOutputGrad) {
            DenseLayer expand = dense[dense.length - 1];
            toFeatureMajor(decoderInputGrad, expand.outputGrad.heap(), n);
            if (!bottleneck.variational()) {
                expand.backward(n, dense[0].outputGrad.heap());
                dense[0].backward(n, flatGrad);
                toChannelMajor(flatGrad, encoderOutputGrad, n);
                return 0;
            }
            expand.backward(n, codeGrad);
            float[] mu = dense[0].output.heap();
            float[] logVar = dense[1].output.heap();
            float[] muGrad = dense[0].outputGrad.heap();
            float[] logVarGrad = dense[1].outputGrad.heap();
            int latent = bottleneck.latent();
            double beta = bottleneck.beta();
            double kl = 0;
            for (int j = 0; j < latent; j++) {
                for (int b = 0; b < n; b++) {
                    int i = j * n + b;
                    double m = mu[i];
                    double lv = logVar[i];
                    double var = Math.exp(lv);
                    double eps = noise[b * latent + j];
                    kl += -0.5 * (1 + lv - m * m - var);
                    // z = mu + exp(lv / 2) eps; loss += beta * mean_b KL_b
                    muGrad[i] = (float) (codeGrad[i] + beta / n * m);
                    logVarGrad[i] = (float) (codeGrad[i] * eps * 0.5 * Math.exp(lv / 2) + beta / n * 0.5 * (var - 1));
                }
            }
            dense[0].backward(n, flatGrad);
            dense[1].backward(n, flatGradLogVar);
            for (int i = 0, end = channels * positions * n; i < end; i++) {
                flatGrad[i] += flatGradLogVar[i];
            }
            toChannelMajor(flatGrad, encoderOutputGrad, n);
            return beta * kl / n;
        }

        /** @return the code (or posterior mean) of the latest forward pass, {@code n x latent} */
        float[] latent(int n) {
            float[] code = dense[0].output.heap();
            int latent = bottleneck.latent();
            float[] out = new float[n * latent];
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < latent; j++) {
                    out[b * latent + j] = code[j * n + b];
                }
            }
            return out;
        }

        /** @return the per-image KL divergence of the latest forward pass, or {@code null} without one */
        float[] kl(int n) {
            if (!bottleneck.variational()) {
                return null;
            }
            float[] mu = dense[0].output.heap();
            float[] logVar = dense[1].output.heap();
            int latent = bottleneck.latent();
            float[] out = new float[n];
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int j = 0; j < latent; j++) {
                    int i = j * n + b;
                    s += 1 + logVar[i] - (double) mu[i] * mu[i] - Math.exp(logVar[i]);
                }
                out[b] = (float) (-0.5 * s);
            }
            return out;
        }

        private void toFeatureMajor(float[] channelMajor, float[] featureMajor, int n) {
            FlatLayout.reorder(channelMajor, featureMajor, channels, positions, n, true);
        }

        private void toChannelMajor(float[] featureMajor, float[] channelMajor, int n) {
            FlatLayout.reorder(featureMajor, channelMajor, channels, positions, n, false);
        }

        @Override
        public void close() {
            for (DenseLayer d : dense) {
                d.close();
            }
            NativeMatrix.closeAll(flat, decoderInput, z);
        }
    }
}
