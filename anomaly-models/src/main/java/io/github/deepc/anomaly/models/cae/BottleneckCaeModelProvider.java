package io.github.deepc.anomaly.models.cae;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code bottleneck-cae} model: a convolutional autoencoder with a dense {@code latent}-sized bottleneck,
 * trained with a masked MSE; outputs the reconstruction and the code. See {@link BottleneckCaeModel}.
 *
 * <p>Parameters: the layout {@code depth}, {@code channels}, {@code kernel}, {@code output-activation}; {@code latent};
 * training: {@code epochs}, {@code batch-size}, {@code learning-rate}, {@code validation-fraction}, {@code patience}.
 */
public final class BottleneckCaeModelProvider implements ModelProvider {
    /** The provider id. */
    public static final String ID = "bottleneck-cae";
    /**
     * Default layout: three stages, 16 to 64 channels, 3x3 kernels, sigmoid output (at 64x64 an 8x8x64 encoder output
     * of 4,096 values before the bottleneck).
     */
    static final ConvLayout DEFAULT_LAYOUT = new ConvLayout(3, 16, 3, Activation.SIGMOID);
    /** Default code size. */
    static final int DEFAULT_LATENT = 64;

    private static final List<ParameterSpec> PARAMETERS = ModelParameters.concat(
            ModelParameters.layout(DEFAULT_LAYOUT),
            List.of(ParameterSpec.ofInt("latent", DEFAULT_LATENT, 1, 65_536, "size of the dense bottleneck (the code)")),
            ModelParameters.training(20));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public BottleneckCaeModelProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "convolutional autoencoder with a dense bottleneck, trained with masked MSE; outputs the "
                + "reconstruction and the code";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return ConvAutoencoder.outputsOf(true, false);
    }

    @Override
    public InputRequirements inputRequirements(Parameters params) {
        return ModelParameters.requirements(params);
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("masked-mse");
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new BottleneckCaeModel(ModelParameters.layout(params), params.getInt("latent"),
                ModelParameters.training(params));
    }
}
