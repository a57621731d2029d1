package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.DirectCritic;
import io.github.deepc.anomaly.models.conv.DirectGenerator;
import io.github.deepc.anomaly.models.conv.DirectMlp;
import io.github.deepc.anomaly.models.conv.SpectralNormLayer;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two players of a GAN on the direct engine: the discriminator (image or joint) with, for alpha-gan, the code
 * discriminator, and the generator with, for bigan and alpha-gan, the encoder, all computing on one
 * {@link ParameterStore} (the discriminator side's tensors first, then the generator side's, each in the order its
 * SameDiff graph declares them: the saved state's order). Each network has its own Adam
 * ({@code beta1 = 0.5}), so a player's update moves only its own networks: during the generator's step the
 * discriminator back-propagates into its input but is not updated (the SameDiff players' "other player fixed").
 *
 * <p>With self-attention (alpha-gan), G, E and D have it (as {@code Networks}); with spectral normalisation, D's and
 * C's weights are normalised, their vectors drawn from the initialisation randomness after all weights (as
 * {@code GanModel.build} draws them) and saved after the weights as {@code <weight>_sn_u} / {@code _sn_v}.
 *
 * <p>Holds native memory until {@link #close()}. Not thread-safe.
 */
final class DirectPlayers implements AutoCloseable {
    /** Which GAN's networks. */
    enum Kind {
        /** Image discriminator and generator. */
        DCGAN,
        /** Joint discriminator on (image, code), generator and encoder. */
        BIGAN,
        /** Image and code discriminators, encoder and generator (with or without attention and spectral norm). */
        ALPHA_GAN;

        /** @return the model id, e.g. {@code alpha-gan} */
        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    /** Images per training batch, or per inference pass. */
    private final int imagesPerPass;
    private final GanConfig config;
    private final GanArchitecture architecture;
    private final ParameterStore store = new ParameterStore();
    private final List<GanParameters.Tensor> tensors = new ArrayList<>();
    private final DirectCritic discriminator;
    private final DirectGenerator generator;
    private final DirectCritic encoder;
    private final DirectMlp codeDiscriminator;
    private final double discriminatorRate;
    private final double generatorRate;
    /** The spectral normalisations of D then C with their weights' names, in the saved state's order. */
    private final Map<String, SpectralNormLayer> spectral = new LinkedHashMap<>();

    /**
     * @param kind        which GAN
     * @param a           architecture
     * @param config      hyper-parameters (learning rates, batch size)
     * @param init        initialisation randomness, or {@code null} for zeros (a saved state follows)
     * @param trainable   whether the networks train (otherwise they only infer, {@link GanConfig#inferenceBatch()}
     *                    images per pass)
     */
    DirectPlayers(Kind kind, GanArchitecture a, GanConfig config, SplittableRandom init, boolean trainable) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.config = Objects.requireNonNull(config, "config");
        this.architecture = Objects.requireNonNull(a, "a");
        boolean joint = kind == Kind.BIGAN;
        boolean alpha = kind == Kind.ALPHA_GAN;
        List<GanParameters.Tensor> d = joint ? GanParameters.jointDiscriminator(a)
                : GanParameters.imageDiscriminator(a);
        List<GanParameters.Tensor> cd = alpha ? GanParameters.codeDiscriminator(a) : List.of();
        List<GanParameters.Tensor> g = GanParameters.generator(a);
        List<GanParameters.Tensor> e = kind == Kind.DCGAN ? List.of() : GanParameters.encoder(a);
        // the order the SameDiff players draw them: the discriminator graph's, then the generator graph's (bigan
        // declares G before E, alpha-gan E before G)
        List<List<GanParameters.Tensor>> order = alpha ? List.of(d, cd, e, g) : List.of(d, g, e);
        for (List<GanParameters.Tensor> part : order) {
            GanParameters.add(store, part, init);
            tensors.addAll(part);
        }
        int h = a.height();
        int w = a.width();
        int batch = trainable ? config.batchSize() : InferenceBatch.imagesPerPass(kind.id(), config.inferenceBatch(),
                inferenceBytesPerImage(kind, a), w, h);
        // training passes stack groups of images along the batch (D: real and generated, alpha-gan's x, G(E(x)) and
        // G(z); alpha-gan's G: E(x) and z; C: z and E(x)); an inference pass computes one group
        int group = trainable ? batch : 0;
        int c = a.channels();
        Activation out = a.range() == PixelRange.UNIT ? Activation.SIGMOID : Activation.TANH;
        DirectCritic dis = null;
        DirectGenerator gen = null;
        DirectCritic enc = null;
        DirectMlp code = null;
        try {
            // the discriminator sees the real and the generated groups in one pass (alpha-gan: x, G(E(x)), G(z));
            // alpha-gan's generator decodes E(x) and z in one pass
            // spectral-norm vectors come after every weight from the same randomness, D's before C's
            boolean att = a.attention();
            boolean sn = a.spectralNorm();
            dis = joint
                    ? new DirectCritic(c, h, w, a.latent(), (int) a.topChannels(), 1, batch + group, trainable, att,
                            sn, init, GanParameters.arrays(store, d))
                    : new DirectCritic(c, h, w, 0, 0, 1, batch + (alpha ? 2 : 1) * group, trainable, att, sn, init,
                            GanParameters.arrays(store, d));
            gen = new DirectGenerator(a.latent(), c, h, w, out,
                    trainable ? Math.max((alpha ? 2 : 1) * batch, GanModel.SAMPLES) : batch, trainable, att,
                    GanParameters.arrays(store, g));
            if (!e.isEmpty()) {
                enc = new DirectCritic(c, h, w, 0, 0, a.latent(), batch, trainable, att, false, null,
                        GanParameters.arrays(store, e));
            }
            if (alpha) {
                int top = (int) a.topChannels();
                code = new DirectMlp(new int[] {a.latent(), top, top, 1}, batch + group, trainable, sn, init,
                        GanParameters.arrays(store, cd));
            }
            if (sn) {
                name(GanParameters.weightNames(d), dis.spectralNorms());
                if (code != null) {
                    name(GanParameters.weightNames(cd), code.spectralNorms());
                }
            }
        } catch (RuntimeException ex) {
            closeAll(dis, gen, enc, code);
            throw ex;
        }
        this.discriminator = dis;
        this.generator = gen;
        this.encoder = enc;
        this.codeDiscriminator = code;
        this.imagesPerPass = batch;
        this.discriminatorRate = config.discriminatorLearningRate();
        this.generatorRate = config.generatorLearningRate();
    }

    private void name(List<String> names, List<SpectralNormLayer> norms) {
        if (names.size() != norms.size()) {
            throw new IllegalStateException(names.size() + " normalised weights " + names + " but " + norms.size()
                    + " spectral normalisations");
        }
        for (int i = 0; i < names.size(); i++) {
            spectral.put(names.get(i), norms.get(i));
        }
    }

    /**
     * @return inference-only players with a copy of these weights ({@link GanConfig#inferenceBatch()} images per pass:
     *         by default one, a fraction of the training networks' working memory); the caller owns both
     */
    DirectPlayers forInference() {
        DirectPlayers p = new DirectPlayers(kind, architecture, config, null, false);
        try {
            p.store.restore(store.snapshot());
            for (Map.Entry<String, SpectralNormLayer> e : spectral.entrySet()) {
                p.spectral.get(e.getKey()).setVectors(e.getValue().u(), e.getValue().v());
            }
            p.parametersChanged();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * @return images per inference pass ({@link GanConfig#inferenceBatch()}, fewer where they would not fit the heap:
     *         {@link InferenceBatch#imagesPerPass}), or per training batch
     */
    int imagesPerPass() {
        return imagesPerPass;
    }

    /**
     * About the Java heap one image takes in the inference networks' working matrices (the same again natively): the
     * convolutions' columns and outputs of D (or D's trunk), E and G, and their self-attention.
     */
    static long inferenceBytesPerImage(Kind kind, GanArchitecture a) {
        int critics = kind == Kind.DCGAN ? 1 : 2;
        return Float.BYTES * (critics * DirectCritic.floatsPerImage(a.channels(), a.height(), a.width(), a.attention())
                + DirectGenerator.floatsPerImage(a.channels(), a.height(), a.width(), a.attention()));
    }

    /** @return the discriminator (image or joint) */
    DirectCritic discriminator() {
        return discriminator;
    }

    /** @return the generator */
    DirectGenerator generator() {
        return generator;
    }

    /** @return the encoder, or {@code null} for a DCGAN */
    DirectCritic encoder() {
        return encoder;
    }

    /** @return alpha-gan's code discriminator, or {@code null} */
    DirectMlp codeDiscriminator() {
        return codeDiscriminator;
    }

    /** @return the architecture */
    GanArchitecture architecture() {
        return architecture;
    }

    /** @return the parameters, in the engine's layouts */
    ParameterStore store() {
        return store;
    }

    /**
     * One power iteration of every spectral normalisation (D's and C's), once per discriminator step before its
     * forward passes, as the SameDiff players do; nothing without spectral normalisation.
     */
    void iterateSpectralNorms() {
        discriminator.iterateSpectralNorms();
        if (codeDiscriminator != null) {
            codeDiscriminator.iterateSpectralNorms();
        }
    }

    /** @return the spectral normalisations by weight name, in the saved state's order (live) */
    Map<String, SpectralNormLayer> spectralNorms() {
        return java.util.Collections.unmodifiableMap(spectral);
    }

    /** One Adam step of the discriminator(s) with the gradients of their latest backward passes. */
    void updateDiscriminator() {
        discriminator.update(discriminatorRate);
        if (codeDiscriminator != null) {
            codeDiscriminator.update(discriminatorRate);
        }
    }

    /** One Adam step of the generator (and the encoder) with the gradients of their latest backward passes. */
    void updateGenerator() {
        generator.update(generatorRate);
        if (encoder != null) {
            encoder.update(generatorRate);
        }
    }

    /**
     * @return every tensor in the graph's layout and shape, by name, in the saved state's order (new arrays, owned
     *         by the caller)
     */
    Map<String, INDArray> stateArrays() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (GanParameters.Tensor t : tensors) {
            m.put(t.name(), Nd4j.create(GanParameters.toGraph(t, store.values(t.name())), t.shape(), 'c'));
        }
        for (Map.Entry<String, SpectralNormLayer> e : spectral.entrySet()) {
            SpectralNormLayer s = e.getValue();
            m.put(e.getKey() + SpectralNorm.U, Nd4j.create(s.u().clone(), new long[] {s.cols(), 1}, 'c'));
            m.put(e.getKey() + SpectralNorm.V, Nd4j.create(s.v().clone(), new long[] {s.rows(), 1}, 'c'));
        }
        return m;
    }

    /**
     * Reads a saved state's arrays (graph layout) into the store.
     *
     * @param r the state, positioned at its arrays
     * @throws IOException when the arrays do not match
     */
    void readState(GanStateFormat.Reader r) throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (GanParameters.Tensor t : tensors) {
            m.put(t.name(), Nd4j.zeros(DataType.FLOAT, t.shape()));
        }
        for (Map.Entry<String, SpectralNormLayer> e : spectral.entrySet()) {
            m.put(e.getKey() + SpectralNorm.U, Nd4j.zeros(DataType.FLOAT, e.getValue().cols(), 1));
            m.put(e.getKey() + SpectralNorm.V, Nd4j.zeros(DataType.FLOAT, e.getValue().rows(), 1));
        }
        try {
            r.readArrays(m);
            for (GanParameters.Tensor t : tensors) {
                GanParameters.fromGraph(t, m.get(t.name()).data().asFloat(), store.values(t.name()));
            }
            for (Map.Entry<String, SpectralNormLayer> e : spectral.entrySet()) {
                e.getValue().setVectors(m.get(e.getKey() + SpectralNorm.U).data().asFloat(),
                        m.get(e.getKey() + SpectralNorm.V).data().asFloat());
            }
        } finally {
            GraphMemory.closeAll(m);
        }
        parametersChanged();
    }

    /** Re-reads the store after it was changed from outside. */
    void parametersChanged() {
        discriminator.parametersChanged();
        generator.parametersChanged();
        if (encoder != null) {
            encoder.parametersChanged();
        }
        if (codeDiscriminator != null) {
            codeDiscriminator.parametersChanged();
        }
    }

    /**
     * Writes the training state a checkpoint needs after the progress: both players' update counts, the store,
     * every network's Adam moments and, with spectral normalisation, its vectors.
     *
     * @param out where to write
     * @throws IOException when writing fails
     */
    void writeCheckpoint(DataOutputStream out) throws IOException {
        out.writeInt(discriminator.optimizer().step());
        out.writeInt(generator.optimizer().step());
        store.write(out);
        List<float[]> moments = moments();
        out.writeInt(moments.size());
        for (float[] m : moments) {
            StateFormat.writeFloats(out, m);
        }
        for (SpectralNormLayer s : spectral.values()) {
            StateFormat.writeFloats(out, s.u());
            StateFormat.writeFloats(out, s.v());
        }
    }

    /**
     * Reads what {@link #writeCheckpoint} wrote into the live arrays.
     *
     * @param in where to read
     * @throws IOException when a count or length does not match
     */
    void readCheckpoint(DataInputStream in) throws IOException {
        int dSteps = in.readInt();
        int gSteps = in.readInt();
        store.read(in, "checkpoint");
        List<float[]> moments = moments();
        int count = in.readInt();
        if (count != moments.size() || dSteps < 0 || gSteps < 0) {
            throw new IOException("corrupt checkpoint: " + count + " optimiser arrays and update counts " + dSteps
                    + "/" + gSteps + ", expected " + moments.size() + " arrays");
        }
        for (float[] m : moments) {
            System.arraycopy(StateFormat.readFloats(in, m.length, "optimiser moments", "checkpoint"), 0, m, 0,
                    m.length);
        }
        for (SpectralNormLayer s : spectral.values()) {
            s.setVectors(StateFormat.readFloats(in, s.cols(), "spectral-norm vector u", "checkpoint"),
                    StateFormat.readFloats(in, s.rows(), "spectral-norm vector v", "checkpoint"));
        }
        discriminator.optimizer().resume(dSteps);
        if (codeDiscriminator != null) {
            codeDiscriminator.optimizer().resume(dSteps);
        }
        generator.optimizer().resume(gSteps);
        if (encoder != null) {
            encoder.optimizer().resume(gSteps);
        }
        parametersChanged();
    }

    private List<float[]> moments() {
        List<float[]> all = new ArrayList<>(discriminator.optimizer().moments());
        if (codeDiscriminator != null) {
            all.addAll(codeDiscriminator.optimizer().moments());
        }
        all.addAll(generator.optimizer().moments());
        if (encoder != null) {
            all.addAll(encoder.optimizer().moments());
        }
        return all;
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p != null) {
                try {
                    p.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(discriminator, generator, encoder, codeDiscriminator);
    }
}
