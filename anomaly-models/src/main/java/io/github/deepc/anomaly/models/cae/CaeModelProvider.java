package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code cae} model: a convolutional autoencoder (SameDiff) trained with a masked MSE on normal
 * images, whose output is the reconstruction. See {@link CaeModel}.
 *
 * <p>Parameters: {@code architecture} (only {@code reference}, the network of {@code reference_cae.py}),
 * {@code epochs}, {@code batch-size} and {@code learning-rate} (Adam).
 */
public final class CaeModelProvider implements ModelProvider {
    /** The provider id. */
    public static final String ID = "cae";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("architecture", CaeGraph.REFERENCE,
                    "network layout; 'reference' is the 3+3 layer stride-2 autoencoder of reference_cae.py",
                    CaeGraph.REFERENCE),
            ParameterSpec.ofInt("epochs", 10, 1, 10_000, "training epochs"),
            ParameterSpec.ofInt("batch-size", 32, 1, 4096, "training mini-batch size"),
            ParameterSpec.ofDouble("learning-rate", 1e-3, 1e-7, 1.0, "Adam learning rate"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public CaeModelProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "convolutional autoencoder (SameDiff) trained with masked MSE; outputs the reconstruction";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.RECONSTRUCTION);
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new CaeModel(params.getString("architecture"), params.getInt("epochs"), params.getInt("batch-size"),
                params.getDouble("learning-rate"));
    }
}
