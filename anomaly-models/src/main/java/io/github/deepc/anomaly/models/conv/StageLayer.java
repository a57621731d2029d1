package io.github.deepc.anomaly.models.conv;

/**
 * One {@link Stage} of a {@link DirectAutoencoder} with its parameters, gradients and working matrices for up to a
 * fixed number of images. Weights are kept in PyTorch's layout flattened row-major: {@code [out][in][k][k]} for a
 * convolution, {@code [in][out][k][k]} for a transposed one; both are the left operand of the stage's matrix
 * products as they stand.
 *
 * <p>Where oneDNN is the product library, convolutions run on its primitives: for inference
 * ({@link OneDnnConvolution}) and for training ({@link OneDnnTrainingConvolution}; transposed stages train on the
 * column path). The column gather and matrix products stay the path for OpenBLAS and the reference the primitives are
 * tested against.
 *
 * <p>The forward pass keeps what the backward pass needs (the column matrix, the input or the primitives' own copy of
 * it, and the activations); a backward pass therefore belongs to the latest forward pass. Not thread-safe.
 */
abstract sealed class StageLayer implements AutoCloseable permits StageLayer.Down, StageLayer.Up {
    final Stage stage;
    final StrideTwoGrid grid;
    final int kk;
    final float[] bias;
    final float[] biasGrad;
    /** Weights; the heap copy is the master, pushed after every change. */
    final NativeMatrix weights;
    /** The weight gradient; {@code null} in a layer built for inference only. */
    final NativeMatrix weightGrad;
    final NativeMatrix output;
    /**
     * The caller writes the gradient with respect to {@link #output} into its heap copy before {@link #backward};
     * {@code null} in a layer built for inference only.
     */
    final NativeMatrix outputGrad;
    /**
     * Whether {@link #backward} computes the weight gradient (the default); off while only the input gradient is
     * wanted, e.g. a GAN discriminator that passes the generator's gradient through without being updated (the bias
     * gradient is then left as it is, or summed where Java applies the derivative).
     */
    boolean weightGradients = true;
    /** Whether {@link #backward} sums the bias gradient (the default); off for a bias held at zero (bias-free nets). */
    private boolean biasGradients = true;
    /**
     * oneDNN's forward pass for a layer built for inference only (where oneDNN is the product library and can express
     * the stage), or {@code null}: the column gather and matrix product then.
     */
    final OneDnnConvolution oneDnn;
    /**
     * oneDNN's training passes for a trainable convolution (where oneDNN is the product library), or {@code null}: the
     * column gather and matrix products then.
     */
    final OneDnnTrainingConvolution oneDnnTraining;
    /** Pre-activations kept for a loss computed from them (binary cross-entropy), or {@code null}. */
    private float[] logits;
    private float[] zeroBias;

    StageLayer(Stage stage, StrideTwoGrid grid, int inH, int inW, int weightRows, int outputCols, boolean trainable,
               float[][] params, boolean columnsOnly) {
        this.stage = stage;
        this.grid = grid;
        this.kk = stage.kernel() * stage.kernel();
        if (params != null && params[1].length != stage.out()) {
            throw new IllegalArgumentException("a stage of " + stage.out() + " output channels needs as many biases, "
                    + "got " + params[1].length);
        }
        this.bias = params != null ? params[1] : new float[stage.out()];
        this.biasGrad = new float[stage.out()];
        int weightCols = stage.weightCount() / weightRows;
        this.weights = new NativeMatrix(weightRows, weightCols, params == null ? null : params[0]);
        this.weightGrad = trainable ? new NativeMatrix(weightRows, weightCols) : null;
        this.output = new NativeMatrix(stage.out(), outputCols);
        this.outputGrad = trainable ? new NativeMatrix(stage.out(), outputCols) : null;
        boolean primitives = !columnsOnly && Gemm.library() == Gemm.Library.ONEDNN;
        this.oneDnn = primitives && !trainable && OneDnnConvolution.supports(stage)
                ? new OneDnnConvolution(stage, inH, inW) : null;
        this.oneDnnTraining = primitives && trainable && OneDnnTrainingConvolution.supports(stage)
                ? new OneDnnTrainingConvolution(stage, inH, inW) : null;
    }

