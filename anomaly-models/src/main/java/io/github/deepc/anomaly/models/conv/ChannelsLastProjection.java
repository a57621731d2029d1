package io.github.deepc.anomaly.models.conv;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A bias-free linear projection of a convolution's flattened result ({@code [channel][position]} features, ND4J's NCHW
 * flattening) computed straight from the convolution's channels-last result ({@link NativeMatrix#channelsLast}):
 * the weights' rows are kept permuted to {@code [position][channel]}, so that one product per pass turns
 * {@code n x (positions * channels)} values, image after image, into {@code n x repDim} features, without reordering
 * the result back, flattening it and transposing the product. Backward, two products give the weight gradient (rows
 * permuted back) and the input gradient, which is handed to the convolution channels-last as well
 * ({@link NativeMatrix#channelsLastResult}).
 *
 * <p>Why: Deep SVDD's scoring at 64 images per pass went from medians of 26396-31050 to 29769-42724 images/s with the
 * forward half; the backward half removes the same reorders, copies and Java loops from every training step
 * (anomaly-benchmarks/README.md). Equal to the flattening path to float rounding. Not thread-safe.
 */
final class ChannelsLastProjection implements AutoCloseable {
    private final int channels;
    private final int gridHeight;
    private final int gridWidth;
    private final int positions;
    private final int repDim;
    /** The weights' rows in {@code [position][channel]} order. */
    private final NativeMatrix permuted;
    private final NativeMatrix features;
    /** Training only ({@code null} otherwise): the feature gradient, weight gradient and input gradient natively. */
    private final NativeMatrix featureGrad;
    private final NativeMatrix weightGrad;
    private final NativeMatrix inputGrad;
    private final float[] weightGradRows;
    /** The input of the latest {@link #forward} (the convolution's buffer, borrowed), or {@code null}. */
    private FloatPointer latestInput;
    private int latestImages;

    /**
     * @param channels   channels of the convolution's result
     * @param gridHeight its rows
     * @param gridWidth  its columns
     * @param repDim     features
     * @param maxImages  the most images per pass
     * @param trainable  whether to hold what {@link #backward} needs
     */
    ChannelsLastProjection(int channels, int gridHeight, int gridWidth, int repDim, int maxImages, boolean trainable) {
        this.channels = channels;
        this.gridHeight = gridHeight;
        this.gridWidth = gridWidth;
        this.positions = gridHeight * gridWidth;
        this.repDim = repDim;
        int flat = channels * positions;
        this.permuted = new NativeMatrix(flat, repDim);
        this.features = NativeMatrix.nativeOnly(maxImages, repDim);
        this.featureGrad = trainable ? new NativeMatrix(1, maxImages * repDim) : null;
        this.weightGrad = trainable ? NativeMatrix.nativeOnly(flat, repDim) : null;
        this.inputGrad = trainable ? NativeMatrix.nativeOnly(maxImages, flat) : null;
        this.weightGradRows = trainable ? new float[flat * repDim] : null;
    }

    /** Re-reads the weights, {@code [channel * positions + position][repDim]}, after every change. */
    void weightsChanged(float[] weights) {
        float[] p = permuted.heap();
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < positions; s++) {
                System.arraycopy(weights, (c * positions + s) * repDim, p, (s * channels + c) * repDim, repDim);
            }
        }
        permuted.push(repDim);
    }

    /**
     * @param last     the convolution's output
     * @param n        images
     * @param features receives {@code n x repDim} features, image after image
     * @return whether it applied: the output's result still pending channels-last with these dimensions (else nothing
     *         was computed and the caller flattens)
     */
    boolean forward(NativeMatrix last, int n, float[] features) {
        NativeMatrix.ChannelsLast pending = last.channelsLast();
        latestInput = null;
        if (pending == null || !pending.holds(n, channels, gridHeight, gridWidth)) {
            return false;
        }
        Gemm.multiply(pending.values(), permuted.address(), this.features.address(), n, (long) positions * channels,
                repDim);
        this.features.buffer().get(0, features, 0, n * repDim);
        latestInput = pending.values();
        latestImages = n;
        return true;
    }

    /** @return whether the latest {@link #forward} applied, so that {@link #backward} may follow it */
    boolean applied() {
        return latestInput != null;
    }

    /**
     * The gradients of the latest {@link #forward}.
     *
     * @param featureGrad the loss gradient with respect to the features, {@code n x repDim} image after image
     * @param n           images of the latest forward pass
     * @param weightGrad  receives the weight gradient, {@code [channel * positions + position][repDim]}
     * @param outputGrad  the convolution's output gradient: receives the input gradient as a pending channels-last
     *                    result, which the convolution takes over as it stands
     */
    void backward(float[] featureGrad, int n, float[] weightGrad, NativeMatrix outputGrad) {
        if (latestInput == null || latestImages != n) {
            throw new IllegalStateException("the backward pass over " + n + " images does not follow a channels-last "
                    + "forward pass over as many");
        }
        long flat = (long) positions * channels;
        System.arraycopy(featureGrad, 0, this.featureGrad.heap(), 0, n * repDim);
        this.featureGrad.push(n * repDim);
        // the rows of the transposed input (n x flat) times the gradient: the permuted weights' gradient
        Gemm.multiply(latestInput, true, this.featureGrad.address(), false, this.weightGrad.address(), flat, n, repDim);
        this.weightGrad.buffer().get(0, weightGradRows, 0, weightGradRows.length);
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < positions; s++) {
                System.arraycopy(weightGradRows, (s * channels + c) * repDim, weightGrad, (c * positions + s) * repDim,
                        repDim);
            }
        }
        Gemm.multiply(this.featureGrad.address(), false, permuted.address(), true, inputGrad.address(), n, repDim,
                flat);
        outputGrad.channelsLastResult(new NativeMatrix.ChannelsLast(inputGrad.address(), n, channels, gridHeight,
                gridWidth, () -> inputGradInto(outputGrad, n)), n * positions);
    }

    /** Writes the input gradient into {@code target}'s native copy in the engine's layout, {@code [c][n][position]}. */
    private void inputGradInto(NativeMatrix target, int n) {
        int flat = positions * channels;
        float[] rows = new float[n * flat];
        inputGrad.buffer().get(0, rows, 0, rows.length);
        float[] engine = new float[rows.length];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < positions; s++) {
                for (int c = 0; c < channels; c++) {
                    engine[(c * n + b) * positions + s] = rows[b * flat + s * channels + c];
                }
            }
        }
        target.buffer().put(0, engine, 0, engine.length);
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(permuted, features, featureGrad, weightGrad, inputGrad);
    }
}
