package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code alpha-gan} model ({@link AlphaGanModel}): encoder, generator, image and code discriminators,
 * optionally with self-attention and spectral normalisation; outputs D(x), C(E(x)), G(E(x)) and E(x). Parameters: the
 * common GAN parameters of {@link GanModelProvider} plus {@code attention}, {@code spectral-norm} and
 * {@code reconstruction-weight}.
 */
public final class AlphaGanModelProvider extends GanModelProvider {
    private static final List<ParameterSpec> EXTRA = List.of(
            ParameterSpec.ofBoolean("attention", true,
                    "SAGAN self-attention layers in generator, encoder and image discriminator"),
            ParameterSpec.ofBoolean("spectral-norm", true,
                    "spectral normalisation of the image and code discriminators' weights"),
            ParameterSpec.ofDouble("reconstruction-weight", GanConfig.DEFAULT_RECONSTRUCTION_WEIGHT, 0.0, 1e6,
                    "weight of the masked L1 reconstruction term in the generator/encoder loss"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public AlphaGanModelProvider() {
    }

    @Override
    public String id() {
        return AlphaGanModel.ID;
    }

    @Override
    public String description() {
        return "alpha-GAN: encoder, generator, image and code discriminators, self-attention, spectral norm;"
                + " outputs D(x), C(E(x)), G(E(x)) and E(x)";
    }

    @Override
    List<ParameterSpec> extraParameters() {
        return EXTRA;
    }

    @Override
    public Set<OutputKind> outputs() {
        return AlphaGanModel.OUTPUTS;
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new AlphaGanModel(common(params)
                .attention(params.getBoolean("attention"))
                .spectralNorm(params.getBoolean("spectral-norm"))
                .reconstructionWeight(params.getDouble("reconstruction-weight"))
                .build());
    }
}