    /**
     * @param input the input, {@code [in][n][side][side]} on the heap (its native copy may be stale)
     * @param n     images
     * @return {@link #output}, its heap copy holding the activations
     */
    abstract NativeMatrix forward(NativeMatrix input, int n);

    /**
     * Computes the parameter gradients from {@link #outputGrad} (the gradient with respect to the activations: its
     * heap copy, which may be overwritten with the gradient with respect to the pre-activations, or a next
     * convolution's pending channels-last input gradient) and, when asked, the gradient with respect to the input.
     *
     * @param n         images of the latest forward pass
     * @param inputGrad receives the input gradient ({@code [in][n][side][side]}), or {@code null} when not needed
     */
    abstract void backward(int n, float[] inputGrad);

    /**
     * As {@link #backward(int, float[])} into a matrix (a previous layer's {@link #outputGrad}), which a convolution
     * on oneDNN's primitives leaves the gradient in as a pending channels-last result for a previous convolution to
     * take over ({@link OneDnnTrainingConvolution}); anything else reading the matrix gets it in the engine's layout.
     *
     * @param n         images of the latest forward pass
     * @param inputGrad receives the input gradient, {@code [in][n][side][side]}
     */
    void backward(int n, NativeMatrix inputGrad) {
        backward(n, inputGrad.heap());
    }

    /** @return columns of the output for {@code n} images */
    abstract int outputCols(int n);

    /**
     * Copies the heap weights to the native buffer; call after every change of {@code weights.heap()} (when the heap
     * copy is a shared parameter array: after every change of that array).
     */
    void pushWeights() {
        weights.push(stage.weightCount() / weightRows());
        if (oneDnn != null) {
            oneDnn.weightsChanged();
        }
        if (oneDnnTraining != null) {
            oneDnnTraining.weightsChanged();
        }
    }

    /** @return where the bias gradient goes: {@link #biasGrad}, or {@code null} for a bias held at zero */
    final float[] biasGradTarget() {
        return biasGradients ? biasGrad : null;
    }

    /** Holds the bias at zero: no bias gradient is summed (bias-free networks); call before the first pass. */
    void withoutBiasGradients() {
        biasGradients = false;
        if (oneDnnTraining != null) {
            oneDnnTraining.withoutBiasGradients();
        }
    }

    private int weightRows() {
        return stage.transposed() ? stage.in() : stage.out();
    }

    /**
     * Makes the stage keep its pre-activations ({@link #logits()}) and take its output gradient with respect to them
     * rather than to the activations: for a loss whose gradient is simpler through the pre-activations.
     */
    void keepLogits() {
        logits = new float[output.heap().length];
        zeroBias = new float[stage.out()];
    }

    /** @return the pre-activations of the latest forward pass, when {@link #keepLogits()} was called */
    float[] logits() {
        return logits;
    }

    /** Adds the bias and applies the activation to the output's heap copy, keeping the logits when asked. */
    final void activate(int cols) {
        float[] z = output.heap();
        if (logits == null) {
            stage.activation().forward(z, bias, cols);
            return;
        }
        Activation.LINEAR.forward(z, bias, cols);
        System.arraycopy(z, 0, logits, 0, stage.out() * cols);
        stage.activation().forward(z, zeroBias, cols);
    }

    /**
     * The forward pass by oneDNN's primitives ({@link #oneDnn} or {@link #oneDnnTraining}, which push the input's heap
     * copy where they need it): bias and activation fused, the result left native for a next native pass or for Java
     * code to read ({@link OneDnnStage#forward}); where the logits are kept or oneDNN does not fuse them
     * ({@link OneDnnConvolution#fusesBiasAndActivation}), the product alone, pulled and activated as on the column path.
     */
    final NativeMatrix forwardByOneDnn(OneDnnStage<?> primitives, NativeMatrix input, int n) {
        int cols = outputCols(n);
        if (logits == null && OneDnnConvolution.fusesBiasAndActivation(stage)) {
            primitives.forward(input, weights, bias, output, n);
        } else {
            primitives.forward(input, weights, null, output, n);
            output.pull(cols);
            activate(cols);
        }
        return output;
    }

