package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.Objects;

/**
 * What a model gets besides the images when it is fitted.
 *
 * @param seed        seed for every stochastic step of training (initialisation, shuffling, noise)
 * @param listener    where progress goes
 * @param checkpoints where a model that trains in epochs saves per-epoch checkpoints and resumes from them
 */
public record TrainingContext(long seed, ProgressListener listener, Checkpointing checkpoints) {
    /** Requires a listener and checkpoints. */
    public TrainingContext {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /**
     * A context without checkpoints.
     *
     * @param seed     seed for every stochastic step of training
     * @param listener where progress goes
     */
    public TrainingContext(long seed, ProgressListener listener) {
        this(seed, listener, Checkpointing.NONE);
    }
}
