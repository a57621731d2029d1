package io.github.deepc.anomaly.models.conv;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SAGAN self-attention layer (Zhang et al. 2019) of {@code alpha-gan} on the direct engine, computing exactly what
 * {@code gan.SelfAttention.apply} builds in SameDiff: with the 1x1 projections {@code f}, {@code g} (to
 * {@code ck = max(1, C/8)} channels) and {@code h} (to {@code C}) applied as dense layers to the channel vector
 * {@code x_i} of every position {@code i} of an image, {@code s_ij = f(x_i)^T g(x_j)},
 * {@code beta_ji = softmax_i(s_ij)}, {@code o_j = sum_i beta_ji h(x_i)}, and the output {@code x + gamma o}
 * ({@code gamma} starts at 0, so the layer starts as the identity). Optionally each projection weight is spectrally
 * normalised ({@link SpectralNormLayer}), as in the discriminators.
 *
 * <p>Layout: input, output and their gradients are channel-major, {@code [C][image][row][col]}. The three
 * projections are one matrix product over the whole batch (their weights side by side as one {@code [C][2 ck + C]}
 * matrix); the attention itself is two batched products of {@code N = height * width} positions forward and four
 * backward ({@link ImageBlocks#batchGemm}: one library call per image), on
 * image-major copies of the projections; softmax (with {@link FastExp}), the reorders and the residual are Java loops
 * split over {@link ParallelRanges} (bit-identical for any thread count). A layer built for inference only takes
 * oneDNN's softmax instead ({@link OneDnnSoftmax}, where oneDNN is the product library), on the attention weights in
 * native memory: alpha-gan scored 1.45x faster at 64 images per pass (median 915 -> 1329 images/s).
 * The attention weights {@code beta} of every image are kept for the backward pass, and a trainable layer also keeps
 * their gradient (each on the heap and natively): memory grows with {@code N^2} per image, {@link #floatsPerImage}
 * floats in all: at 32 channels on a 16x16 map 1.7 MB per image for a trainable layer (109 MB for 64 images), 0.9 MB
 * for inference; a map of twice the side needs about sixteen times that.
 *
 * <p>Parameters, in the order and layout of the SameDiff variables (so that GAN states stay loadable):
 * {@code <name>_f_w} {@code [C, ck]}, {@code _f_b} {@code [ck]}, {@code _g_w} {@code [C, ck]}, {@code _g_b}
 * {@code [ck]}, {@code _h_w} {@code [C, C]}, {@code _h_b} {@code [C]}, {@code _gamma} {@code [1]}; dense weights
 * row-major {@code [in, out]} (ND4J's {@code linear}). The {@link #gradients()} have the same order and layout and are
 * the gradients with respect to these raw parameters (through the spectral normalisation where it is used). With
 * spectral normalisation, the vectors of {@link #spectralNorms(int, SplittableRandom)} are the placeholders
 * {@code <name>_f_w_sn_u/_sn_v}, {@code _g_w_sn_*}, {@code _h_w_sn_*} in that order.
 *
 * <p>Internal support for the model packages (public for them), not API. A backward pass belongs to the latest
 * forward pass. Not thread-safe.
 */
public final class SelfAttentionLayer implements AutoCloseable {
    /** Suffixes of the SameDiff parameter names, in the order of {@link #parameters()} and {@link #gradients()}. */
    public static final List<String> PARAMETER_SUFFIXES = List.of("_f_w", "_f_b", "_g_w", "_g_b", "_h_w", "_h_b",
            "_gamma");
    private static final int F_W = 0;
    private static final int F_B = 1;
    private static final int G_W = 2;
    private static final int G_B = 3;
    private static final int H_W = 4;
    private static final int H_B = 5;
    private static final int GAMMA = 6;

    private final int c;
    private final int ck;
    /** Rows of the stacked projections: f, then g, then h. */
    private final int r;
    private final int positions;
    private final int maxImages;
    private final boolean trainable;
    private final float[][] params;
    private final float[][] grads;
    private final SpectralNormLayer[] spectral;
    /** The projection weights actually used (normalised where spectral), before stacking. */
    private final float[][] effective = new float[3][];
    private final float[] biases;

    private final NativeMatrix input;
    private final NativeMatrix weights;
    private final NativeMatrix projected;
    private final ImageBlocks blocks;
    private final ImageBlocks beta;
    private final ImageBlocks attendedBlocks;
    private final float[] attended;
    private final float[] output;
    /** oneDNN's softmax for a layer built for inference only (where oneDNN is the product library), or {@code null}. */
    private final OneDnnSoftmax nativeSoftmax;

    private final NativeMatrix weightGrad;
    private final NativeMatrix projectedGrad;
    private final NativeMatrix inputGrad;
    private final ImageBlocks attendedGrad;
    private final ImageBlocks betaGrad;
    private final ImageBlocks blockGrad;
    private int lastImages;

    /**
     * @param channels   channels {@code C} of the input
     * @param height     feature-map height
     * @param width      feature-map width
     * @param maxImages  the most images per pass
     * @param trainable  whether {@link #backward} will be called (it needs the gradient buffers)
     * @param parameters the seven parameter arrays in the order of {@link #PARAMETER_SUFFIXES} (shared, not copied:
     *                   e.g. a parameter store's arrays; read at every forward pass), or {@code null} for new zero ones
     * @param spectral   the spectral normalisations of {@code f_w}, {@code g_w}, {@code h_w} (see
     *                   {@link #spectralNorms}), or {@code null} for none
     */
    public SelfAttentionLayer(int channels, int height, int width, int maxImages, boolean trainable,
                              float[][] parameters, SpectralNormLayer[] spectral) {
        if (channels < 1 || height < 1 || width < 1 || maxImages < 1) {
            throw new IllegalArgumentException("self-attention needs channels, height, width and maxImages >= 1, got "
                    + channels + ", " + height + ", " + width + ", " + maxImages);
        }
        this.c = channels;
        this.ck = keyChannels(channels);
        this.r = 2 * ck + c;
        this.positions = Math.multiplyExact(height, width);
        Math.multiplyExact(Math.multiplyExact(positions, positions), maxImages);
        this.maxImages = maxImages;
        this.trainable = trainable;
        this.params = parameters != null ? checked(parameters) : newArrays(c);
        this.grads = newArrays(c);
        if (spectral != null) {
            checkSpectral(spectral);
        }
        this.spectral = spectral;
        for (int p = 0; p < 3; p++) {
            effective[p] = spectral != null ? new float[params[2 * p].length] : null;
        }
        this.biases = new float[r];
        int cols = maxImages * positions;
        this.input = new NativeMatrix(c, cols);
        this.weights = new NativeMatrix(c, r);
        this.projected = new NativeMatrix(r, cols);
        this.blocks = new ImageBlocks(r * positions, maxImages);
        this.beta = new ImageBlocks(positions * positions, maxImages);
        this.attendedBlocks = new ImageBlocks(c * positions, maxImages);
        this.attended = new float[c * cols];
        this.output = new float[c * cols];
        this.nativeSoftmax = !trainable && Gemm.library() == Gemm.Library.ONEDNN ? new OneDnnSoftmax(positions) : null;
        if (trainable) {
            this.weightGrad = new NativeMatrix(c, r);
            this.projectedGrad = new NativeMatrix(r, cols);
            this.inputGrad = new NativeMatrix(c, cols);
            this.attendedGrad = new ImageBlocks(c * positions, maxImages);
            this.betaGrad = new ImageBlocks(positions * positions, maxImages);
            this.blockGrad = new ImageBlocks(r * positions, maxImages);
        } else {
            this.weightGrad = null;
            this.projectedGrad = null;
            this.inputGrad = null;
            this.attendedGrad = null;
            this.betaGrad = null;
            this.blockGrad = null;
        }
    }

    /**
     * @param channels channels of the input
     * @return channels of the query and key projections {@code f} and {@code g}: {@code max(1, channels / 8)}
     */
    public static int keyChannels(int channels) {
        return Math.max(1, channels / 8);
    }

    /**
     * @param channels channels of the input
     * @return the shapes of the parameters, in the order of {@link #PARAMETER_SUFFIXES}
     */
    public static int[][] parameterShapes(int channels) {
        int k = keyChannels(channels);
        return new int[][] {{channels, k}, {k}, {channels, k}, {k}, {channels, channels}, {channels}, {1}};
    }

    /**
     * The spectral normalisations of the three projection weights, drawn from {@code rng} in the graph's declaration
     * order ({@code f_w}, {@code g_w}, {@code h_w}; each {@code u} then {@code v}).
     *
     * @param channels channels of the input
     * @param rng      randomness for the initial vectors, or {@code null} for zeros (a saved state follows)
     * @return the three normalisations
     */
    public static SpectralNormLayer[] spectralNorms(int channels, SplittableRandom rng) {
        int k = keyChannels(channels);
        return new SpectralNormLayer[] {new SpectralNormLayer(channels, k, rng), new SpectralNormLayer(channels, k, rng),
            new SpectralNormLayer(channels, channels, rng)};
    }

    /**
     * Floats this layer holds per image of its capacity (heap and native copies together), for memory estimates:
     * about {@code 2 N^2} for the attention weights, {@code 4 N^2} when trainable, plus a few copies of the map.
     *
     * @param channels  channels
     * @param height    map height
     * @param width     map width
     * @param trainable whether the gradient buffers exist
     * @return floats per image
     */
    public static long floatsPerImage(int channels, int height, int width, boolean trainable) {
        long n = (long) height * width;
        long rows = 2L * keyChannels(channels) + channels;
        // input, stacked projections (channel- and image-major), beta, attended (blocks) at 2 copies each; attended and
        // output on the heap only
        long forward = 2 * (channels * n + 2 * rows * n + n * n + channels * n) + 2 * channels * n;
        // projection gradients (channel- and image-major), input gradient, attended gradient, beta gradient
        long backward = 2 * (2 * rows * n + 2 * channels * n + n * n);
        return forward + (trainable ? backward : 0);
    }

    private static float[][] newArrays(int channels) {
        int[][] shapes = parameterShapes(channels);
        float[][] a = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int size = 1;
            for (int d : shapes[i]) {
                size *= d;
            }
            a[i] = new float[size];
        }
        return a;
    }

    private float[][] checked(float[][] parameters) {
        int[][] shapes = parameterShapes(c);
        if (parameters.length != shapes.length) {
            throw new IllegalArgumentException("self-attention needs " + shapes.length + " parameter arrays "
                    + PARAMETER_SUFFIXES + ", got " + parameters.length);
        }
        float[][] expected = newArrays(c);
        for (int i = 0; i < shapes.length; i++) {
            if (parameters[i] == null || parameters[i].length != expected[i].length) {
                throw new IllegalArgumentException("self-attention parameter " + PARAMETER_SUFFIXES.get(i) + " of "
                        + c + " channels needs " + expected[i].length + " values, got "
                        + (parameters[i] == null ? "none" : parameters[i].length));
            }
        }
        return parameters.clone();
    }

    private void checkSpectral(SpectralNormLayer[] s) {
        int[][] shapes = parameterShapes(c);
        if (s.length != 3) {
            throw new IllegalArgumentException("self-attention needs 3 spectral normalisations (f, g, h), got "
                    + s.length);
        }
        for (int p = 0; p < 3; p++) {
            int[] shape = shapes[2 * p];
            if (s[p] == null || s[p].rows() != shape[0] || s[p].cols() != shape[1]) {
                throw new IllegalArgumentException("the spectral normalisation of " + PARAMETER_SUFFIXES.get(2 * p)
                        + " must be " + shape[0] + " x " + shape[1] + ", got "
                        + (s[p] == null ? "none" : s[p].rows() + " x " + s[p].cols()));
            }
        }
    }

    /** @return the parameter arrays, in the order of {@link #PARAMETER_SUFFIXES} (live) */
    public float[][] parameters() {
        return params.clone();
    }

    /** @return the gradients of the latest {@link #backward}, in the order and layout of {@link #parameters()} */
    public float[][] gradients() {
        return grads.clone();
    }

    /** @return the spectral normalisations of {@code f_w}, {@code g_w}, {@code h_w}, or {@code null} */
    public SpectralNormLayer[] spectral() {
        return spectral == null ? null : spectral.clone();
    }

    /**
     * One power iteration of each spectral normalisation (once per discriminator training step, before its forward
     * pass: a backward pass uses the vectors of its forward pass); nothing without them. Inference does not iterate.
     */
    public void iterateSpectralNorms() {
        if (spectral != null) {
            for (int p = 0; p < 3; p++) {
                spectral[p].iterate(params[2 * p]);
            }
        }
    }

    /**
     * The forward pass; keeps what {@link #backward} needs (its own copy of the input among it).
     *
     * @param x channel-major input {@code [C][n][height][width]}
     * @param n images, at most the capacity
     * @return the output {@code x + gamma o}, channel-major, packed for {@code n} images (the layer's own array,
     *     overwritten by the next pass)
     */
    public float[] forward(float[] x, int n) {
        checkImages(n);
        int cols = n * positions;
        checkLength("input", x, c * cols);
        System.arraycopy(x, 0, input.heap(), 0, c * cols);
        input.push(cols);
        stackWeights();
        NativeMatrix.gemm(weights.nd(r), true, input.nd(cols), false, projected.nd(cols));
        projected.pull(cols);
        addBiases(projected.heap(), cols);
        toImageMajor(projected.heap(), r, n, 1f, blocks.heap());
        blocks.push(n);
        // scores[j][i] = g_j . f_i = s_ij
        ImageBlocks.batchGemm(gBatch(n), true, fBatch(n), false, beta.batch(n, 0, positions, positions));
        if (nativeSoftmax != null) {
            nativeSoftmax.apply(beta.address(), n * positions); // no backward pass: beta need not reach the heap
        } else {
            beta.pull(n);
            softmaxRows(beta.heap(), n * positions);
            beta.push(n);
        }
        // o[c][j] = sum_i h[c][i] beta[j][i]
        ImageBlocks.batchGemm(hBatch(n), false, beta.batch(n, 0, positions, positions), true,
                attendedBlocks.batch(n, 0, c, positions));
        attendedBlocks.pull(n);
        toChannelMajor(attendedBlocks.heap(), c, n, attended);
        float gamma = params[GAMMA][0];
        int size = c * cols;
        ParallelRanges.run(blocksOf(size), BLOCK, (from, to) -> {
            for (int i = from * BLOCK, end = Math.min(size, to * BLOCK); i < end; i++) {
                output[i] = x[i] + attended[i] * gamma;
            }
        });
        lastImages = n;
        return output;
    }

    /**
     * The backward pass of the latest forward pass: fills {@link #gradients()} and, when asked, the input gradient.
     *
     * @param outputGrad the gradient with respect to the output, channel-major {@code [C][n][height][width]}
     * @param n          images of the latest forward pass
     * @param inputGrad  receives the gradient with respect to the input (same layout; may be {@code outputGrad}), or
     *                   {@code null} when not needed
     */
    public void backward(float[] outputGrad, int n, float[] inputGrad) {
        if (!trainable) {
            throw new IllegalStateException("this self-attention layer was built for inference only");
        }
        if (n != lastImages) {
            throw new IllegalArgumentException("backward over " + n + " images after a forward pass over "
                    + lastImages);
        }
        int cols = n * positions;
        checkLength("output gradient", outputGrad, c * cols);
        if (inputGrad != null) {
            checkLength("input gradient", inputGrad, c * cols);
        }
        grads[GAMMA][0] = gammaGradient(outputGrad, cols);
        toImageMajor(outputGrad, c, n, params[GAMMA][0], attendedGrad.heap());
        attendedGrad.push(n);
        // dh[c][i] = sum_j do[c][j] beta[j][i];  dbeta[j][i] = sum_c do[c][j] h[c][i]
        INDArray attendedGrads = attendedGrad.batch(n, 0, c, positions);
        INDArray betaGrads = betaGrad.batch(n, 0, positions, positions);
        ImageBlocks.batchGemm(attendedGrads, false, beta.batch(n, 0, positions, positions), false,
                blockGrad.batch(n, 2 * ck * positions, c, positions));
        ImageBlocks.batchGemm(attendedGrads, true, hBatch(n), false, betaGrads);
        betaGrad.pull(n);
        softmaxBackward(beta.heap(), betaGrad.heap(), n * positions);
        betaGrad.push(n);
        // ds[j][i]: dg[k][j] = sum_i f[k][i] ds[j][i];  df[k][i] = sum_j g[k][j] ds[j][i]
        ImageBlocks.batchGemm(fBatch(n), false, betaGrads, true, blockGrad.batch(n, ck * positions, ck, positions));
        ImageBlocks.batchGemm(gBatch(n), false, betaGrads, false, blockGrad.batch(n, 0, ck, positions));
        blockGrad.pull(n);
        float[] dp = projectedGrad.heap();
        toChannelMajor(blockGrad.heap(), r, n, dp);
        float[] biasGrad = new float[r];
        Activation.rowSums(dp, cols, biasGrad);
        System.arraycopy(biasGrad, 0, grads[F_B], 0, ck);
        System.arraycopy(biasGrad, ck, grads[G_B], 0, ck);
        System.arraycopy(biasGrad, 2 * ck, grads[H_B], 0, c);
        projectedGrad.push(cols);
        NativeMatrix.gemm(input.nd(cols), false, projectedGrad.nd(cols), true, weightGrad.nd(r));
        weightGrad.pull(r);
        unstackWeightGrads();
        if (inputGrad != null) {
            NativeMatrix.gemm(weights.nd(r), false, projectedGrad.nd(cols), false, this.inputGrad.nd(cols));
            this.inputGrad.pull(cols);
            float[] through = this.inputGrad.heap();
            int size = c * cols;
            ParallelRanges.run(blocksOf(size), BLOCK, (from, to) -> {
                for (int i = from * BLOCK, end = Math.min(size, to * BLOCK); i < end; i++) {
                    inputGrad[i] = outputGrad[i] + through[i];
                }
            });
        }
    }

    private INDArray fBatch(int n) {
        return blocks.batch(n, 0, ck, positions);
    }

    private INDArray gBatch(int n) {
        return blocks.batch(n, ck * positions, ck, positions);
    }

    private INDArray hBatch(int n) {
        return blocks.batch(n, 2 * ck * positions, c, positions);
    }

    /** Values per block of an element-wise loop split over threads. */
    private static final int BLOCK = 4096;

    private static int blocksOf(int size) {
        return (size + BLOCK - 1) / BLOCK;
    }

    private void checkImages(int n) {
        if (n < 1 || n > maxImages) {
            throw new IllegalArgumentException("self-attention pass over " + n + " images; the layer holds 1 to "
                    + maxImages);
        }
    }

    private static void checkLength(String what, float[] a, int needed) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException("self-attention " + what + " needs at least " + needed
                    + " values ([channel][image][row][col]), got " + (a == null ? "none" : a.length));
        }
    }

    /** Writes the (normalised) projection weights side by side into {@code [C][f | g | h]} and the biases in a row. */
    private void stackWeights() {
        float[] w = weights.heap();
        int[] widths = {ck, ck, c};
        int offset = 0;
        for (int p = 0; p < 3; p++) {
            float[] raw = params[2 * p];
            float[] used = raw;
            if (spectral != null) {
                spectral[p].forward(raw, effective[p]);
                used = effective[p];
            }
            int width = widths[p];
            for (int row = 0; row < c; row++) {
                System.arraycopy(used, row * width, w, row * r + offset, width);
            }
            System.arraycopy(params[2 * p + 1], 0, biases, offset, width);
            offset += width;
        }
        weights.push(r);
    }

    /** Splits the stacked weight gradient into the three parameters' gradients (through the normalisation). */
    private void unstackWeightGrads() {
        float[] g = weightGrad.heap();
        int[] widths = {ck, ck, c};
        int offset = 0;
        for (int p = 0; p < 3; p++) {
            int width = widths[p];
            float[] target = grads[2 * p];
            for (int row = 0; row < c; row++) {
                System.arraycopy(g, row * r + offset, target, row * width, width);
            }
            if (spectral != null) {
                spectral[p].backward(params[2 * p], target, target);
            }
            offset += width;
        }
    }

    private void addBiases(float[] z, int cols) {
        ParallelRanges.run(r, cols, (from, to) -> {
            for (int row = from; row < to; row++) {
                float bias = biases[row];
                for (int i = row * cols, end = i + cols; i < end; i++) {
                    z[i] += bias;
                }
            }
        });
    }

    /**
     * {@code [rows][n][N]} to {@code [n][rows][N]}, times {@code scale}.
     */
    private void toImageMajor(float[] src, int rows, int n, float scale, float[] dst) {
        int p = positions;
        ParallelRanges.run(rows, (long) n * p, (from, to) -> {
            for (int row = from; row < to; row++) {
                for (int b = 0; b < n; b++) {
                    int s = (row * n + b) * p;
                    int d = (b * rows + row) * p;
                    if (scale == 1f) {
                        System.arraycopy(src, s, dst, d, p);
                    } else {
                        for (int i = 0; i < p; i++) {
                            dst[d + i] = src[s + i] * scale;
                        }
                    }
                }
            }
        });
    }

    /** {@code [n][rows][N]} to {@code [rows][n][N]}. */
    private void toChannelMajor(float[] src, int rows, int n, float[] dst) {
        int p = positions;
        ParallelRanges.run(rows, (long) n * p, (from, to) -> {
            for (int row = from; row < to; row++) {
                for (int b = 0; b < n; b++) {
                    System.arraycopy(src, (b * rows + row) * p, dst, (row * n + b) * p, p);
                }
            }
        });
    }

    /**
     * Softmax of each of {@code rows} rows of {@code N} values, in place (max-shifted, as ND4J's). Each row is copied
     * to a row buffer first so that {@link FastExp#expShifted} and the loops here run over arrays from index 0, which
     * the JIT vectorises; the sum runs in four double accumulators so that consecutive additions do not wait for each
     * other.
     */
    private void softmaxRows(float[] s, int rows) {
        int p = positions;
        ParallelRanges.run(rows, p, (from, to) -> {
            float[] row = new float[p];
            float[] scratch = new float[p];
            for (int r = from; r < to; r++) {
                softmaxRow(s, r * p, p, row, scratch);
            }
        });
    }

    private static void softmaxRow(float[] s, int start, int p, float[] row, float[] scratch) {
        System.arraycopy(s, start, row, 0, p);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p; i++) {
            max = Math.max(max, row[i]);
        }
        FastExp.expShifted(row, p, max, scratch);
        float inverse = (float) (1.0 / FloatSums.sum(row, 0, p));
        for (int k = 0; k < p; k++) {
            s[start + k] = row[k] * inverse;
        }
    }

    /**
     * The softmax's backward pass per row: {@code ds_i = beta_i (dbeta_i - sum_k beta_k dbeta_k)}, in place; the dot
     * product in four double accumulators, the rest in float (vectorisable).
     */
    private void softmaxBackward(float[] betaValues, float[] g, int rows) {
        int p = positions;
        ParallelRanges.run(rows, p, (from, to) -> {
            for (int row = from; row < to; row++) {
                softmaxBackwardRow(betaValues, g, row * p, p);
            }
        });
    }

    private static void softmaxBackwardRow(float[] betaValues, float[] g, int start, int p) {
        int end = start + p;
        double dot0 = 0;
        double dot1 = 0;
        double dot2 = 0;
        double dot3 = 0;
        int i = start;
        for (int quad = start + (p & ~3); i < quad; i += 4) {
            dot0 += betaValues[i] * g[i];
            dot1 += betaValues[i + 1] * g[i + 1];
            dot2 += betaValues[i + 2] * g[i + 2];
            dot3 += betaValues[i + 3] * g[i + 3];
        }
        for (; i < end; i++) {
            dot0 += betaValues[i] * g[i];
        }
        float dot = (float) ((dot0 + dot1) + (dot2 + dot3));
        for (int k = start; k < end; k++) {
            g[k] = betaValues[k] * (g[k] - dot);
        }
    }

    /** {@code sum(dL/dout * o)}: per channel in parallel, the channels' sums added in order (thread-independent). */
    private float gammaGradient(float[] outputGrad, int cols) {
        double[] partial = new double[c];
        ParallelRanges.run(c, cols, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int i = ch * cols, end = i + cols; i < end; i++) {
                    s += (double) outputGrad[i] * attended[i];
                }
                partial[ch] = s;
            }
        });
        double sum = 0;
        for (double s : partial) {
            sum += s;
        }
        return (float) sum;
    }

    @Override
    public void close() {
        NativeMatrix.closeAll(input, weights, projected, weightGrad, projectedGrad, inputGrad);
        if (nativeSoftmax != null) {
            nativeSoftmax.close();
        }
        for (ImageBlocks b : new ImageBlocks[] {blocks, beta, attendedBlocks, attendedGrad, betaGrad, blockGrad}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
