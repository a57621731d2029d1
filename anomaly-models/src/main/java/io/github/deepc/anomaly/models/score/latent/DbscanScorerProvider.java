package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link DbscanScorer} as scorer {@code dbscan}: distance to the nearest DBSCAN core point of the training
 * latents, divided by the radius.
 *
 * <p>Parameters: {@code eps} (0 = chosen at the knee of the k-distance curve, the default), {@code min-pts}
 * (default 5, counting the point itself) and {@code standardize} (default {@code true}).
 */
public final class DbscanScorerProvider implements ScorerProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofDouble("eps", 0.0, 0.0, 1e12,
                    "neighbourhood radius in (standardised) latent space; 0 chooses it at the knee of the k-distance curve"),
            ParameterSpec.ofInt("min-pts", 5, 2, 10_000,
                    "points (counting the point itself) within eps that make a core point"),
            ParameterSpec.ofBoolean("standardize", true,
                    "standardise each latent feature to zero mean and unit variance on the training normals"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DbscanScorerProvider() {
    }

    @Override
    public String id() {
        return DbscanScorer.ID;
    }

    @Override
    public String description() {
        return "DBSCAN of the training latents; score = distance to the nearest core point / eps (>1 = noise).";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.LATENT);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new DbscanScorer(params.getDouble("eps"), params.getInt("min-pts"), params.getBoolean("standardize"));
    }
}
