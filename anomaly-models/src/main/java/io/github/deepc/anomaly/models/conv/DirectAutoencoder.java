package io.github.deepc.anomaly.models.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A convolutional autoencoder of stride-2 {@link Stage}s trained with a masked mean squared error, computed by this
 * package's own engine: each stage's forward and backward pass is one column gather or scatter ({@code im2col},
 * {@code col2im}, in a batch-folded channel-major layout that needs no permutation) and one matrix product through
 * ND4J's BLAS, with activations, the loss and Adam in plain Java loops. It computes what the SameDiff graph of the
 * same network computes (outputs and gradients agree to float rounding; {@code DirectAutoencoderTest} checks them
 * against the graph) at a fraction of libnd4j's {@code conv2d}/{@code deconv2d} cost.
 *
 * <p>Images are passed as {@code n x height x width} float arrays (row-major, image after image) with valid-pixel
 * masks of the same shape (1 valid, 0 not). The loss is the batch mean of the per-image
 * {@code sum((out - x)^2 * mask) / max(sum(mask), 1)}. Parameters use PyTorch's layouts ({@link #parameters}).
 *
 * <p>Holds native memory for up to {@code maxImages} images per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectAutoencoder implements AutoCloseable {
    private final int height;
    private final int width;
    private final int maxImages;
    private final boolean trainable;
    private final List<StageLayer> layers = new ArrayList<>();
    private final NativeMatrix input;
    private final List<AdamUpdater> weightAdam = new ArrayList<>();
    private final List<AdamUpdater> biasAdam = new ArrayList<>();
    private int step;

    /**
     * @param stages    the stages in order; the first reads 1 channel, the last writes 1, each reads what the
     *                  previous one writes, and as many halve the sides as double them
     * @param height    image height, a multiple of {@code 2^(halving stages)}
     * @param width     image width, likewise
     * @param maxImages the most images per call
     * @param trainable whether to hold what training needs (gradients and Adam's moments, about as much memory
     *                  again); without it only {@link #reconstruct} and {@link #parameters} work
     * @throws IllegalArgumentException naming the stage or size that does not fit
     */
    public DirectAutoencoder(List<Stage> stages, int height, int width, int maxImages, boolean trainable) {
        Objects.requireNonNull(stages, "stages");
        if (stages.isEmpty() || maxImages < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("need at least one stage, one image and a positive size, got "
                    + stages.size() + " stages, " + maxImages + " images, " + width + "x" + height);
        }
        this.height = height;
        this.width = width;
        this.maxImages = maxImages;
        this.trainable = trainable;
        int channels = 1;
        int h = height;
        int w = width;
        try {
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                if (s.in() != channels) {
                    throw new IllegalArgumentException("stage " + i + " reads " + s.in() + " channels but receives "
                            + channels);
                }
                boolean inputGradient = i > 0;
                if (s.transposed()) {
                    layers.add(new StageLayer.Up(s, h, w, maxImages, trainable, inputGradient));
                    h *= 2;
                    w *= 2;
                } else {
                    if (h % 2 != 0 || w % 2 != 0) {
                        throw new IllegalArgumentException("stage " + i + " halves a " + w + "x" + h + " input; "
                                + "sides must be even there");
                    }
                    layers.add(new StageLayer.Down(s, h, w, maxImages, trainable, inputGradient));
                    h /= 2;
                    w /= 2;
                }
                if (trainable) {
                    weightAdam.add(new AdamUpdater(s.weightCount()));
                    biasAdam.add(new AdamUpdater(s.out()));
                }
                channels = s.out();
            }
            if (channels != 1 || h != height || w != width) {
                throw new IllegalArgumentException("the stages map a 1-channel " + width + "x" + height + " image to "
                        + channels + " channels of " + w + "x" + h + "; an autoencoder must give back its input's shape");
            }
            this.input = new NativeMatrix(1, maxImages * height * width);
        } catch (RuntimeException e) {
            layers.forEach(StageLayer::close);
            throw e;
        }
    }

    /** @return the number of stages */
    public int stages() {
        return layers.size();
    }

    /**
     * Sets one stage's parameters (and restarts nothing else: Adam's moments are kept).
     *
     * @param stage  stage index
     * @param weight weights in PyTorch's layout, {@code [out][in][k][k]} for a convolution, {@code [in][out][k][k]}
     *               for a transposed one
     * @param bias   one bias per output channel
     * @throws IllegalArgumentException for arrays of the wrong length
     */
    public void setParameters(int stage, float[] weight, float[] bias) {
        StageLayer l = layers.get(stage);
        if (weight.length != l.stage.weightCount() || bias.length != l.stage.out()) {
            throw new IllegalArgumentException("stage " + stage + " has " + l.stage.weightCount() + " weights and "
                    + l.stage.out() + " biases, got " + weight.length + " and " + bias.length);
        }
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
     * @param n            images, 1 to {@code maxImages}
     * @param learningRate Adam's learning rate
     * @return the batch's loss before the update
     * @throws IllegalStateException for an inference-only instance
     */
    public double trainStep(float[] pixels, float[] masks, int n, double learningRate) {
        double loss = gradients(pixels, masks, n);
        step++;
        for (int i = 0; i < layers.size(); i++) {
            StageLayer l = layers.get(i);
            weightAdam.get(i).update(l.weights.heap(), l.weightGrad.heap(), learningRate, step);
            biasAdam.get(i).update(l.bias, l.biasGrad, learningRate, step);
            l.pushWeights();
        }
        return loss;
    }

    /**
     * Computes the loss and every parameter's gradient (see {@link #gradients(int)}) without changing the parameters.
     *
     * @param pixels {@code n x height x width} images
     * @param masks  their valid-pixel masks (1 valid, 0 not)
     * @param n      images, 1 to {@code maxImages}
     * @return the batch's loss
     * @throws IllegalStateException for an inference-only instance
     */
    public double gradients(float[] pixels, float[] masks, int n) {
        requireTrainable();
        float[] out = forward(pixels, n);
        checkLength(masks, n, "masks");
        int px = height * width;
        float[] g = layers.get(layers.size() - 1).outputGrad.heap();
        double loss = 0;
        for (int b = 0; b < n; b++) {
            double err = 0;
            double valid = 0;
            for (int i = b * px, end = i + px; i < end; i++) {
                double d = out[i] - pixels[i];
                err += d * d * masks[i];
                valid += masks[i];
            }
            double count = Math.max(valid, 1);
            loss += err / count;
            double scale = 2.0 / (count * n);
            for (int i = b * px, end = i + px; i < end; i++) {
                g[i] = (float) (scale * (out[i] - pixels[i]) * masks[i]);
            }
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            layers.get(i).backward(n, i > 0 ? layers.get(i - 1).outputGrad.heap() : null);
        }
        return loss / n;
    }

    /**
     * @param pixels {@code n x height x width} images
     * @param n      images, 1 to {@code maxImages}
     * @return the reconstructions, {@code n x height x width}
     */
    public float[] reconstruct(float[] pixels, int n) {
        return copy(forward(pixels, n), n * height * width);
    }

    /** @return the last stage's activations (its heap buffer, valid until the next call) */
    private float[] forward(float[] pixels, int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("image count must be in [1, " + maxImages + "], got " + n);
        }
        checkLength(pixels, n, "pixels");
        System.arraycopy(pixels, 0, input.heap(), 0, n * height * width);
        NativeMatrix x = input;
        for (StageLayer l : layers) {
            x = l.forward(x, n);
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
    }
}
