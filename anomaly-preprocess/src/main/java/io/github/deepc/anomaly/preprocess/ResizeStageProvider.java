package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code resize} stage ({@link ResizeStage}). Parameters: {@code size} (integer in [8, 8192], default
 * 64), the length of the longest side; {@code interpolation} ({@code auto}, {@code area}, {@code linear} or
 * {@code nearest}, default {@code auto}).
 */
public final class ResizeStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("size", 64, ResizeStage.MIN_SIZE, ResizeStage.MAX_SIZE,
                    "Length of the longest side after resizing, in pixels; the aspect ratio is kept."),
            ParameterSpec.ofChoice("interpolation", "auto",
                    "Pixel interpolation: auto (area when shrinking, linear when enlarging), area, linear or nearest.",
                    "auto", "area", "linear", "nearest"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ResizeStageProvider() {
    }

    /** The image size a detector recipe sets and the detector reads to check a model's input requirements. */
    @Override
    public Optional<String> sizeParameter() {
        return Optional.of("size");
    }

    /** The input's range: area, linear and nearest interpolation only average or pick input values. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input;
    }

    @Override
    public String id() {
        return ResizeStage.ID;
    }

    @Override
    public String description() {
        return "Scales the image so that its longest side has the given size, keeping the aspect ratio.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new ResizeStage(params.getInt("size"), ResizeStage.Interpolation.of(params.getString("interpolation")));
    }
}