    /** Applies the activation derivative to the output gradient and sums the bias gradient. */
    final void activationBackward(int cols) {
        float[] g = outputGrad.heap();
        if (logits == null) {
            stage.activation().backward(output.heap(), g, stage.out() * cols);
        }
        if (biasGradients) {
            Activation.rowSums(g, cols, biasGrad);
        }
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(weights, weightGrad, output, outputGrad);
        if (oneDnn != null) {
            oneDnn.close();
        }
        if (oneDnnTraining != null) {
            oneDnnTraining.close();
        }
    }

    /**
     * A stride-2 convolution: columns gathered from the input, one product with the weights; or oneDNN's primitives
     * ({@link #oneDnn}, {@link #oneDnnTraining}).
     */
    static final class Down extends StageLayer {
        private final NativeMatrix columns;
        private final NativeMatrix columnGrad;

        Down(Stage stage, int inH, int inW, int maxImages, boolean trainable, boolean inputGradient, float[][] params) {
            this(stage, inH, inW, maxImages, trainable, inputGradient, params, false);
        }

        /** @param columnsOnly whether to keep the column path even where oneDNN's primitives would be used (tests) */
        Down(Stage stage, int inH, int inW, int maxImages, boolean trainable, boolean inputGradient, float[][] params,
             boolean columnsOnly) {
            this(stage, new StrideTwoGrid(stage.kernel(), inH / 2, inW / 2), inH, inW, maxImages, trainable,
                    inputGradient, params, columnsOnly);
        }

        private Down(Stage stage, StrideTwoGrid grid, int inH, int inW, int maxImages, boolean trainable,
                     boolean inputGradient, float[][] params, boolean columnsOnly) {
            super(stage, grid, inH, inW, stage.out(), maxImages * grid.smallArea(), trainable, params, columnsOnly);
            int rows = stage.in() * kk;
            boolean onColumns = oneDnn == null && oneDnnTraining == null;
            this.columns = onColumns ? NativeMatrix.nativeOnly(rows, maxImages * grid.smallArea()) : null;
            this.columnGrad = onColumns && trainable && inputGradient
                    ? NativeMatrix.nativeOnly(rows, maxImages * grid.smallArea()) : null;
        }

        @Override
        int outputCols(int n) {
            return n * grid.smallArea();
        }

        @Override
        NativeMatrix forward(NativeMatrix input, int n) {
            int cols = outputCols(n);
            if (oneDnn != null || oneDnnTraining != null) {
                return forwardByOneDnn(oneDnn != null ? oneDnn : oneDnnTraining, input, n);
            }
            grid.im2col(input.heap(), stage.in(), n, columns.buffer());
            NativeMatrix.gemm(weights.nd(stage.in() * kk), false, columns.nd(cols), false, output.nd(cols));
            output.pull(cols);
            activate(cols);
            return output;
        }

        @Override
        void backward(int n, float[] inputGrad) {
            if (oneDnnTraining != null) {
                backwardByOneDnn(n, inputGrad, null);
                return;
            }
            int cols = outputCols(n);
            activationBackward(cols);
            int rows = stage.in() * kk;
            outputGrad.push(cols);
            if (weightGradients) {
                NativeMatrix.gemm(outputGrad.nd(cols), false, columns.nd(cols), true, weightGrad.nd(rows));
                weightGrad.pull(rows);
            }
            if (inputGrad != null) {
                NativeMatrix.gemm(weights.nd(rows), true, outputGrad.nd(cols), false, columnGrad.nd(cols));
                grid.col2im(columnGrad.buffer(), stage.in(), n, inputGrad);
            }
        }

        @Override
        void backward(int n, NativeMatrix inputGrad) {
            if (oneDnnTraining != null) {
                backwardByOneDnn(n, null, inputGrad);
            } else {
                super.backward(n, inputGrad);
            }
        }

