package io.github.deepc.anomaly.models.conv;

import java.util.List;

/**
 * The part of a network's optimiser that a per-epoch checkpoint saves and restores: its moment estimates and its step
 * count. Every direct-engine network hands out its own through {@code optimizer()} instead of repeating these
 * accessors.
 */
public interface OptimizerState {
    /** @return the moment estimates, live arrays to save and refill, in the network's parameter order */
    List<float[]> moments();

    /** @return updates taken so far (the bias correction's step count) */
    int step();

    /**
     * Sets the step count when training resumes from a checkpoint (with {@link #moments()} refilled).
     *
     * @param steps updates taken, at least 0
     */
    void resume(int steps);
}
