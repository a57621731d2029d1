package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.util.List;
import java.util.Objects;

/**
 * The complete, serialisable configuration of a detector: which stages, model and scorer with which parameters,
 * the master seed and the name of the normal class.
 *
 * @param pipeline    preprocessing stages, in order
 * @param model       the model
 * @param scorer      the scorer
 * @param seed        master seed of every stochastic step
 * @param normalClass name of the normal class folder the detector was trained on
 */
public record DetectorConfig(@JsonProperty("pipeline") List<PluginSpec> pipeline,
                             @JsonProperty("model") PluginSpec model,
                             @JsonProperty("scorer") PluginSpec scorer,
                             @JsonProperty("seed") long seed,
                             @JsonProperty("normalClass") String normalClass) {
    /** Validates and copies. */
    public DetectorConfig {
        pipeline = List.copyOf(pipeline);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
        normalClass = normalClass == null ? "NORMAL" : normalClass;
    }
}
