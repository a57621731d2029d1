package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model gets besides the images when it is fitted: the run's context. It replaces parameters that every entry
 * point had to remember to inject (such as {@code exclude-root}).
 *
 * @param seed        seed for every stochastic step of training (initialisation, shuffling, noise)
 * @param listener    where progress goes
 * @param dataRoot    the root folder of the data being trained on and evaluated, or {@code null} when unknown (images
 *                    in memory): a model that reads other images (a reference set) must not read them from there
 * @param checkpoints where a model that trains in epochs saves per-epoch checkpoints and resumes from them
 */
public record TrainingContext(long seed, ProgressListener listener, Path dataRoot, Checkpointing checkpoints) {
    /** Requires a listener and checkpoints. */
    public TrainingContext {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /**
     * A context without a data root or checkpoints.
     *
     * @param seed     training seed
     * @param listener progress
     */
    public TrainingContext(long seed, ProgressListener listener) {
        this(seed, listener, null, Checkpointing.NONE);
    }

    /**
     * A context without checkpoints.
     *
     * @param seed     training seed
     * @param listener progress
     * @param dataRoot the data root, or {@code null}
     */
    public TrainingContext(long seed, ProgressListener listener, Path dataRoot) {
        this(seed, listener, dataRoot, Checkpointing.NONE);
    }

    /**
     * A context without a data root.
     *
     * @param seed        training seed
     * @param listener    progress
     * @param checkpoints per-epoch checkpoints
     */
    public TrainingContext(long seed, ProgressListener listener, Checkpointing checkpoints) {
        this(seed, listener, null, checkpoints);
    }

    /** @return the data root, when known */
    public Optional<Path> dataRootIfKnown() {
        return Optional.ofNullable(dataRoot);
    }
}
