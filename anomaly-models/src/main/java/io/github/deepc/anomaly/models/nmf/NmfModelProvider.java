package io.github.deepc.anomaly.models.nmf;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code nmf} model ({@link NmfModel}): non-negative matrix factorisation of the training images by
 * multiplicative updates; outputs the projection's reconstruction and coefficients.
 *
 * <p>Parameters: {@code components} (default 32), {@code max-iterations} (default 200) and {@code tolerance}
 * (relative objective change, default 1e-4).
 */
public final class NmfModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("components", 32, 1, 4096, "number of non-negative basis images"),
            ParameterSpec.ofInt("max-iterations", 200, 1, 100_000,
                    "most multiplicative-update iterations when fitting and when projecting an image"),
            ParameterSpec.ofDouble("tolerance", 1e-4, 0.0, 1.0,
                    "relative decrease of the squared error below which iteration stops early"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public NmfModelProvider() {
    }

    @Override
    public String id() {
        return NmfModel.ID;
    }

    @Override
    public String description() {
        return "non-negative matrix factorisation (Lee-Seung multiplicative updates); outputs reconstruction and"
                + " coefficients";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new NmfModel(params.getInt("components"), params.getInt("max-iterations"),
                params.getDouble("tolerance"));
    }
}
