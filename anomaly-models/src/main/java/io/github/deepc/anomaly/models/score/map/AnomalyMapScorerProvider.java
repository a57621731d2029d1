package io.github.deepc.anomaly.models.score.map;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link AnomalyMapScorer} as scorer {@code anomaly-map} for models with a per-pixel
 * {@link OutputKind#ANOMALY_MAP}. Parameters: {@code reduce} ({@code max}, the default, or {@code top-k-mean}) and
 * {@code fraction} (share of the valid pixels {@code top-k-mean} averages, default 0.01).
 */
public final class AnomalyMapScorerProvider implements ScorerProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("reduce", AnomalyMapReduction.MAX.word(),
                    "how the map becomes one score: its maximum over the valid pixels, or the mean of its largest fraction",
                    AnomalyMapReduction.MAX.word(), AnomalyMapReduction.TOP_K_MEAN.word()),
            ParameterSpec.ofDouble("fraction", 0.01, 1e-6, 1.0,
                    "share of the valid pixels whose largest map values top-k-mean averages (rounded up, at least 1)"));

    @Override
    public String id() {
        return "anomaly-map";
    }

    @Override
    public String description() {
        return "Maximum (or top-fraction mean) of a model's per-pixel anomaly map over valid pixels; the heat map is "
                + "the anomaly map.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.ANOMALY_MAP);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new AnomalyMapScorer(AnomalyMapReduction.parse(params.getString("reduce")), params.getDouble("fraction"));
    }
}
