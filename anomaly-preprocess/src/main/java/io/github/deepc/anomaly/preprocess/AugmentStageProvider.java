package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code augment} stage ({@link AugmentStage}), active only while training. Parameters (defaults from
 * {@link AugmentStage.Settings#defaults()}): {@code flip-horizontal} (probability, 0.5), {@code flip-vertical}
 * (probability, 0), {@code rotate-degrees} (0..180, 10) and {@code rotate-probability} (0.5),
 * {@code brightness-min} / {@code brightness-max} (factors, 0.9 / 1.1) and {@code brightness-probability} (0.5),
 * {@code zoom-min} / {@code zoom-max} (factors in [0.1, 10], 0.9 / 1.1) and {@code zoom-probability} (0.5).
 */
public final class AugmentStageProvider implements StageProvider {
    private static final AugmentStage.Settings D = AugmentStage.Settings.defaults();
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofDouble("flip-horizontal", D.flipHorizontal(), 0, 1, "Probability of a left-right flip."),
            ParameterSpec.ofDouble("flip-vertical", D.flipVertical(), 0, 1, "Probability of an upside-down flip."),
            ParameterSpec.ofDouble("rotate-degrees", D.rotateDegrees(), 0, AugmentStage.MAX_DEGREES,
                    "Largest rotation angle in degrees; the angle is uniform in [-rotate-degrees, rotate-degrees]."),
            ParameterSpec.ofDouble("rotate-probability", D.rotateProbability(), 0, 1, "Probability of a rotation."),
            ParameterSpec.ofDouble("brightness-min", D.brightnessMin(), 0, AugmentStage.MAX_BRIGHTNESS,
                    "Smallest factor the valid pixels are multiplied by."),
            ParameterSpec.ofDouble("brightness-max", D.brightnessMax(), 0, AugmentStage.MAX_BRIGHTNESS,
                    "Largest factor the valid pixels are multiplied by (at least brightness-min)."),
            ParameterSpec.ofDouble("brightness-probability", D.brightnessProbability(), 0, 1,
                    "Probability of a brightness change (put augment after normalize for it to survive)."),
            ParameterSpec.ofDouble("zoom-min", D.zoomMin(), AugmentStage.MIN_ZOOM, AugmentStage.MAX_ZOOM,
                    "Smallest zoom factor about the image centre (below 1 shrinks; uncovered pixels become invalid)."),
            ParameterSpec.ofDouble("zoom-max", D.zoomMax(), AugmentStage.MIN_ZOOM, AugmentStage.MAX_ZOOM,
                    "Largest zoom factor (at least zoom-min)."),
            ParameterSpec.ofDouble("zoom-probability", D.zoomProbability(), 0, 1, "Probability of a zoom."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public AugmentStageProvider() {
    }

    /**
     * The input's range (flips, rotation and zoom interpolate between input values; uncovered pixels take the valid
     * minimum, or 0 in an image without valid pixels), widened by the brightness factors when they may be drawn: only
     * while training, but the model is trained on it.
     */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        boolean warps = params.getDouble("rotate-probability") > 0 || params.getDouble("zoom-probability") > 0;
        Optional<ValueRange> moved = warps ? input.map(r -> r.including(0)) : input;
        if (params.getDouble("brightness-probability") == 0) {
            return moved;
        }
        return moved.map(r -> r.hull(r.times(params.getDouble("brightness-min"), params.getDouble("brightness-max"))));
    }

    @Override
    public String id() {
        return AugmentStage.ID;
    }

    @Override
    public String description() {
        return "Training-only random flips, rotation, zoom and brightness (seeded per image); identity when scoring.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new AugmentStage(new AugmentStage.Settings(params.getDouble("flip-horizontal"), params.getDouble("flip-vertical"),
                params.getDouble("rotate-degrees"), params.getDouble("rotate-probability"),
                params.getDouble("brightness-min"), params.getDouble("brightness-max"), params.getDouble("brightness-probability"),
                params.getDouble("zoom-min"), params.getDouble("zoom-max"), params.getDouble("zoom-probability")));
    }
}
