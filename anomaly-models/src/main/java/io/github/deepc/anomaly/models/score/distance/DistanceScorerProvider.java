package io.github.deepc.anomaly.models.score.distance;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/** Provides {@link DistanceScorer} as scorer {@code distance}: the model's DISTANCE output as the score. */
public final class DistanceScorerProvider implements ScorerProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DistanceScorerProvider() {
    }

    @Override
    public String id() {
        return DistanceScorer.ID;
    }

    @Override
    public String description() {
        return "The model's feature-space distance (e.g. Deep SVDD's squared distance to the centre) as the score.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.DISTANCE);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new DistanceScorer();
    }
}
