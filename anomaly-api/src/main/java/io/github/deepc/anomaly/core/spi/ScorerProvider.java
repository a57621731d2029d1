package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import java.util.Set;

/** Service interface for {@link OutlierScorer} plugins. */
public interface ScorerProvider extends PluginProvider<OutlierScorer> {
    /** @return the model outputs the created scorers read; the model must provide all of them */
    Set<OutputKind> requiredOutputs();
}
