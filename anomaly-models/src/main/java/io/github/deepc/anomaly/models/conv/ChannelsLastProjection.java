package io.github.deepc.anomaly.models.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
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
 * (anomaly-benchmarks/README.md). The products are oneDNN's matrix-multiplication primitives (one set per image count,
 * built on first use and kept), not its {@code sgemm}: the first {@code sgemm} of more than a few rows in a JVM
 * generated its kernels for 35-57 ms, inside Deep SVDD's first training step; the primitives took about 1 ms to build
 * and ran the products in 0.04-0.3 ms where {@code sgemm} took 0.04-0.7. Equal to the flattening path to float
 * rounding; for a given image count, thread count and CPU the same bits every time. Not thread-safe.
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
    private final Map<Integer, Products> products = new HashMap<>();
    /** The products of the latest {@link #forward}, its input bound (the convolution's buffer), or {@code null}. */
    private Products latest;

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
        latest = null;
        if (pending == null || !pending.holds(n, channels, gridHeight, gridWidth)) {
            return false;
        }
        Products p = products.computeIfAbsent(n, Products::new);
        p.forward(pending.values());
        this.features.buffer().get(0, features, 0, n * repDim);
        latest = p;
        return true;
    }

    /** @return whether the latest {@link #forward} applied, so that {@link #backward} may follow it */
    boolean applied() {
        return latest != null;
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
        if (latest == null || latest.n != n) {
            throw new IllegalStateException("the backward pass over " + n + " images does not follow a channels-last "
                    + "forward pass over as many");
        }
        System.arraycopy(featureGrad, 0, this.featureGrad.heap(), 0, n * repDim);
        this.featureGrad.push(n * repDim);
        latest.backward();
        this.weightGrad.buffer().get(0, weightGradRows, 0, weightGradRows.length);
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < positions; s++) {
                System.arraycopy(weightGradRows, (s * channels + c) * repDim, weightGrad, (c * positions + s) * repDim,
                        repDim);
            }
        }
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

    /** @return a {@code rows x cols} matrix, row-major or (a transpose's view) column-major */
    private static dnnl_memory_desc_t matrix(long rows, long cols, boolean columnMajor) {
        return OneDnn.byStrides(new long[] {rows, cols}, columnMajor ? new long[] {1, rows} : new long[] {cols, 1});
    }

    @Override
    public void close() {
        products.values().forEach(p -> p.objects.close());
        products.clear();
        latest = null;
        NativeMatrix.closeAll(permuted, features, featureGrad, weightGrad, inputGrad);
    }

    /**
     * The three products for one image count: features {@code X Wp}, the permuted weights' gradient {@code X^T G} and
     * the input gradient {@code G Wp^T} (transposes as strides, no copies).
     */
    private final class Products {
        private final OneDnn objects = new OneDnn();
        private final int n;
        private final String what;
        private final dnnl_primitive forward;
        private final dnnl_primitive weightGradient;
        private final dnnl_primitive inputGradient;
        /** The input as {@code n x flat} and as its transpose, bound to the convolution's result at each pass. */
        private final dnnl_memory input;
        private final dnnl_memory inputTransposed;
        private final dnnl_exec_arg_t forwardArgs;
        private final dnnl_exec_arg_t weightGradientArgs;
        private final dnnl_exec_arg_t inputGradientArgs;

        Products(int n) {
            this.n = n;
            long flat = (long) positions * channels;
            what = "the channels-last projection of " + n + " images";
            dnnl_memory_desc_t x = matrix(n, flat, false);
            dnnl_memory_desc_t xT = matrix(flat, n, true);
            dnnl_memory_desc_t w = matrix(flat, repDim, false);
            dnnl_memory_desc_t wT = matrix(repDim, flat, true);
            dnnl_memory_desc_t f = matrix(n, repDim, false);
            forward = product(x, w, f);
            input = objects.unboundMemory(x);
            dnnl_memory weights = objects.memory(w, permuted.address());
            int[] kinds = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
            forwardArgs = objects.args(kinds, input, weights, objects.memory(f, features.address()));
            if (featureGrad == null) {
                weightGradient = null;
                inputGradient = null;
                inputTransposed = null;
                weightGradientArgs = null;
                inputGradientArgs = null;
                return;
            }
            weightGradient = product(xT, f, w);
            inputGradient = product(f, wT, x);
            inputTransposed = objects.unboundMemory(xT);
            dnnl_memory grad = objects.memory(f, featureGrad.address());
            weightGradientArgs = objects.args(kinds, inputTransposed, grad, objects.memory(w, weightGrad.address()));
            inputGradientArgs = objects.args(kinds, grad, objects.memory(wT, permuted.address()),
                    objects.memory(x, inputGrad.address()));
        }

        private dnnl_primitive product(dnnl_memory_desc_t a, dnnl_memory_desc_t b, dnnl_memory_desc_t c) {
            dnnl_matmul_desc_t desc = new dnnl_matmul_desc_t();
            OneDnn.check(dnnl_matmul_desc_init(desc, a, b, null, c), "describing " + what);
            try (OneDnn.Choice choice = objects.choose(desc, what)) {
                return choice.create();
            }
        }

        void forward(FloatPointer values) {
            OneDnn.bind(input, values);
            if (inputTransposed != null) {
                OneDnn.bind(inputTransposed, values);
            }
            objects.execute(forward, forwardArgs, what);
            objects.await(what);
        }

        /** Both gradients, from the input of the latest {@link #forward} and the pushed feature gradient. */
        void backward() {
            objects.execute(weightGradient, weightGradientArgs, what);
            objects.execute(inputGradient, inputGradientArgs, what);
            objects.await(what);
        }
    }
}
