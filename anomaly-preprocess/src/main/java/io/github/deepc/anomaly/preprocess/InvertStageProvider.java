package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code invert} stage ({@link InvertStage}). Parameters: {@code mode} ({@code auto}, {@code always} or
 * {@code never}, default {@code auto}); {@code margin} (number in [0, 1], default {@value #DEFAULT_MARGIN}), how much
 * brighter than the centre the border must be, as a fraction of the valid range, for {@code auto} to invert.
 */
public final class InvertStageProvider implements StageProvider {
    /** Default {@code margin}. */
    public static final double DEFAULT_MARGIN = 0.1;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("mode", "auto",
                    "When to invert: auto (images whose border is brighter than their centre), always or never.",
                    "auto", "always", "never"),
            ParameterSpec.ofDouble("margin", DEFAULT_MARGIN, 0.0, 1.0,
                    "For auto: how much brighter than the centre the border must be (medians, as a fraction of the valid range)."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public InvertStageProvider() {
    }

    /** The input's range: a valid {@code v} becomes {@code min + max - v} of the valid range; invalid pixels keep theirs. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input;
    }

    @Override
    public String id() {
        return InvertStage.ID;
    }

    @Override
    public String description() {
        return "Detects radiographs stored with inverted intensities (bright background) and inverts them within their valid range.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new InvertStage(InvertStage.Mode.of(params.getString("mode")), params.getDouble("margin"));
    }
}
