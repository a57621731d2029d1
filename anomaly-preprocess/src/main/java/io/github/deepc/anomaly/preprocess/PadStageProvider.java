package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.ParameterType;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code pad} stage ({@link PadStage}). Parameters: {@code size} (integer in [1, 8192], default 64),
 * the side of the padded square; {@code mode} ({@code centre} or {@code top-left}, default {@code centre});
 * {@code value} (number, default 0), the value of the added, invalid pixels.
 */
public final class PadStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("size", 64, PadStage.MIN_SIZE, PadStage.MAX_SIZE,
                    "Side of the padded square, in pixels; the image must not be larger (resize first)."),
            ParameterSpec.ofChoice("mode", "centre",
                    "Where the content goes: centre, or top-left (all padding on the right and bottom).",
                    "centre", "top-left"),
            new ParameterSpec("value", ParameterType.DOUBLE, "0.0",
                    "Value of the added pixels, which are marked invalid in the mask.", null, null, List.of()));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public PadStageProvider() {
    }

    /** The image size a detector recipe sets and the detector reads to check a model's input requirements. */
    @Override
    public Optional<String> sizeParameter() {
        return Optional.of("size");
    }

    /** The input's range and the added pixels' {@code value}. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input.map(r -> r.including(params.getDouble("value")));
    }

    @Override
    public String id() {
        return PadStage.ID;
    }

    @Override
    public String description() {
        return "Pads the image to a size x size square; the added pixels are invalid in the mask.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new PadStage(params.getInt("size"), PadStage.Mode.of(params.getString("mode")), params.getDouble("value"));
    }
}
