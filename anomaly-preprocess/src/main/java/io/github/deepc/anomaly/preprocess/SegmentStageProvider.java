package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code segment} stage ({@link SegmentStage}). Parameters: {@code method} ({@code otsu} or
 * {@code grabcut}, default {@code otsu}); {@code classes} ({@code 2} or {@code 3}, default 3), the Otsu classes;
 * {@code blur} (odd integer in [1, 255], default 5), the median aperture; {@code iterations} (integer in [1, 50],
 * default 3), GrabCut's rounds; {@code fill-holes} (boolean, default true).
 */
public final class SegmentStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("method", "otsu",
                    "How the foreground is found: otsu (threshold over the valid pixels) or grabcut (initialised from Otsu).",
                    "otsu", "grabcut"),
            ParameterSpec.ofChoice("classes", "3",
                    "Otsu classes: 3 (background against tissue and bone together) or 2 (the classic dark/bright split).",
                    "2", "3"),
            ParameterSpec.ofInt("blur", 5, 1, SegmentStage.MAX_BLUR,
                    "Median filter aperture before thresholding, odd; 1 = none."),
            ParameterSpec.ofInt("iterations", 3, 1, SegmentStage.MAX_ITERATIONS,
                    "GrabCut rounds (method grabcut only)."),
            ParameterSpec.ofBoolean("fill-holes", true,
                    "Make background enclosed by foreground (lungs, gaps between bones) foreground."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public SegmentStageProvider() {
    }

    /** The input's range and 0, the value of the background pixels. */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input.map(r -> r.including(0));
    }

    @Override
    public String id() {
        return SegmentStage.ID;
    }

    @Override
    public String description() {
        return "Masks out the background (Otsu or GrabCut): background pixels become 0 and invalid.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new SegmentStage(SegmentStage.Method.of(params.getString("method")), Integer.parseInt(params.getString("classes")),
                params.getInt("blur"), params.getInt("iterations"), params.getBoolean("fill-holes"));
    }
}
