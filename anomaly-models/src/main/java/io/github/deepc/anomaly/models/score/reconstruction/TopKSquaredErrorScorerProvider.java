package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link TopKSquaredErrorScorer} as scorer {@code top-k-se}. Parameters: {@code fraction} (share of the valid
 * pixels whose largest squared errors are averaged, default 0.01) and {@code k} (a fixed count instead; 0, the
 * default, uses the fraction).
 */
public final class TopKSquaredErrorScorerProvider implements ScorerProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofDouble("fraction", 0.01, 1e-6, 1.0,
                    "share of the valid pixels whose largest squared errors are averaged (rounded up, at least 1)"),
            ParameterSpec.ofInt("k", 0, 0, Integer.MAX_VALUE,
                    "fixed number of largest squared errors to average instead of the fraction; 0 uses the fraction"));

    @Override
    public String id() {
        return "top-k-se";
    }

    @Override
    public String description() {
        return "Mean of the largest per-pixel squared reconstruction errors over valid pixels (a fraction or a fixed "
                + "count), with a per-pixel squared-error heat map.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.RECONSTRUCTION);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new TopKSquaredErrorScorer(params.getInt("k"), params.getDouble("fraction"));
    }
}