        /** The backward pass on oneDNN's primitives, the input gradient into an array, a matrix or nowhere. */
        private void backwardByOneDnn(int n, float[] heapInputGrad, NativeMatrix inputGrad) {
            if (!oneDnnTraining.activatesNatively()) {
                activationBackward(outputCols(n));
            }
            NativeMatrix weightTarget = weightGradients ? weightGrad : null;
            float[] biasTarget = biasGradTarget();
            if (inputGrad != null) {
                oneDnnTraining.backward(outputGrad, weightTarget, biasTarget, inputGrad, n);
            } else {
                oneDnnTraining.backward(outputGrad, weightTarget, biasTarget, heapInputGrad, n);
            }
            if (weightGradients) {
                weightGrad.pull(stage.in() * kk);
            }
        }

        @Override
        public void close() {
            super.close();
            NativeMatrix.closeAll(columns, columnGrad);
        }
    }

    /** A stride-2 transposed convolution: one product with the weights, columns scattered to the output. */
    static final class Up extends StageLayer {
        private final NativeMatrix columns;
        private final NativeMatrix columnGrad;
        private final NativeMatrix inputGradient;
        private NativeMatrix input;

        Up(Stage stage, int inH, int inW, int maxImages, boolean trainable, boolean inputGradient, float[][] params) {
            this(stage, inH, inW, maxImages, trainable, inputGradient, params, false);
        }

        /** @param columnsOnly whether to keep the column path even where oneDNN's primitives would be used (tests) */
        Up(Stage stage, int inH, int inW, int maxImages, boolean trainable, boolean inputGradient, float[][] params,
           boolean columnsOnly) {
            this(stage, new StrideTwoGrid(stage.kernel(), inH, inW), inH, inW, maxImages, trainable, inputGradient,
                    params, columnsOnly);
        }

        private Up(Stage stage, StrideTwoGrid grid, int inH, int inW, int maxImages, boolean trainable,
                   boolean inputGradient, float[][] params, boolean columnsOnly) {
            super(stage, grid, inH, inW, stage.in(), maxImages * grid.bigArea(), trainable, params, columnsOnly);
            int rows = stage.out() * kk;
            int cols = maxImages * grid.smallArea();
            this.columns = oneDnn != null ? null : NativeMatrix.nativeOnly(rows, cols);
            this.columnGrad = trainable ? NativeMatrix.nativeOnly(rows, cols) : null;
            this.inputGradient = trainable && inputGradient ? new NativeMatrix(stage.in(), cols) : null;
        }

        @Override
        int outputCols(int n) {
            return n * grid.bigArea();
        }

        @Override
        NativeMatrix forward(NativeMatrix in, int n) {
            int cols = n * grid.smallArea();
            int rows = stage.out() * kk;
            this.input = in;
            if (oneDnn != null) {
                return forwardByOneDnn(oneDnn, in, n);
            }
            in.push(cols);
            NativeMatrix.gemm(weights.nd(rows), true, in.nd(cols), false, columns.nd(cols));
            grid.col2im(columns.buffer(), stage.out(), n, output.heap());
            activate(outputCols(n));
            return output;
        }

        @Override
        void backward(int n, float[] inputGrad) {
            activationBackward(outputCols(n));
            int cols = n * grid.smallArea();
            int rows = stage.out() * kk;
            grid.im2col(outputGrad.heap(), stage.out(), n, columnGrad.buffer());
            if (weightGradients) {
                NativeMatrix.gemm(input.nd(cols), false, columnGrad.nd(cols), true, weightGrad.nd(rows));
                weightGrad.pull(rows);
            }
            if (inputGrad != null) {
                NativeMatrix.gemm(weights.nd(rows), false, columnGrad.nd(cols), false, inputGradient.nd(cols));
                inputGradient.pullInto(inputGrad, cols);
            }
        }

        @Override
        public void close() {
            super.close();
            NativeMatrix.closeAll(columns, columnGrad, inputGradient);
        }
    }
}
