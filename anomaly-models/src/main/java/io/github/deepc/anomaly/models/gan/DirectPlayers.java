package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.DirectCritic;
import io.github.deepc.anomaly.models.conv.DirectGenerator;
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
 * The two players of {@code dcgan} or {@code bigan} on the direct engine: the discriminator (image or joint), the
 * generator and, for bigan, the encoder, all computing on one {@link ParameterStore} (discriminator tensors first,
 * then the generator's and the encoder's: the saved state's order). Each network has its own Adam
 * ({@code beta1 = 0.5}), so a player's update moves only its own networks: during the generator's step the
 * discriminator back-propagates into its input but is not updated (the SameDiff players' "other player fixed").
 *
 * <p>Holds native memory until {@link #close()}. Not thread-safe.
 */
final class DirectPlayers implements AutoCloseable {
    private final GanArchitecture architecture;
    private final ParameterStore store = new ParameterStore();
    private final List<GanParameters.Tensor> tensors = new ArrayList<>();
    private final DirectCritic discriminator;
    private final DirectGenerator generator;
    private final DirectCritic encoder;
    private final double discriminatorRate;
    private final double generatorRate;

    /**
     * @param withEncoder whether the model is a BiGAN (joint discriminator and an encoder) rather than a DCGAN
     * @param a           architecture, without attention and spectral norm
     * @param config      hyper-parameters (learning rates, batch size)
     * @param init        initialisation randomness, or {@code null} for zeros (a saved state follows)
     * @param trainable   whether the networks train (otherwise they only infer, one image per pass)
     */
    DirectPlayers(boolean withEncoder, GanArchitecture a, GanConfig config, SplittableRandom init, boolean trainable) {
        this.architecture = Objects.requireNonNull(a, "a");
        if (a.attention() || a.spectralNorm()) {
            throw new IllegalArgumentException("the direct engine has no self-attention or spectral norm yet; "
                    + "use engine=samediff");
        }
        List<GanParameters.Tensor> d = withEncoder ? GanParameters.jointDiscriminator(a)
                : GanParameters.imageDiscriminator(a);
        List<GanParameters.Tensor> g = GanParameters.generator(a);
        List<GanParameters.Tensor> e = withEncoder ? GanParameters.encoder(a) : List.of();
        // the SameDiff players draw the discriminator's weights first, then the generator's, then the encoder's
        GanParameters.add(store, d, init);
        GanParameters.add(store, g, init);
        GanParameters.add(store, e, init);
        tensors.addAll(d);
        tensors.addAll(g);
        tensors.addAll(e);
        int batch = trainable ? config.batchSize() : GanModel.INFER_BATCH;
        int h = a.height();
        int w = a.width();
        int c = a.channels();
        Activation out = a.range() == PixelRange.UNIT ? Activation.SIGMOID : Activation.TANH;
        DirectCritic dis = null;
        DirectGenerator gen = null;
        DirectCritic enc = null;
        try {
            // the discriminator sees the real and the generated group in one pass
            dis = withEncoder
                    ? new DirectCritic(c, h, w, a.latent(), (int) a.topChannels(), 1, 2 * batch, trainable,
                            GanParameters.arrays(store, d))
                    : new DirectCritic(c, h, w, 0, 0, 1, 2 * batch, trainable, GanParameters.arrays(store, d));
            gen = new DirectGenerator(a.latent(), c, h, w, out, Math.max(batch, GanModel.SAMPLES), trainable,
                    GanParameters.arrays(store, g));
            if (withEncoder) {
                enc = new DirectCritic(c, h, w, 0, 0, a.latent(), batch, trainable, GanParameters.arrays(store, e));
            }
        } catch (RuntimeException ex) {
            closeAll(dis, gen, enc);
            throw ex;
        }
        this.discriminator = dis;
        this.generator = gen;
        this.encoder = enc;
        this.discriminatorRate = config.discriminatorLearningRate();
        this.generatorRate = config.generatorLearningRate();
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

    /** @return the architecture */
    GanArchitecture architecture() {
        return architecture;
    }

    /** @return the parameters, in the engine's layouts */
    ParameterStore store() {
        return store;
    }

    /** One Adam step of the discriminator with the gradients of its latest backward pass. */
    void updateDiscriminator() {
        discriminator.update(discriminatorRate);
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
        try {
            r.readArrays(m);
            for (GanParameters.Tensor t : tensors) {
                GanParameters.fromGraph(t, m.get(t.name()).data().asFloat(), store.values(t.name()));
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
    }

    /**
     * Writes the training state a checkpoint needs after the progress: both players' update counts, the store, and
     * every network's Adam moments.
     *
     * @param out where to write
     * @throws IOException when writing fails
     */
    void writeCheckpoint(DataOutputStream out) throws IOException {
        out.writeInt(discriminator.optimizerStep());
        out.writeInt(generator.optimizerStep());
        store.write(out);
        List<float[]> moments = moments();
        out.writeInt(moments.size());
        for (float[] m : moments) {
            StateFormat.writeFloats(out, m);
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
        discriminator.resumeOptimizer(dSteps);
        generator.resumeOptimizer(gSteps);
        if (encoder != null) {
            encoder.resumeOptimizer(gSteps);
        }
        parametersChanged();
    }

    private List<float[]> moments() {
        List<float[]> all = new ArrayList<>(discriminator.optimizerMoments());
        all.addAll(generator.optimizerMoments());
        if (encoder != null) {
            all.addAll(encoder.optimizerMoments());
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
        closeAll(discriminator, generator, encoder);
    }
}
