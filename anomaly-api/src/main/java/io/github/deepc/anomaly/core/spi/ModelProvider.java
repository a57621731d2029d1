package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.Optional;
import java.util.Set;

/** Service interface for {@link AnomalyModel} plugins. */
public interface ModelProvider extends PluginProvider<AnomalyModel> {
    /**
     * What the models of this provider produce, known before one is created, so that a scorer mismatch is
     * reported when a detector is configured rather than after training.
     *
     * @return the output kinds every created model supports
     */
    Set<OutputKind> outputs();

    /**
     * What a model made with these parameters needs of its input, checked when a detector is built.
     *
     * @param params the model's validated parameters
     * @return the requirements; {@link InputRequirements#ANY} by default
     */
    default InputRequirements inputRequirements(Parameters params) {
        return InputRequirements.ANY;
    }

    /**
     * The scorer that suits this model's outputs best, used when a detector names the model but no scorer and the
     * preset's scorer does not fit it.
     *
     * @return a scorer id, or empty to let the registry take the first scorer (by id) that fits
     */
    default Optional<String> defaultScorer() {
        return Optional.empty();
    }
}
