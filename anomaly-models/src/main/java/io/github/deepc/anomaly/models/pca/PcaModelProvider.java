package io.github.deepc.anomaly.models.pca;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code pca} model ({@link PcaModel}): principal component analysis of the training images by an
 * exact, deterministic eigendecomposition; outputs the projection's reconstruction and coefficients.
 *
 * <p>Parameters: {@code components} (default 64; fewer are kept, with a warning, when the training images allow
 * fewer, i.e. more than {@code min(n - 1, pixels)} or beyond the rounding tolerance). The seed is not used.
 */
public final class PcaModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("components", 64, 1, PcaModel.MAX_RANK,
                    "most principal components kept (at most min(training images - 1, pixels) are)"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public PcaModelProvider() {
    }

    @Override
    public String id() {
        return PcaModel.ID;
    }

    @Override
    public String description() {
        return "principal component analysis (exact eigendecomposition, deterministic); outputs reconstruction and"
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
        return new PcaModel(params.getInt("components"));
    }
}
