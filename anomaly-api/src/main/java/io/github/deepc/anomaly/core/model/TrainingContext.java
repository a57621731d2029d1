package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.Objects;

/**
 * What a model gets besides the images when it is fitted.
 *
 * @param seed     seed for every stochastic step of training (initialisation, shuffling, noise)
 * @param listener where progress goes
 */
public record TrainingContext(long seed, ProgressListener listener) {
    /** Requires a listener. */
    public TrainingContext {
        Objects.requireNonNull(listener, "listener");
    }
}
