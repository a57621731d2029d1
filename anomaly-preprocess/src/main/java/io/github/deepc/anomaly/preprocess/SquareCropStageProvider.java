package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code square-crop} stage ({@link SquareCropStage}). Parameters: {@code min-area} (number in
 * [0.01, 1], default 0.2) and {@code max-area} (default 0.97), the fractions of the image the radiograph may
 * cover; {@code max-skew} (degrees in [0, 45], default 10); {@code min-fill} (number in [0, 1], default 0.85), how
 * rectangular the outline must be; {@code canny-low} and {@code canny-high} (in [0, 255], defaults 30 and 90);
 * {@code sweep-steps} (integer in [0, 64], default 16), the threshold levels tried besides Otsu's;
 * {@code mask-outside} (boolean, default true), whether the corners of the crop outside a tilted radiograph become
 * invalid.
 */
public final class SquareCropStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofDouble("min-area", 0.2, SquareCropStage.MIN_AREA, 1.0,
                    "Smallest fraction of the image the radiograph's rectangle must cover."),
            ParameterSpec.ofDouble("max-area", 0.97, SquareCropStage.MIN_AREA, 1.0,
                    "Largest fraction of the image the rectangle may cover; larger means there is no border to remove."),
            ParameterSpec.ofDouble("max-skew", 10.0, 0.0, SquareCropStage.MAX_SKEW,
                    "Largest tilt of the rectangle from the image axes, in degrees."),
            ParameterSpec.ofDouble("min-fill", 0.85, 0.0, 1.0,
                    "Smallest ratio of outline area to rotated-rectangle area: how rectangular the outline must be."),
            ParameterSpec.ofDouble("canny-low", 30.0, 0.0, 255.0,
                    "Lower Canny hysteresis threshold (on the 0..255 scaled image), for the edge fallback."),
            ParameterSpec.ofDouble("canny-high", 90.0, 0.0, 255.0,
                    "Upper Canny hysteresis threshold (on the 0..255 scaled image), for the edge fallback."),
            ParameterSpec.ofInt("sweep-steps", 16, 0, SquareCropStage.MAX_SWEEP_STEPS,
                    "Number of evenly spaced threshold levels tried besides Otsu's, each in both polarities."),
            ParameterSpec.ofBoolean("mask-outside", true,
                    "Mark the pixels of the crop that lie outside a tilted radiograph invalid."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public SquareCropStageProvider() {
    }

    /** The input's range: a crop never changes pixel values. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input;
    }

    @Override
    public String id() {
        return SquareCropStage.ID;
    }

    @Override
    public String description() {
        return "Finds a scanned radiograph inside synthetic borders or paper by its outline and crops to it.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new SquareCropStage(params.getDouble("min-area"), params.getDouble("max-area"), params.getDouble("max-skew"),
                params.getDouble("min-fill"), params.getDouble("canny-low"), params.getDouble("canny-high"),
                params.getInt("sweep-steps"), params.getBoolean("mask-outside"));
    }
}
