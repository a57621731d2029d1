package io.github.deepc.anomaly.models.cae;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code cae} model: a convolutional autoencoder trained with a masked MSE on normal
 * images, whose output is the reconstruction. See {@link CaeModel}.
 *
 * <p>Parameters: {@code architecture} ({@code reference}, the network of {@code reference_cae.py}, or
 * {@code custom}); for {@code custom} the layout {@code depth}, {@code channels}, {@code kernel} and
 * {@code output-activation}, whose defaults are the reference's (a reference model with other values is an error);
 * training: {@code epochs}, {@code batch-size}, {@code learning-rate} (Adam), {@code validation-fraction} and
 * {@code patience} and {@code engine} ({@code direct}, the default, or {@code samediff}, see {@link CaeEngine}).
 */
public final class CaeModelProvider implements ModelProvider {
    /** The provider id. */
    public static final String ID = "cae";

    private static final List<ParameterSpec> PARAMETERS = ModelParameters.concat(
            List.of(ParameterSpec.ofChoice("architecture", CaeGraph.REFERENCE,
                    "network layout; 'reference' is the 3+3 layer stride-2 autoencoder of reference_cae.py, 'custom' "
                            + "takes depth, channels, kernel and output-activation",
                    CaeGraph.REFERENCE, CaeGraph.CUSTOM)),
            ModelParameters.layout(ConvLayout.REFERENCE),
            ModelParameters.training(10));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public CaeModelProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "convolutional autoencoder trained with masked MSE; outputs the reconstruction";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return ConvAutoencoder.outputsOf(false, false);
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
        return new CaeModel(params.getString("architecture"), ModelParameters.layout(params),
                ModelParameters.training(params));
    }
}
