package io.github.deepc.anomaly.models.raw;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code raw-pixels} pseudo-model ({@link RawPixelsModel}): the latent vector is the image
 * area-downsampled to {@code size x size}.
 *
 * <p>Parameters: {@code size} (default 16).
 */
public final class RawPixelsModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("size", 16, 1, 1024, "side of the square, area-downsampled image used as latent vector"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public RawPixelsModelProvider() {
    }

    @Override
    public String id() {
        return RawPixelsModel.ID;
    }

    @Override
    public String description() {
        return "no training: the latent vector is the image area-downsampled to size x size (invalid pixels as 0)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.LATENT);
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new RawPixelsModel(params.getInt("size"));
    }
}
