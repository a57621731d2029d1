package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link KnnScorer} as scorer {@code knn}: mean distance to the {@code k} nearest training latents.
 *
 * <p>Parameters: {@code k} (default 5), {@code standardize} (default {@code true}) and {@code metric}
 * ({@code euclidean} (default) or {@code cosine}, {@code 1 - cos} of the angle between the standardised latents).
 */
public final class KnnScorerProvider implements ScorerProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("k", 5, 1, 10_000, "number of nearest training latents whose distances are averaged"),
            ParameterSpec.ofBoolean("standardize", true,
                    "standardise each latent feature to zero mean and unit variance on the training normals"),
            ParameterSpec.ofChoice("metric", KnnMetric.EUCLIDEAN.word(),
                    "distance between the (standardised) latents: euclidean, or cosine = 1 - cos(angle), 0.5 for a"
                            + " zero vector", KnnMetric.words()));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public KnnScorerProvider() {
    }

    @Override
    public String id() {
        return KnnScorer.ID;
    }

    @Override
    public String description() {
        return "Mean Euclidean or cosine distance to the k nearest training latent vectors (brute force,"
                + " standardised).";
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
        return new KnnScorer(params.getInt("k"), params.getBoolean("standardize"),
                KnnMetric.of(params.getString("metric")));
    }
}
