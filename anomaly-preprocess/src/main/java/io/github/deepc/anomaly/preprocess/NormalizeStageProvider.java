package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code normalize} stage ({@link NormalizeStage}). Parameter: {@code range} ({@code unit} for [0, 1]
 * or {@code symmetric} for [-1, 1], default {@code unit}).
 */
public final class NormalizeStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("range", "unit",
                    "Output range of the per-image min-max normalisation over the valid pixels: unit [0, 1] or symmetric [-1, 1].",
                    "unit", "symmetric"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public NormalizeStageProvider() {
    }

    /** [0, 1] or [-1, 1] by {@code range}, whatever the input. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return Optional.of(NormalizeStage.Range.of(params.getString("range")) == NormalizeStage.Range.UNIT
                ? ValueRange.UNIT : ValueRange.SYMMETRIC);
    }

    @Override
    public String id() {
        return NormalizeStage.ID;
    }

    @Override
    public String description() {
        return "Min-max normalises the valid pixels of each image to [0, 1] or [-1, 1]; invalid pixels get the lower bound.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new NormalizeStage(NormalizeStage.Range.of(params.getString("range")));
    }
}
