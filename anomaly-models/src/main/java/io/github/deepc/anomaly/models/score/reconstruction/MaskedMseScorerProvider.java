package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/** Provides {@link MaskedMseScorer} as scorer {@code masked-mse}. */
public final class MaskedMseScorerProvider implements ScorerProvider {
    @Override
    public String id() {
        return "masked-mse";
    }

    @Override
    public String description() {
        return "Mean squared reconstruction error over valid pixels, with a per-pixel squared-error heat map.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.RECONSTRUCTION);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new MaskedMseScorer();
    }
}
