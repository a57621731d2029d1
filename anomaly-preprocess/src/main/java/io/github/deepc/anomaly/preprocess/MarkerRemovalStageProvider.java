package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;

/**
 * Provides the {@code marker-removal} stage ({@link MarkerRemovalStage}). Parameters: {@code kernel} (0 for
 * automatic, or an odd integer in [3, 255], default 0), the top-hat's square kernel; {@code contrast} (in [1, 255],
 * default 100), the smallest top-hat on the 0..255 scale; {@code min-level} (in [0, 1], default 0.5), the smallest
 * level as a fraction of the range; {@code max-area} (default 0.01) and {@code max-size} (default 0.15), the
 * largest marker as fractions of the image's pixels and longest side; {@code max-aspect} (in [1, 100], default 4);
 * {@code max-background} (in [0, 1], default 0.3), the largest mean level around a marker; {@code dilate} (in
 * [0, 20], default 2) and {@code radius} (in [1, 50], default 3), the inpainted margin and neighbourhood;
 * {@code method} ({@code telea} or {@code ns}, default {@code telea}).
 */
public final class MarkerRemovalStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("kernel", 0, 0, MarkerRemovalStage.MAX_KERNEL,
                    "Side of the top-hat's square kernel in pixels, odd; 0 = 6% of the image's longest side."),
            ParameterSpec.ofDouble("contrast", 100.0, 1.0, 255.0,
                    "Smallest top-hat (brightness above the surroundings) of a marker pixel, on the 0..255 scale."),
            ParameterSpec.ofDouble("min-level", 0.5, 0.0, 1.0,
                    "Smallest level of a marker pixel, as a fraction of the image's value range."),
            ParameterSpec.ofDouble("max-area", 0.01, 1e-6, 1.0,
                    "Largest marker component, as a fraction of the image's pixels."),
            ParameterSpec.ofDouble("max-size", 0.15, 1e-6, 1.0,
                    "Largest side of a marker's bounding box, as a fraction of the image's longest side."),
            ParameterSpec.ofDouble("max-aspect", 4.0, 1.0, MarkerRemovalStage.MAX_ASPECT,
                    "Largest ratio of a marker's bounding-box long side to its short side."),
            ParameterSpec.ofDouble("max-background", 0.3, 0.0, 1.0,
                    "Largest mean level of the ring around a marker, as a fraction of the range (markers lie on background)."),
            ParameterSpec.ofInt("dilate", 2, 0, MarkerRemovalStage.MAX_DILATE,
                    "How many pixels beyond the marker are inpainted too (its blurred rim)."),
            ParameterSpec.ofDouble("radius", 3.0, 1.0, MarkerRemovalStage.MAX_RADIUS,
                    "Inpainting neighbourhood radius in pixels."),
            ParameterSpec.ofChoice("method", "telea",
                    "Inpainting algorithm: telea (fast marching) or ns (Navier-Stokes).", "telea", "ns"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MarkerRemovalStageProvider() {
    }

    @Override
    public String id() {
        return MarkerRemovalStage.ID;
    }

    @Override
    public String description() {
        return "Finds burnt-in letters, labels and side markers and removes them by inpainting.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new MarkerRemovalStage(params.getInt("kernel"), params.getDouble("contrast"), params.getDouble("min-level"),
                params.getDouble("max-area"), params.getDouble("max-size"), params.getDouble("max-aspect"),
                params.getDouble("max-background"), params.getInt("dilate"), params.getDouble("radius"),
                MarkerRemovalStage.Method.of(params.getString("method")));
    }
}
