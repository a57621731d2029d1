package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Bottleneck;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The one, engine-neutral description of an autoencoder ({@code cae}, {@code bottleneck-cae}, {@code vae}): the
 * {@link ConvLayout}'s encoder and decoder as {@link Stage}s, the optional {@link Bottleneck} between them and the
 * per-pixel reconstruction error of the loss. Both backends compute from it: the direct engine
 * ({@link DirectBackend}, production) and SameDiff ({@link CaeGraph}, the reference the engine is tested against).
 *
 * <h2>Parameters and their layout</h2>
 * {@link #newStore} lays out the {@link ParameterStore} that holds the weights, in this order: per encoder stage
 * {@code enc<i>_w}, {@code enc<i>_b}; per dense layer of the bottleneck ({@code bottleneck, expand} or
 * {@code mu, logvar, expand}) {@code <name>_w}, {@code <name>_b}; per decoder stage {@code dec<i>_w},
 * {@code dec<i>_b}. Convolution weights use PyTorch's layouts, {@code [out][in][k][k]} for a convolution and
 * {@code [in][out][k][k]} for a transposed one (the left operands of the engine's matrix products, so it needs no
 * conversion); dense weights are {@code [in][out]} ({@code y = x W + b}, the layout of ND4J's {@code linear});
 * biases are {@code [out]}.
 *
 * @param layout         encoder and decoder
 * @param bottleneck     what sits between them, or {@code null} for nothing (the plain autoencoder)
 * @param reconstruction the per-pixel reconstruction error of the loss
 */
record AutoencoderSpec(ConvLayout layout, Bottleneck bottleneck, PixelLoss reconstruction) {
    /** Checks the combination. */
    AutoencoderSpec {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(reconstruction, "reconstruction");
        if (reconstruction == PixelLoss.BCE && layout.output() != Activation.SIGMOID) {
            throw new IllegalArgumentException("the bce reconstruction loss needs output-activation=sigmoid");
        }
    }

    /** @return the plain autoencoder of {@code layout} with a masked MSE */
    static AutoencoderSpec plain(ConvLayout layout) {
        return new AutoencoderSpec(layout, null, PixelLoss.MSE);
    }

    /** @return the autoencoder with a dense bottleneck of {@code latent} values and a masked MSE */
    static AutoencoderSpec dense(ConvLayout layout, int latent) {
        return new AutoencoderSpec(layout, new Bottleneck(false, latent, 0), PixelLoss.MSE);
    }

    /** @return the variational autoencoder */
    static AutoencoderSpec variational(ConvLayout layout, int latent, PixelLoss reconstruction, double beta) {
        return new AutoencoderSpec(layout, new Bottleneck(true, latent, beta), reconstruction);
    }

    /** @return the encoder stages, first to last (ReLU after each) */
    List<Stage> encoder() {
        List<Stage> out = new ArrayList<>();
        int in = 1;
        for (int i = 1; i <= layout.depth(); i++) {
            int c = layout.channels() << (i - 1);
            out.add(new Stage(false, in, c, layout.kernel(), Activation.RELU));
            in = c;
        }
        return out;
    }

    /** @return the decoder stages, first to last; the last one has the output activation */
    List<Stage> decoder() {
        List<Stage> out = new ArrayList<>();
        int d = layout.depth();
        for (int i = 1; i <= d; i++) {
            int in = layout.channels() << (d - i);
            boolean last = i == d;
            out.add(new Stage(true, in, last ? 1 : in / 2, layout.kernel(), last ? layout.output() : Activation.RELU));
        }
        return out;
    }

    /** @return encoder then decoder stages */
    List<Stage> stages() {
        List<Stage> all = new ArrayList<>(encoder());
        all.addAll(decoder());
        return all;
    }

    /** @return the name of stage {@code index} of {@link #stages()}: {@code enc1...} then {@code dec1...} */
    String stageName(int index) {
        int d = layout.depth();
        return index < d ? "enc" + (index + 1) : "dec" + (index - d + 1);
    }

    /** @return the names of the bottleneck's dense layers in {@link Bottleneck}'s order (empty without one) */
    List<String> denseNames() {
        if (bottleneck == null) {
            return List.of();
        }
        return bottleneck.variational() ? List.of("mu", "logvar", "expand") : List.of("bottleneck", "expand");
    }

    /** @return {@code [in, out]} of each dense layer of {@link #denseNames()} for inputs of this size */
    List<int[]> denseSizes(int height, int width) {
        int flat = Math.multiplyExact(layout.codeChannels(), (height / layout.stride()) * (width / layout.stride()));
        List<int[]> out = new ArrayList<>();
        for (String name : denseNames()) {
            out.add("expand".equals(name) ? new int[] {latent(), flat} : new int[] {flat, latent()});
        }
        return out;
    }

    /** @return the trainable tensors' names in store and serialisation order (see the class comment) */
    List<String> parameterNames(int height, int width) {
        return newStore(height, width).names();
    }

    /**
     * @param height input height (a multiple of the layout's stride)
     * @param width  input width (a multiple of the layout's stride)
     * @return a zero store laid out as the class comment says
     */
    ParameterStore newStore(int height, int width) {
        ParameterStore store = new ParameterStore();
        List<Stage> stages = stages();
        int d = layout.depth();
        for (int i = 0; i < d; i++) {
            addStage(store, stageName(i), stages.get(i));
        }
        List<String> dense = denseNames();
        List<int[]> sizes = denseSizes(height, width);
        for (int i = 0; i < dense.size(); i++) {
            store.add(dense.get(i) + "_w", sizes.get(i)[0], sizes.get(i)[1]);
            store.add(dense.get(i) + "_b", sizes.get(i)[1]);
        }
        for (int i = d; i < stages.size(); i++) {
            addStage(store, stageName(i), stages.get(i));
        }
        return store;
    }

    private static void addStage(ParameterStore store, String name, Stage s) {
        int k = s.kernel();
        store.add(name + "_w", s.transposed() ? new int[] {s.in(), s.out(), k, k} : new int[] {s.out(), s.in(), k, k});
        store.add(name + "_b", s.out());
    }

    /**
     * A freshly initialised store: PyTorch's default initialisation for weights and biases alike,
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (fan-in {@code in k^2} for a convolution, {@code out k^2} for a transposed
     * one, {@code in} for a dense layer), drawn per tensor in store order, each convolution weight in the row-major
     * order of ND4J's layout (so that the same seed gives the same network as the SameDiff graphs always have).
     *
     * @param height input height
     * @param width  input width
     * @param rng    the source of the draws
     * @return the store
     */
    ParameterStore initialStore(int height, int width, SplittableRandom rng) {
        Objects.requireNonNull(rng, "rng");
        ParameterStore store = newStore(height, width);
        List<Stage> stages = stages();
        int d = layout.depth();
        for (int i = 0; i < d; i++) {
            initialiseStage(store, i, stages.get(i), rng);
        }
        List<String> dense = denseNames();
        List<int[]> sizes = denseSizes(height, width);
        for (int i = 0; i < dense.size(); i++) {
            uniform(store.values(dense.get(i) + "_w"), sizes.get(i)[0], rng);
            uniform(store.values(dense.get(i) + "_b"), sizes.get(i)[0], rng);
        }
        for (int i = d; i < stages.size(); i++) {
            initialiseStage(store, i, stages.get(i), rng);
        }
        return store;
    }

    private void initialiseStage(ParameterStore store, int index, Stage s, SplittableRandom rng) {
        int fanIn = (s.transposed() ? s.out() : s.in()) * s.kernel() * s.kernel();
        float[] nd = new float[s.in() * s.out() * s.kernel() * s.kernel()];
        uniform(nd, fanIn, rng);
        String name = stageName(index);
        System.arraycopy(CaeGraph.toStoreLayout(nd, s), 0, store.values(name + "_w"), 0, nd.length);
        uniform(store.values(name + "_b"), fanIn, rng);
    }

    private static void uniform(float[] v, int fanIn, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * bound);
        }
    }

    /**
     * @param store a store laid out by {@link #newStore}
     * @return its arrays in the direct engine's order (per stage weights and biases, then per dense layer), shared
     */
    float[][] engineParameters(ParameterStore store) {
        List<float[]> out = new ArrayList<>();
        int stages = 2 * layout.depth();
        for (int i = 0; i < stages; i++) {
            out.add(store.values(stageName(i) + "_w"));
            out.add(store.values(stageName(i) + "_b"));
        }
        for (String name : denseNames()) {
            out.add(store.values(name + "_w"));
            out.add(store.values(name + "_b"));
        }
        return out.toArray(new float[0][]);
    }

    /** @return the number of trainable parameters for inputs of this size (the convolutions' do not depend on it) */
    long parameterCount(int height, int width) {
        return newStore(height, width).parameterCount();
    }

    /** @return whether the code is sampled from a Gaussian (the network then takes noise) */
    boolean variational() {
        return bottleneck != null && bottleneck.variational();
    }

    /** @return the code size, 0 without a bottleneck */
    int latent() {
        return bottleneck == null ? 0 : bottleneck.latent();
    }

    /** @return the weight of the KL divergence (0 unless variational) */
    double beta() {
        return bottleneck == null ? 0 : bottleneck.beta();
    }

    /** @return what fixes the trainable tensors and the outputs, e.g. {@code depth=4,...,latent=64} */
    String describe() {
        return layout.describe() + (bottleneck == null ? "" : ",latent=" + latent());
    }
}
