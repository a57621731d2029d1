package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One side of a GAN: a long-lived SameDiff graph in which this player's weights are the only trainable variables,
 * with its own Adam. The graph's loss is this player's loss; the other player's weights enter it as placeholders
 * (see {@link ParamScope#foreign}), so a {@link #step} can only move this player's weights.
 *
 * <p>A step computes the gradients and the requested outputs in one pass
 * ({@code SameDiff.calculateGradientsAndOutputs}) and applies ND4J's Adam updater to each weight in place, exactly as
 * {@code SameDiff.fit} does internally, with {@code beta1 = 0.5, beta2 = 0.999} (Radford et al. 2016). Gradient
 * arrays are closed right after use, and every intermediate of a call is freed when it returns
 * ({@link SessionArena}), so that native memory stays flat over many steps.
 */
final class Player implements AutoCloseable {
    /** Adam's beta1 for GANs. */
    static final double BETA1 = 0.5;
    /** Adam's beta2. */
    static final double BETA2 = 0.999;
    /** Adam's epsilon. */
    static final double EPSILON = 1e-8;

    private final String role;
    private final SameDiff graph;
    private final List<String> owned;
    private final List<String> foreign;
    private final Set<String> spectral;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    private final List<INDArray> updaterState = new ArrayList<>();
    private int iteration;

    /**
     * @param role         "discriminator" or "generator", for messages
     * @param graph        the graph, with its loss variable set
     * @param own          this player's parameters in {@code graph}
     * @param other        the other player's parameters in {@code graph}, or {@code null} when it uses none
     * @param learningRate Adam learning rate
     */
    Player(String role, SameDiff graph, ParamScope own, ParamScope other, double learningRate) {
        this.role = Objects.requireNonNull(role, "role");
        this.graph = Objects.requireNonNull(graph, "graph");
        if (!own.isOwned() || (other != null && other.isOwned()) || own.graph() != graph
                || (other != null && other.graph() != graph)) {
            throw new IllegalArgumentException(role + ": scopes must be this graph's owned and foreign parameters");
        }
        this.owned = own.names();
        this.foreign = other == null ? List.of() : other.names();
        Set<String> sn = new LinkedHashSet<>(own.spectralShapes().keySet());
        if (other != null) {
            sn.addAll(other.spectralShapes().keySet());
        }
        this.spectral = Collections.unmodifiableSet(sn);
        GraphSupport.createQuietGradients(graph);
        Adam adam = new Adam(learningRate, BETA1, BETA2, EPSILON);
        for (String name : owned) {
            INDArray arr = graph.getVariable(name).getArr();
            INDArray view = Nd4j.zeros(arr.dataType(), 1, adam.stateSize(arr.length()));
            GradientUpdater<?> u = adam.instantiate(view, false);
            u.setStateViewArray(view, arr.shape(), arr.ordering(), true);
            updaters.put(name, u);
            updaterState.add(view);
        }
    }

    /**
     * One update of this player's weights.
     *
     * @param feeds   placeholder values (data, the other player's weights, spectral-norm vectors)
     * @param outputs graph variables to return, computed in the same pass
     * @return the outputs (computed before the update), owned by the caller
     */
    Map<String, INDArray> step(Map<String, INDArray> feeds, String... outputs) {
        Collection<SessionArena> arenas = SessionArena.install(graph);
        OutAndGrad og;
        try {
            og = graph.calculateGradientsAndOutputs(feeds, List.of(outputs), owned);
        } catch (RuntimeException | Error e) {
            SessionArena.end(arenas);
            throw e;
        }
        Map<String, INDArray> grads = og.getGradients();
        SessionArena.end(arenas, og.getOutputs(), grads);
        boolean updated = false;
        try {
            for (String name : owned) {
                INDArray g = grads.get(name);
                if (g == null) {
                    throw new IllegalStateException(role + " parameter " + name + " got no gradient: it does not reach the loss");
                }
                updaters.get(name).applyUpdater(g, iteration, 0);
                graph.getVariable(name).getArr().subi(g);
            }
            updated = true;
        } finally {
            GraphMemory.closeAll(grads);
            if (!updated) {
                GraphMemory.closeAll(og.getOutputs());
            }
        }
        iteration++;
        return og.getOutputs();
    }

    /**
     * Runs the graph forward.
     *
     * @param feeds   placeholder values needed by the outputs
     * @param outputs graph variables to compute
     * @return the outputs, owned by the caller
     */
    Map<String, INDArray> output(Map<String, INDArray> feeds, String... outputs) {
        Collection<SessionArena> arenas = SessionArena.install(graph);
        Map<String, INDArray> out = null;
        try {
            out = graph.output(feeds, outputs);
            return out;
        } finally {
            SessionArena.end(arenas, out);
        }
    }

    /**
     * Runs the graph forward for one output and copies it out, freeing the native array.
     *
     * @param feeds  placeholder values needed by the output
     * @param output graph variable to compute
     * @return its values, row-major
     */
    float[] values(Map<String, INDArray> feeds, String output) {
        Map<String, INDArray> out = output(feeds, output);
        try {
            return GraphSupport.toFloats(out.get(output));
        } finally {
            GraphMemory.closeAll(out);
        }
    }

    /** @return this player's live weight arrays by name, in declaration order (do not close them) */
    Map<String, INDArray> parameters() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : owned) {
            m.put(name, graph.getVariable(name).getArr());
        }
        return m;
    }

    /** @return the other player's parameters this graph needs as placeholders */
    List<String> foreignNames() {
        return foreign;
    }

    /** @return the spectrally normalised weights this graph uses */
    Set<String> spectralNames() {
        return spectral;
    }

    /** @return updates applied so far */
    int iterations() {
        return iteration;
    }

    /** @return Adam's state (moments) of each owned weight, live arrays in the weights' order, for checkpoints */
    List<INDArray> updaterState() {
        return updaterState;
    }

    /**
     * Sets the update count when training resumes from a checkpoint (with {@link #updaterState()} refilled).
     *
     * @param iterations updates applied, at least 0
     */
    void resumeIterations(int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException(role + ": update count must be at least 0, got " + iterations);
        }
        this.iteration = iterations;
    }

    /** @return the graph (for tests) */
    SameDiff graph() {
        return graph;
    }

    @Override
    public void close() {
        updaterState.forEach(GraphMemory::closeQuietly);
        GraphSupport.release(graph);
    }

    @Override
    public String toString() {
        return "Player[" + role + ", " + owned.size() + " parameters, " + iteration + " updates]";
    }
}
