package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.conv.SelfAttentionLayer;
import io.github.deepc.anomaly.models.net.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parameters of the GAN networks as the direct engine holds them, one description for both engines: per tensor
 * its name (the SameDiff graph's), its kind, its shape in the graph and its initial spread. The graph keeps ND4J's
 * layouts (convolutions YXIO {@code [4][4][in][out]}, transposed convolutions {@code [4][4][out][in]}); the engine's
 * {@link ParameterStore} keeps PyTorch's ({@code [out][in][4][4]} and {@code [in][out][4][4]}), which its matrix
 * products read as they stand; dense weights ({@code [in][out]}) and biases are the same in both. {@link #toGraph}
 * and {@link #fromGraph} convert, for the saved state (whose format stays the graph's, so files load on either
 * engine) and for the SameDiff reference.
 *
 * <p>Initial values are drawn exactly as {@link ParamScope} draws them (in declaration order, each tensor row-major
 * in the graph's layout, {@code N(0, 0.02^2)} for weights, zeros for biases), so that a seed gives both engines the
 * same networks.
 */
final class GanParameters {
    private static final int K = 4;

    private GanParameters() {
    }

    /** How a tensor is laid out. */
    enum Kind {
        /** Convolution weights: graph {@code [k][k][in][out]}, engine {@code [out][in][k][k]}. */
        CONV,
        /** Transposed-convolution weights: graph {@code [k][k][out][in]}, engine {@code [in][out][k][k]}. */
        DECONV,
        /** Dense weights {@code [in][out]} or biases, the same in both. */
        PLAIN
    }

    /**
     * One tensor.
     *
     * @param name  its name, as in the graph and the saved state
     * @param kind  its layout kind
     * @param shape its shape in the graph
     * @param std   spread of its initial values (0 for zeros)
     */
    record Tensor(String name, Kind kind, long[] shape, double std) {
        /** @return its shape in the engine's store */
        int[] engineShape() {
            return switch (kind) {
                case CONV, DECONV -> new int[] {(int) shape[3], (int) shape[2], K, K};
                case PLAIN -> java.util.Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
            };
        }

        /** @return its value count */
        int size() {
            return Math.toIntExact(ParamScope.length(shape));
        }
    }

    /**
     * @param a architecture
     * @return the generator's tensors, in the order {@code Networks.generator} declares them
     */
    static List<Tensor> generator(GanArchitecture a) {
        long c = a.channels();
        List<Tensor> t = new ArrayList<>();
        dense(t, "g_fc", a.latent(), a.flatFeatures());
        long[] widths = {8 * c, 4 * c, 2 * c, c, 1};
        for (int i = 0; i < 4; i++) {
            t.add(new Tensor("g_up" + (i + 1) + "_w", Kind.DECONV, new long[] {K, K, widths[i + 1], widths[i]},
                    Layers.INIT_STD));
            t.add(new Tensor("g_up" + (i + 1) + "_b", Kind.PLAIN, new long[] {widths[i + 1]}, 0));
            if (i == 1 && a.attention()) {
                attention(t, "g_att", 2 * c);
            }
        }
        return t;
    }

    /**
     * @param a      architecture
     * @param prefix the network's letter ({@code d} or {@code e})
     * @return the convolutional trunk's tensors
     */
    private static List<Tensor> trunk(GanArchitecture a, String prefix) {
        long c = a.channels();
        long[] widths = {1, c, 2 * c, 4 * c, 8 * c};
        List<Tensor> t = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            t.add(new Tensor(prefix + "_conv" + (i + 1) + "_w", Kind.CONV, new long[] {K, K, widths[i], widths[i + 1]},
                    Layers.INIT_STD));
            t.add(new Tensor(prefix + "_conv" + (i + 1) + "_b", Kind.PLAIN, new long[] {widths[i + 1]}, 0));
            if (i == 1 && a.attention()) {
                attention(t, prefix + "_att", 2 * c);
            }
        }
        return t;
    }

    /**
     * @param a architecture
     * @return the image discriminator's tensors: trunk and one logit
     */
    static List<Tensor> imageDiscriminator(GanArchitecture a) {
        List<Tensor> t = trunk(a, "d");
        dense(t, "d_out", a.flatFeatures(), 1);
        return t;
    }

    /**
     * @param a architecture
     * @return the encoder's tensors: trunk and the latent vector
     */
    static List<Tensor> encoder(GanArchitecture a) {
        List<Tensor> t = trunk(a, "e");
        dense(t, "e_out", a.flatFeatures(), a.latent());
        return t;
    }

    /**
     * @param a architecture
     * @return BiGAN's joint discriminator's tensors: trunk, hidden layer on (features, code), logit
     */
    static List<Tensor> jointDiscriminator(GanArchitecture a) {
        List<Tensor> t = trunk(a, "d");
        dense(t, "d_joint", a.flatFeatures() + a.latent(), a.topChannels());
        dense(t, "d_out", a.topChannels(), 1);
        return t;
    }

    /**
     * @param a architecture
     * @return alpha-GAN's code discriminator's tensors: two hidden layers of {@code 8c} and a logit
     */
    static List<Tensor> codeDiscriminator(GanArchitecture a) {
        List<Tensor> t = new ArrayList<>();
        dense(t, "c_fc1", a.latent(), a.topChannels());
        dense(t, "c_fc2", a.topChannels(), a.topChannels());
        dense(t, "c_out", a.topChannels(), 1);
        return t;
    }

    /** The self-attention layer's tensors, as {@code SelfAttention.apply} declares them (weights drawn, the rest 0). */
    private static void attention(List<Tensor> t, String name, long channels) {
        int[][] shapes = SelfAttentionLayer.parameterShapes(Math.toIntExact(channels));
        List<String> suffixes = SelfAttentionLayer.PARAMETER_SUFFIXES;
        for (int i = 0; i < shapes.length; i++) {
            String suffix = suffixes.get(i);
            t.add(new Tensor(name + suffix, Kind.PLAIN, java.util.Arrays.stream(shapes[i]).asLongStream().toArray(),
                    suffix.endsWith("_w") ? Layers.INIT_STD : 0));
        }
    }

    /**
     * @param tensors a network's tensors
     * @return the names of its weights, in order: with spectral normalisation, the normalised ones (the graph's
     *         {@code spectralShapes()} order)
     */
    static List<String> weightNames(List<Tensor> tensors) {
        return tensors.stream().map(Tensor::name).filter(n -> n.endsWith("_w")).toList();
    }

    private static void dense(List<Tensor> t, String name, long in, long out) {
        t.add(new Tensor(name + "_w", Kind.PLAIN, new long[] {in, out}, Layers.INIT_STD));
        t.add(new Tensor(name + "_b", Kind.PLAIN, new long[] {out}, 0));
    }

    /**
     * Adds the tensors to a store, with initial values drawn from {@code init} (or zeros when it is {@code null}).
     *
     * @param store   the store
     * @param tensors the tensors, in declaration order
     * @param init    initialisation randomness, or {@code null}
     */
    static void add(ParameterStore store, List<Tensor> tensors, SplittableRandom init) {
        for (Tensor t : tensors) {
            store.add(t.name(), t.engineShape());
            if (init != null && t.std() > 0) {
                float[] graph = new float[t.size()];
                for (int i = 0; i < graph.length; i++) {
                    // as ParamScope: a double draw, scaled, then rounded to float
                    double v = init.nextGaussian() * t.std();
                    graph[i] = (float) v;
                }
                fromGraph(t, graph, store.values(t.name()));
            }
        }
    }

    /**
     * @param t      a tensor
     * @param engine its values in the engine's layout
     * @return its values in the graph's layout
     */
    static float[] toGraph(Tensor t, float[] engine) {
        float[] graph = new float[engine.length];
        permute(t, graph, engine, true);
        return graph;
    }

    /**
     * @param t      a tensor
     * @param graph  its values in the graph's layout
     * @param engine receives them in the engine's layout
     */
    static void fromGraph(Tensor t, float[] graph, float[] engine) {
        permute(t, graph, engine, false);
    }

    /** Graph {@code [k][k][A][B]} against engine {@code [B][A][k][k]} (A, B = in, out or out, in). */
    private static void permute(Tensor t, float[] graph, float[] engine, boolean toGraph) {
        if (t.kind() == Kind.PLAIN) {
            if (toGraph) {
                System.arraycopy(engine, 0, graph, 0, engine.length);
            } else {
                System.arraycopy(graph, 0, engine, 0, graph.length);
            }
            return;
        }
        int a = (int) t.shape()[2];
        int b = (int) t.shape()[3];
        for (int y = 0; y < K; y++) {
            for (int x = 0; x < K; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        int g = ((y * K + x) * a + i) * b + j;
                        int e = ((j * a + i) * K + y) * K + x;
                        if (toGraph) {
                            graph[g] = engine[e];
                        } else {
                            engine[e] = graph[g];
                        }
                    }
                }
            }
        }
    }

    /**
     * @param store   a store
     * @param tensors some of its tensors
     * @return their live arrays, in order
     */
    static float[][] arrays(ParameterStore store, List<Tensor> tensors) {
        float[][] out = new float[tensors.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = store.values(tensors.get(i).name());
        }
        return out;
    }
}
