package io.github.deepc.anomaly.models.conv;

/**
 * A fully connected layer {@code y = act(x W + b)} of a {@link DirectAutoencoder}'s bottleneck, on feature-major
 * matrices ({@code [features][images]}), so that forward and backward passes are one matrix product each. Weights
 * are {@code [in][out]}, the layout of ND4J's {@code linear} op. Not thread-safe.
 */
final class DenseLayer implements AutoCloseable {
    final int in;
    final int out;
    final Activation activation;
    final NativeMatrix weights;
    final float[] bias;
    final NativeMatrix weightGrad;
    final float[] biasGrad;
    final NativeMatrix output;
    /** The caller writes the gradient with respect to {@link #output} into its heap copy before {@link #backward}. */
    final NativeMatrix outputGrad;
    private final NativeMatrix inputGrad;
    private NativeMatrix input;
    /** Whether {@link #backward} computes the weight gradient (the default; see {@link StageLayer}'s flag). */
    boolean weightGradients = true;

    DenseLayer(int in, int out, Activation activation, int maxImages, boolean trainable) {
        this(in, out, activation, maxImages, trainable, null, null);
    }

    /**
     * A layer computing on given parameter arrays (shared, not copied; their values are pushed to the native copy
     * here and after each {@link #pushWeights()}).
     *
     * @param weight {@code in * out} weights, or {@code null} for new zero ones
     * @param bias   {@code out} biases, or {@code null} for new zero ones
     */
    DenseLayer(int in, int out, Activation activation, int maxImages, boolean trainable, float[] weight, float[] bias) {
        this.in = in;
        this.out = out;
        this.activation = activation;
        this.weights = new NativeMatrix(in, out, weight);
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("a dense layer of " + out + " outputs needs " + out + " biases, got "
                    + bias.length);
        }
        this.bias = bias != null ? bias : new float[out];
        this.weightGrad = trainable ? new NativeMatrix(in, out) : null;
        this.biasGrad = new float[out];
        this.output = new NativeMatrix(out, maxImages);
        this.outputGrad = trainable ? new NativeMatrix(out, maxImages) : null;
        this.inputGrad = trainable ? new NativeMatrix(in, maxImages) : null;
        if (weight != null) {
            pushWeights();
        }
    }

    /**
     * @param x the input, {@code [in][n]} on the heap (its native copy may be stale)
     * @param n images
     * @return {@link #output}, its heap copy holding the activations
     */
    NativeMatrix forward(NativeMatrix x, int n) {
        x.push(n);
        this.input = x;
        NativeMatrix.gemm(weights.nd(out), true, x.nd(n), false, output.nd(n));
        output.pull(n);
        activation.forward(output.heap(), bias, n);
        return output;
    }

    /**
     * @param n         images of the latest forward pass
     * @param inputGrad receives the input gradient {@code [in][n]}, or {@code null} when not needed
     */
    void backward(int n, float[] inputGrad) {
        float[] g = outputGrad.heap();
        activation.backward(output.heap(), g, out * n);
        Activation.rowSums(g, n, biasGrad);
        outputGrad.push(n);
        if (weightGradients) {
            NativeMatrix.gemm(input.nd(n), false, outputGrad.nd(n), true, weightGrad.nd(out));
            weightGrad.pull(out);
        }
        if (inputGrad != null) {
            NativeMatrix.gemm(weights.nd(out), false, outputGrad.nd(n), false, this.inputGrad.nd(n));
            this.inputGrad.pullInto(inputGrad, n);
        }
    }

    /** Copies the heap weights to the native buffer; call after every change of {@code weights.heap()}. */
    void pushWeights() {
        weights.push(out);
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(weights, weightGrad, output, outputGrad, inputGrad);
    }
}
