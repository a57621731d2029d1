package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link OneClassSvmScorer} as scorer {@code one-class-svm}: libsvm's one-class SVM on the training
 * normals' latent vectors, scoring by the negative decision value.
 *
 * <p>Parameters: {@code kernel} (rbf, linear, poly, sigmoid; default rbf), {@code nu} (default 0.1), {@code gamma}
 * ({@code scale} (default), {@code auto} or a positive number), {@code degree} (poly, default 3), {@code coef0}
 * (poly and sigmoid, default 0) and {@code standardize} (default {@code true}).
 */
public final class OneClassSvmScorerProvider implements ScorerProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("kernel", SvmKernel.RBF.word(), "SVM kernel", SvmKernel.words()),
            ParameterSpec.ofDouble("nu", 0.1, 1e-6, 1.0,
                    "upper bound on the fraction of training outliers and lower bound on the fraction of support vectors"),
            ParameterSpec.ofString("gamma", SvmGamma.SCALE,
                    "kernel coefficient: 'scale' = 1/(features * variance of the standardised training matrix),"
                            + " 'auto' = 1/features, or a positive number"),
            ParameterSpec.ofInt("degree", 3, 1, 10, "degree of the poly kernel"),
            ParameterSpec.ofDouble("coef0", 0.0, -1e6, 1e6, "additive constant of the poly and sigmoid kernels"),
            ParameterSpec.ofBoolean("standardize", true,
                    "standardise each latent feature to zero mean and unit variance on the training normals"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public OneClassSvmScorerProvider() {
    }

    @Override
    public String id() {
        return OneClassSvmScorer.ID;
    }

    @Override
    public String description() {
        return "libsvm one-class SVM on the training latent vectors; score = negative decision value.";
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
        return new OneClassSvmScorer(SvmKernel.of(params.getString("kernel")), params.getDouble("nu"),
                params.getString("gamma"), params.getInt("degree"), params.getDouble("coef0"),
                params.getBoolean("standardize"));
    }
}
