package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.support.BlasKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stack of dense layers on this package's engine: LeakyReLU(0.2) after every layer but the last, which is linear
 * (alpha-GAN's code discriminator, the SameDiff graph's {@code gan.Networks.codeDiscriminator}), optionally with every
 * weight spectrally normalised ({@link SpectralNormLayer}: parameters and gradients stay the raw weights',
 * {@link #iterateSpectralNorms()} advances the vectors once per training step). Inputs and outputs are image-major
 * ({@code n x features}).
 *
 * <p>Parameters, in order: per layer its weights ({@code [in][out]}, ND4J's {@code linear} layout) and biases. Given
 * arrays are shared, not copied; after changing them from outside call {@link #parametersChanged()}. Adam uses
 * {@code beta1 = 0.5}.
 *
 * <p>Holds native memory for up to {@code maxImages} inputs per call until {@link #close()}. Not thread-safe.
 * Internal support for the model packages (public for them), not API.
 */
public final class DirectMlp implements AutoCloseable {
    private final int[] widths;
    private final int maxImages;
    private final boolean trainable;
    private final NativeMatrix input;
    private final List<DenseLayer> layers = new ArrayList<>();
    private final float[] out;
    private final float[] inputGrad;
    /** Per layer its normalised weight, or {@code null} entries without spectral normalisation. */
    private final NormalisedWeight[] norms;
    private final AdamStep adam = new AdamStep(DirectGenerator.BETA1);

    /**
     * @param widths     the input width, then each layer's output width (at least two values, each at least 1)
     * @param maxImages  the most inputs per call
     * @param trainable  whether to hold what training needs
     * @param parameters the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectMlp(int[] widths, int maxImages, boolean trainable, float[][] parameters) {
        this(widths, maxImages, trainable, false, null, parameters);
    }

    /**
     * @param widths       the input width, then each layer's output width (at least two values, each at least 1)
     * @param maxImages    the most inputs per call
     * @param trainable    whether to hold what training needs
     * @param spectral     whether every weight is spectrally normalised
     * @param spectralInit randomness for the normalisations' initial vectors, drawn layer after layer (as
     *                     {@code gan.SpectralNorm.create}), or {@code null} for zeros (a saved state follows)
     * @param parameters   the arrays to compute on (see the class comment), or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the size or array that does not fit
     */
    public DirectMlp(int[] widths, int maxImages, boolean trainable, boolean spectral, SplittableRandom spectralInit,
                     float[][] parameters) {
        BlasKernel.warnIfOnFallback();
        if (widths.length < 2 || Arrays.stream(widths).anyMatch(w -> w < 1) || maxImages < 1) {
            throw new IllegalArgumentException("a dense stack needs at least two widths of at least 1 and one input, "
                    + "got " + Arrays.toString(widths) + ", " + maxImages + " inputs");
        }
        int count = widths.length - 1;
        if (parameters != null && parameters.length != 2 * count) {
            throw new IllegalArgumentException("the dense stack has " + 2 * count + " parameter arrays, got "
                    + parameters.length);
        }
        this.widths = widths.clone();
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.norms = new NormalisedWeight[count];
        NativeMatrix in = null;
        try {
            in = new NativeMatrix(widths[0], maxImages);
            for (int i = 0; i < count; i++) {
                float[] weight = parameters == null ? new float[widths[i] * widths[i + 1]] : parameters[2 * i];
                if (spectral) {
                    norms[i] = new NormalisedWeight(new SpectralNormLayer(widths[i], widths[i + 1], spectralInit),
                            weight);
                    weight = norms[i].used;
                }
                layers.add(new DenseLayer(widths[i], widths[i + 1],
                        i < count - 1 ? Activation.LEAKY_RELU_0_2 : Activation.LINEAR, maxImages, trainable,
                        weight, parameters == null ? null : parameters[2 * i + 1]));
            }
        } catch (RuntimeException e) {
            NativeMatrix.closeAll(in);
            layers.forEach(DenseLayer::close);
            throw e;
        }
        this.input = in;
        this.out = new float[widths[count] * maxImages];
        this.inputGrad = trainable ? new float[widths[0] * maxImages] : null;
        if (trainable) {
            for (int i = 0; i < count; i++) {
                DenseLayer d = layers.get(i);
                // normalised weights train their raw arrays (re-read at every forward pass)
                adam.add(norms[i] != null ? norms[i].raw : d.weights.heap(), d.weightGrad.heap(), d.in * d.out,
                        d::pushWeights);
                adam.add(d.bias, d.biasGrad, d.out, null);
            }
        }
    }

    /** @return the spectral normalisations, layer after layer, live; empty without spectral normalisation */
    public List<SpectralNormLayer> spectralNorms() {
        List<SpectralNormLayer> all = new ArrayList<>();
        for (NormalisedWeight nw : norms) {
            if (nw != null) {
                all.add(nw.norm);
            }
        }
        return all;
    }

    /** One power iteration of every spectral normalisation (once per training step, before its forward pass). */
    public void iterateSpectralNorms() {
        for (NormalisedWeight nw : norms) {
            if (nw != null) {
                nw.iterate();
            }
        }
    }

    /**
     * @param x {@code n x widths[0]} inputs
     * @param n inputs, 1 to {@code maxImages}
     * @return the outputs, {@code n x outputs} (the engine's live buffer: read or copy it before the next call)
     */
    public float[] forward(float[] x, int n) {
        if (n < 1 || n > maxImages || x.length < n * widths[0]) {
            throw new IllegalArgumentException("need 1 to " + maxImages + " inputs of " + widths[0] + " values, got "
                    + n + " inputs and " + x.length + " values");
        }
        Transpose.of(x, n, widths[0], input.heap());
        for (int i = 0; i < norms.length; i++) {
            if (norms[i] != null) {
                norms[i].refresh();
                layers.get(i).pushWeights();
            }
        }
        NativeMatrix h = input;
        for (DenseLayer d : layers) {
            h = d.forward(h, n);
        }
        Transpose.of(h.heap(), widths[widths.length - 1], n, out);
        return out;
    }

    /**
     * Back-propagates a gradient with respect to the outputs of the latest {@link #forward} into every parameter's
     * gradient and, when asked, into the inputs; changes no parameter.
     *
     * @param outputGrad {@code n x outputs}
     * @param n          inputs of the latest forward pass
     * @param xGrad      receives the gradient with respect to the inputs ({@code n x widths[0]}), or {@code null}
     */
    public void backward(float[] outputGrad, int n, float[] xGrad) {
        requireTrainable();
        int last = layers.size() - 1;
        Transpose.of(outputGrad, n, widths[last + 1], layers.get(last).outputGrad.heap());
        for (int i = last; i >= 0; i--) {
            float[] target = i > 0 ? layers.get(i - 1).outputGrad.heap() : xGrad == null ? null : inputGrad;
            DenseLayer d = layers.get(i);
            d.backward(n, target);
            if (norms[i] != null && d.weightGradients) {
                norms[i].toRawGradient(d.weightGrad.heap());
            }
        }
        if (xGrad != null) {
            Transpose.of(inputGrad, widths[0], n, xGrad);
        }
    }

    /**
     * {@link #backward} into the inputs only, without the parameter gradients: for another network's update through
     * this one while it stays fixed. Do not {@link #update} after this call.
     *
     * @param outputGrad {@code n x outputs}
     * @param n          inputs of the latest forward pass
     * @param xGrad      receives the gradient with respect to the inputs
     */
    public void backwardToInputs(float[] outputGrad, int n, float[] xGrad) {
        layers.forEach(d -> d.weightGradients = false);
        try {
            backward(outputGrad, n, xGrad);
        } finally {
            layers.forEach(d -> d.weightGradients = true);
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

    /** Re-reads the parameter arrays after they were changed from outside. */
    public void parametersChanged() {
        layers.forEach(DenseLayer::pushWeights);
    }

    private void requireTrainable() {
        if (!trainable) {
            throw new IllegalStateException("this dense stack was built for inference only");
        }
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(input);
        layers.forEach(DenseLayer::close);
    }
}
