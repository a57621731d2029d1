package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test support: the SameDiff graphs of {@link SelfAttention} and {@link SpectralNorm} (package-private here) evaluated
 * on plain float arrays, as the reference that the direct engine's {@code conv.SelfAttentionLayer} and
 * {@code conv.SpectralNormLayer} are compared with. Inputs and outputs of the attention layer are channel-major
 * ({@code [C][image][row][col]}, the engine's layout); parameters are in the SameDiff variables' layout.
 */
public final class AttentionReference {
    /** Name of the layer in the reference graph. */
    public static final String LAYER = "att";
    private static final String[] SUFFIXES = {"_f_w", "_f_b", "_g_w", "_g_b", "_h_w", "_h_b", "_gamma"};

    private AttentionReference() {
    }

    /**
     * The graph's output and gradients of the loss {@code sum(output * outputGrad)}.
     *
     * @param output     the layer's output, channel-major
     * @param paramGrads the gradients of the seven parameters, in {@code SelfAttentionLayer}'s order and layout
     * @param inputGrad  the gradient with respect to the input, channel-major
     */
    public record Result(float[] output, float[][] paramGrads, float[] inputGrad) {
    }

    /** A reference graph for a fixed number of images. */
    public static final class Graph implements AutoCloseable {
        private final SameDiff sd;
        private final int c;
        private final int h;
        private final int w;
        private final int n;
        private final boolean spectral;
        private final List<String> names = new ArrayList<>();
        private Map<String, INDArray> feeds;

        private Graph(SameDiff sd, int c, int h, int w, int n, boolean spectral) {
            this.sd = sd;
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.spectral = spectral;
        }

        /**
         * Sets the parameters, input and upstream gradient, then runs the forward pass and the gradients.
         *
         * @param params     the seven parameters in {@code SelfAttentionLayer}'s order
         * @param vectors    with spectral normalisation the {u, v} of f_w, g_w and h_w (in that order), else
         *                   {@code null}
         * @param x          input, channel-major
         * @param outputGrad the gradient of the loss with respect to the output, channel-major
         * @return output and gradients
         */
        public Result evaluate(float[][] params, float[][][] vectors, float[] x, float[] outputGrad) {
            names.clear();
            for (int i = 0; i < SUFFIXES.length; i++) {
                String name = LAYER + SUFFIXES[i];
                INDArray arr = sd.getVariable(name).getArr();
                arr.assign(Nd4j.create(params[i], arr.shape(), DataType.FLOAT));
                names.add(name);
            }
            sd.getVariable("x").getArr().assign(Nd4j.create(toNchw(x, c, n, h * w), new long[] {n, c, h, w},
                    DataType.FLOAT));
            feeds = new HashMap<>();
            feeds.put("r", Nd4j.create(toNchw(outputGrad, c, n, h * w), new long[] {n, c, h, w}, DataType.FLOAT));
            if (spectral) {
                String[] weights = {"_f_w", "_g_w", "_h_w"};
                for (int p = 0; p < 3; p++) {
                    float[] u = vectors[p][0];
                    float[] v = vectors[p][1];
                    feeds.put(LAYER + weights[p] + SpectralNorm.U, Nd4j.create(u, new long[] {u.length, 1},
                            DataType.FLOAT));
                    feeds.put(LAYER + weights[p] + SpectralNorm.V, Nd4j.create(v, new long[] {v.length, 1},
                            DataType.FLOAT));
                }
            }
            float[] out = GraphSupport.toFloats(sd.output(feeds, "out").get("out"));
            names.add("x");
            Map<String, INDArray> grads = sd.calculateGradients(feeds, names);
            float[][] pg = new float[SUFFIXES.length][];
            for (int i = 0; i < SUFFIXES.length; i++) {
                pg[i] = GraphSupport.toFloats(grads.get(LAYER + SUFFIXES[i]));
            }
            float[] dx = GraphSupport.toFloats(grads.get("x"));
            return new Result(toChannelMajor(out, c, n, h * w), pg, toChannelMajor(dx, c, n, h * w));
        }

        /** Runs the forward pass again on the values of the latest {@link #evaluate} (for timing). */
        public void forwardAgain() {
            sd.output(feeds, "out");
        }

        /** Runs the forward and backward pass again on the values of the latest {@link #evaluate} (for timing). */
        public void gradientsAgain() {
            sd.calculateGradients(feeds, names);
        }

        @Override
        public void close() {
            GraphSupport.release(sd);
        }
    }

    /**
     * Builds {@code SelfAttention.apply} with the loss {@code sum(output * r)} in float32.
     *
     * @param c        channels
     * @param h        map height
     * @param w        map width
     * @param n        images
     * @param spectral whether the projections are spectrally normalised
     * @return the graph
     */
    public static Graph selfAttention(int c, int h, int w, int n, boolean spectral) {
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, null, DataType.FLOAT);
        SDVariable x = sd.var("x", Nd4j.zeros(DataType.FLOAT, n, c, h, w));
        SDVariable out = sd.identity("out", SelfAttention.apply(p, LAYER, x, c, h, w, spectral));
        SDVariable r = sd.placeHolder("r", DataType.FLOAT, -1, c, h, w);
        sd.identity("loss", out.mul(r).sum());
        sd.setLossVariables("loss");
        List<String> expected = new ArrayList<>();
        for (String s : SUFFIXES) {
            expected.add(LAYER + s);
        }
        if (!p.names().equals(expected)) {
            throw new IllegalStateException("the graph's parameters changed: " + p.names());
        }
        return new Graph(sd, c, h, w, n, spectral);
    }

    /**
     * {@code SpectralNorm.normalise} of one weight and the gradient of {@code sum(normalised * upstream)} with respect
     * to the raw weight.
     *
     * @param w        the weight, row-major as a {@code rows x cols} matrix
     * @param shape    its SameDiff shape (e.g. {@code [in, out]} or {@code [kH, kW, in, out]})
     * @param rows     rows of the matrix view
     * @param cols     columns
     * @param u        the right vector
     * @param v        the left vector
     * @param upstream the gradient with respect to the normalised weight
     * @return {normalised weight, gradient with respect to {@code w}}
     */
    public static float[][] spectralNorm(float[] w, long[] shape, int rows, int cols, float[] u, float[] v,
                                         float[] upstream) {
        SameDiff sd = SameDiff.create();
        try {
            SDVariable wv = sd.var("w", Nd4j.create(w, shape, DataType.FLOAT));
            SDVariable n = sd.identity("n", SpectralNorm.normalise(sd, "w", wv, rows, cols, DataType.FLOAT));
            SDVariable g = sd.constant("g", Nd4j.create(upstream, shape, DataType.FLOAT));
            sd.identity("loss", n.mul(g).sum());
            sd.setLossVariables("loss");
            Map<String, INDArray> feeds = new HashMap<>();
            feeds.put("w" + SpectralNorm.U, Nd4j.create(u, new long[] {cols, 1}, DataType.FLOAT));
            feeds.put("w" + SpectralNorm.V, Nd4j.create(v, new long[] {rows, 1}, DataType.FLOAT));
            float[] normalised = GraphSupport.toFloats(sd.output(feeds, "n").get("n"));
            float[] grad = GraphSupport.toFloats(sd.calculateGradients(feeds, "w").get("w"));
            return new float[][] {normalised, grad};
        } finally {
            GraphSupport.release(sd);
        }
    }

    /**
     * The vectors {@code SpectralNorm} draws and then advances with {@code iterate}.
     *
     * @param shapes normalised weights with their {rows, cols}, in declaration order
     * @param seed   seed of the initial vectors
     * @param w      the weights by name (row-major matrices), used by every step
     * @param steps  power iterations
     * @return per step (0: the initial vectors) the vectors by placeholder name ({@code <weight>_sn_u}, {@code _sn_v})
     */
    public static List<Map<String, float[]>> powerIterations(LinkedHashMap<String, long[]> shapes, long seed,
                                                             Map<String, float[]> w, int steps) {
        List<Map<String, float[]>> out = new ArrayList<>();
        Map<String, INDArray> weights = new HashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            weights.put(e.getKey(), Nd4j.create(w.get(e.getKey()), e.getValue(), DataType.FLOAT));
        }
        try (SpectralNorm sn = SpectralNorm.create(shapes, new SplittableRandom(seed))) {
            out.add(snapshot(sn));
            for (int s = 0; s < steps; s++) {
                sn.iterate(weights);
                out.add(snapshot(sn));
            }
        }
        return out;
    }

    private static Map<String, float[]> snapshot(SpectralNorm sn) {
        Map<String, float[]> m = new LinkedHashMap<>();
        sn.vectors().forEach((k, v) -> m.put(k, GraphSupport.toFloats(v)));
        return m;
    }

    /** {@code [C][n][N]} to {@code [n][C][N]}. */
    static float[] toNchw(float[] channelMajor, int c, int n, int area) {
        float[] out = new float[c * n * area];
        for (int ch = 0; ch < c; ch++) {
            for (int b = 0; b < n; b++) {
                System.arraycopy(channelMajor, (ch * n + b) * area, out, (b * c + ch) * area, area);
            }
        }
        return out;
    }

    /** {@code [n][C][N]} to {@code [C][n][N]}. */
    static float[] toChannelMajor(float[] nchw, int c, int n, int area) {
        float[] out = new float[c * n * area];
        for (int ch = 0; ch < c; ch++) {
            for (int b = 0; b < n; b++) {
                System.arraycopy(nchw, (b * c + ch) * area, out, (ch * n + b) * area, area);
            }
        }
        return out;
    }
}
