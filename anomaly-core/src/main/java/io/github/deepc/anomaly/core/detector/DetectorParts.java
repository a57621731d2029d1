package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.List;
import java.util.Objects;

/**
 * One detector's three components, as plugin specs.
 *
 * @param pipeline the preprocessing stages, in order
 * @param model    the model
 * @param scorer   the scorer
 */
public record DetectorParts(List<PluginSpec> pipeline, PluginSpec model, PluginSpec scorer) {
    /** Copies the stage list and checks that nothing is missing. */
    public DetectorParts {
        pipeline = List.copyOf(Objects.requireNonNull(pipeline, "pipeline"));
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
    }
}
