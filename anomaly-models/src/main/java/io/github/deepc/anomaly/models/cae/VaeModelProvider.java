package io.github.deepc.anomaly.models.cae;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.models.score.reconstruction.VaeLossScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code vae} model: a convolutional variational autoencoder with seeded reparameterisation
 * noise; outputs the reconstruction of the posterior mean, the mean itself and the per-image KL divergence. See
 * {@link VaeModel}.
 *
 * <p>Parameters: the layout {@code depth}, {@code channels}, {@code kernel}, {@code output-activation};
 * {@code latent}; the loss {@code reconstruction} ({@code mse} or {@code bce}) and {@code beta}; training:
 * {@code epochs}, {@code batch-size}, {@code learning-rate}, {@code validation-fraction}, {@code patience}. The
 * defaults of {@code reconstruction} and {@code beta} are those of the {@code vae-loss} scorer.
 */
public final class VaeModelProvider implements ModelProvider {
    /** The provider id. */
    public static final String ID = "vae";

    private static final List<ParameterSpec> PARAMETERS = ModelParameters.concat(
            ModelParameters.layout(BottleneckCaeModelProvider.DEFAULT_LAYOUT),
            List.of(ParameterSpec.ofInt("latent", BottleneckCaeModelProvider.DEFAULT_LATENT, 1, 65_536,
                            "size of the latent code (posterior mean and log-variance)"),
                    ParameterSpec.ofChoice("reconstruction", VaeLossScorerProvider.DEFAULT_RECONSTRUCTION.word(),
                            "per-pixel reconstruction error, averaged over valid pixels; bce needs pixels in [0, 1] "
                                    + "and output-activation=sigmoid", "mse", "bce"),
                    ParameterSpec.ofDouble("beta", VaeLossScorerProvider.DEFAULT_BETA, 0.0, 1e6,
                            "weight of the KL divergence (1/pixels gives the classic ELBO)")),
            ModelParameters.training(20));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public VaeModelProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "convolutional variational autoencoder with seeded noise; outputs the reconstruction of the "
                + "posterior mean, the mean and the KL divergence";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return ConvAutoencoder.outputsOf(true, true);
    }

    @Override
    public InputRequirements inputRequirements(Parameters params) {
        return ModelParameters.requirements(params);
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("vae-loss");
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new VaeModel(ModelParameters.layout(params), params.getInt("latent"),
                PixelLoss.parse(params.getString("reconstruction")), params.getDouble("beta"),
                ModelParameters.training(params));
    }
}
