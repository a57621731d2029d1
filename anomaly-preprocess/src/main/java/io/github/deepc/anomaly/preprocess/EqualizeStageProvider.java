package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/** Provides the {@code equalize} stage ({@link EqualizeStage}). It has no parameters. */
public final class EqualizeStageProvider implements StageProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public EqualizeStageProvider() {
    }

    /** [0, 255] whatever the input (invalid pixels 0). */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return Optional.of(ValueRange.BYTE);
    }

    @Override
    public String id() {
        return EqualizeStage.ID;
    }

    @Override
    public String description() {
        return "Global histogram equalisation driven by the valid pixels only; output on the 8-bit scale [0, 255], invalid pixels 0.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new EqualizeStage();
    }
}
