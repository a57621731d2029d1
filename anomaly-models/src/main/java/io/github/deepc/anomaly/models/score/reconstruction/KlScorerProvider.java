package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/** Provides {@link KlScorer} as scorer {@code kl}. It has no parameters. */
public final class KlScorerProvider implements ScorerProvider {
    @Override
    public String id() {
        return "kl";
    }

    @Override
    public String description() {
        return "KL divergence of a VAE's posterior from its prior; no heat map.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.KL_DIVERGENCE);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new KlScorer();
    }
}
