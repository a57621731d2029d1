package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
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
}
