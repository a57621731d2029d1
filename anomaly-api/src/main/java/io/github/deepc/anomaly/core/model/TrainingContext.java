package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model gets besides the images when it is fitted: the run's context. It replaces parameters that every entry
 * point had to remember to inject (such as {@code exclude-root}).
 *
 * @param seed     seed for every stochastic step of training (initialisation, shuffling, noise)
 * @param listener where progress goes
 * @param dataRoot the root folder of the data being trained on and evaluated, or {@code null} when unknown (images in
 *                 memory): a model that reads other images (a reference set) must not read them from there
 */
public record TrainingContext(long seed, ProgressListener listener, Path dataRoot) {
    /** Requires a listener. */
    public TrainingContext {
        Objects.requireNonNull(listener, "listener");
    }

    /**
     * A context without a data root.
     *
     * @param seed     training seed
     * @param listener progress
     */
    public TrainingContext(long seed, ProgressListener listener) {
        this(seed, listener, null);
    }

    /** @return the data root, when known */
    public Optional<Path> dataRootIfKnown() {
        return Optional.ofNullable(dataRoot);
    }
}
