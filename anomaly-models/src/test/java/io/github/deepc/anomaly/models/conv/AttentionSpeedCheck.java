package io.github.deepc.anomaly.models.conv;

import io.github.deepc.anomaly.models.gan.AttentionReference;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Quick timing of the self-attention layer (not a test): forward and forward+backward passes of
 * {@link SelfAttentionLayer} against the SameDiff graph of {@code gan.SelfAttention.apply} (forward: {@code output};
 * forward+backward: {@code calculateGradients} of all parameters and the input, which runs its own forward pass), on
 * the same random values, default {@code [64, 32, 16, 16]}, after warm-up rounds; prints the median milliseconds per
 * pass of each and the largest output difference. Run with the test class path (see {@code OneClassSpeedCheck}), e.g.
 * {@code OMP_NUM_THREADS=2 java -cp <test classpath> io.github.deepc.anomaly.models.conv.AttentionSpeedCheck
 * [images] [channels] [side] [rounds] [spectral]}.
 */
public final class AttentionSpeedCheck {
    private AttentionSpeedCheck() {
    }

    /**
     * @param args optional: images (64), channels (32), map side (16), timed rounds (10), {@code spectral} to normalise
     *             the projections
     */
    public static void main(String[] args) {
        // as the CLI does: the engine's workers start before ND4J loads
        ParallelRanges.prestart();
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int c = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int side = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        boolean spectral = args.length > 4 && args[4].equals("spectral");
        SplittableRandom rng = new SplittableRandom(1);
        float[][] params = SelfAttentionLayerTest.parameters(c, rng, 0.5f);
        float[] x = SelfAttentionLayerTest.random(c * n * side * side, rng, 1f);
        float[] r = SelfAttentionLayerTest.random(x.length, rng, 1f);
        SpectralNormLayer[] sn = spectral ? SelfAttentionLayer.spectralNorms(c, rng) : null;
        float[][][] vectors = null;
        if (sn != null) {
            vectors = new float[3][][];
            for (int p = 0; p < 3; p++) {
                sn[p].iterate(params[2 * p]);
                vectors[p] = new float[][] {sn[p].u(), sn[p].v()};
            }
        }
        try (SelfAttentionLayer layer = new SelfAttentionLayer(c, side, side, n, true, params, sn);
             AttentionReference.Graph graph = AttentionReference.selfAttention(c, side, side, n, spectral)) {
            AttentionReference.Result want = graph.evaluate(params, vectors, x, r);
            float[] dx = new float[x.length];
            float[] out = layer.forward(x, n);
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(out[i] - want.output()[i]));
            }
            double engineForward = median(rounds, () -> layer.forward(x, n));
            double engineStep = median(rounds, () -> {
                layer.forward(x, n);
                layer.backward(r, n, dx);
            });
            double graphForward = median(rounds, graph::forwardAgain);
            double graphStep = median(rounds, graph::gradientsAgain);
            System.out.printf(Locale.ROOT, "self-attention [%d, %d, %d, %d]%s: engine forward %.1f ms, forward+backward"
                    + " %.1f ms; SameDiff forward %.1f ms, forward+backward %.1f ms; speed-up %.2fx / %.2fx; largest"
                    + " output difference %.2e; engine threads %d, OMP_NUM_THREADS=%s, OMP_PROC_BIND=%s, %.2f MB per"
                    + " image in the trainable layer%n", n, c, side, side, spectral ? " spectral" : "", engineForward,
                    engineStep, graphForward, graphStep, graphForward / engineForward, graphStep / engineStep, worst,
                    ParallelRanges.threads(), System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_PROC_BIND"),
                    SelfAttentionLayer.floatsPerImage(c, side, side, true) * 4 / 1e6);
        }
    }

    /** Median milliseconds of {@code rounds} runs after two warm-up runs. */
    private static double median(int rounds, Runnable work) {
        work.run();
        work.run();
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
