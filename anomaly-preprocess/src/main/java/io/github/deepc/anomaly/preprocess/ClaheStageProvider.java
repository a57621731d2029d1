package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code clahe} stage ({@link ClaheStage}). Parameters: {@code clip-limit} (number in [0, 1000], default
 * 2.0; 0 disables clipping), {@code tile-grid} (integer in [1, 64], default 8), {@code depth} ({@code 8} or
 * {@code 16}, default {@code 8}), the grey levels CLAHE works on.
 */
public final class ClaheStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofDouble("clip-limit", 2.0, 0.0, ClaheStage.MAX_CLIP_LIMIT,
                    "Contrast limit: each tile's histogram is clipped at this multiple of its mean bin count; 0 disables clipping."),
            ParameterSpec.ofInt("tile-grid", 8, 1, ClaheStage.MAX_TILE_GRID,
                    "Number of tiles along each side of the image."),
            ParameterSpec.ofChoice("depth", "8",
                    "Grey levels CLAHE works on: 8 (256 levels, fast) or 16 (65536 levels, for 16-bit radiographs); output is [0, 255] either way.",
                    "8", "16"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ClaheStageProvider() {
    }

    /** [0, 255] whatever the input and depth (invalid pixels 0). */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return Optional.of(ValueRange.BYTE);
    }

    @Override
    public String id() {
        return ClaheStage.ID;
    }

    @Override
    public String description() {
        return "Contrast-limited adaptive histogram equalisation (OpenCV CLAHE) of the valid range; output [0, 255], invalid pixels 0.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new ClaheStage(params.getDouble("clip-limit"), params.getInt("tile-grid"),
                ClaheStage.Depth.of(params.getString("depth")));
    }
}
