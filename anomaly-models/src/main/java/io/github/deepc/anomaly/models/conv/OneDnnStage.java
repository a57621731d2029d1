package io.github.deepc.anomaly.models.conv;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.bytedeco.dnnl.dnnl_memory_desc_t;

/**
 * What oneDNN's passes of one {@link Stage} share ({@link OneDnnConvolution} for inference,
 * {@link OneDnnTrainingConvolution} for training): the stage and its sides, one set of primitives per image count
 * (built on first use and kept), the weights' version that tells a pass to reorder them again, and the engine's layout
 * as oneDNN sees it. Not thread-safe, like the layer that owns it.
 *
 * @param <P> a set of primitives for one image count
 */
abstract class OneDnnStage<P extends OneDnnStage.Pass> implements AutoCloseable {
    /** One image count's primitives and buffers, all in one {@link OneDnn} set. */
    interface Pass {
        /** @return the set that owns the pass's objects */
        OneDnn objects();
    }

    final Stage stage;
    final int inH;
    final int inW;
    final int outH;
    final int outW;
    private final Map<Integer, P> passes = new HashMap<>();
    /** Incremented by {@link #weightsChanged()}; each pass reorders the weights again when it sees a new value. */
    private long weightsVersion;

    /**
     * @param stage the stage
     * @param inH   input height
     * @param inW   input width
     */
    OneDnnStage(Stage stage, int inH, int inW) {
        this.stage = stage;
        this.inH = inH;
        this.inW = inW;
        this.outH = stage.transposed() ? 2 * inH : inH / 2;
        this.outW = stage.transposed() ? 2 * inW : inW / 2;
    }

    /** Marks the weights changed: the next pass reorders them again into the primitives' formats. */
    final void weightsChanged() {
        weightsVersion++;
    }

    /** @return the weights' version ({@link #weightsChanged()}) */
    final long weightsVersion() {
        return weightsVersion;
    }

    /**
     * The stage's forward pass for {@code n} images. With a bias, the whole stage: bias and activation fused, the
     * result left native (where it was computed channels-last, there for a next convolution to read:
     * {@link NativeMatrix#channelsLastResult}) and reordered into the output when anything else reads it. Without, the
     * product alone, in the output's native copy (the caller pulls it and activates).
     *
     * @param input   {@code [in][n][inH][inW]}: its heap copy (pushed here where needed), a native pass's result, or a
     *                previous convolution's pending channels-last result
     * @param weights native weights in the engine's layout ({@code [out][in][k][k]}, transposed {@code [in][out][k][k]})
     * @param bias    the bias to add and the stage's activation to apply, or {@code null} for the product alone
     * @param output  receives {@code [out][n][outH][outW]}
     * @param n       images
     */
    abstract void forward(NativeMatrix input, NativeMatrix weights, float[] bias, NativeMatrix output, int n);

    /** @return the pass for {@code key} (an image count, with the pass's variant), built on first use */
    final P pass(int key, Function<Integer, P> build) {
        return passes.computeIfAbsent(key, build);
    }

    /** @return whether a pass over {@code n} images reads {@code input} from a previous pass's channels-last result */
    final boolean readsChannelsLast(NativeMatrix input, int n) {
        NativeMatrix.ChannelsLast pending = input.channelsLast();
        return stage.in() > 1 && pending != null && pending.holds(n, stage.in(), inH, inW);
    }

    /**
     * The bottom/right padding for which oneDNN's output size formula gives the engine's sides: for a convolution
     * {@code (2h - k + p + r) / 2 + 1 = h} (integer division; the smallest {@code r >= 0}), for a transposed one
     * {@code 2 (h - 1) - p - r + k = 2h}, so {@code r = k - 2 - p}. The extra rows are zero padding that no tap reads,
     * or outputs cropped, as in the engine ({@link StrideTwoGrid}).
     */
    static int padRight(Stage stage) {
        int k = stage.kernel();
        int p = (k - 1) / 2;
        return stage.transposed() ? k - 2 - p : Math.max(0, k - 2 - p);
    }

    /** The engine's channel-major layout as a strided {@code [n][c][h][w]} tensor. */
    static dnnl_memory_desc_t channelMajor(long n, long c, long h, long w) {
        return OneDnn.byStrides(new long[] {n, c, h, w}, new long[] {h * w, n * h * w, w, 1});
    }

    @Override
    public void close() {
        passes.values().forEach(p -> p.objects().close());
        passes.clear();
    }
}
