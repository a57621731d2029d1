package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link VaeLossScorer} as scorer {@code vae-loss}. Parameters: {@code reconstruction} ({@code mse} or
 * {@code bce}) and {@code beta}; the defaults are those of the {@code vae} model, and should match the values the
 * model was trained with.
 *
 * <p>The default is {@code mse} because the binary cross-entropy of a grey-level target {@code x} in (0, 1) never
 * falls below the target's own entropy {@code -(x ln x + (1 - x) ln(1 - x))}: as a score it mostly measures how
 * mid-grey an image is, not how well it was reconstructed (on chest X-rays at 64 px, pneumonia scored ROC-AUC 0.51
 * with {@code bce} and 0.83 with {@code mse}).
 */
public final class VaeLossScorerProvider implements ScorerProvider {
    /** Default KL weight, equal to the {@code vae} model's. */
    public static final double DEFAULT_BETA = 0.001;
    /** Default reconstruction error, equal to the {@code vae} model's. */
    public static final PixelLoss DEFAULT_RECONSTRUCTION = PixelLoss.MSE;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("reconstruction", DEFAULT_RECONSTRUCTION.word(),
                    "per-pixel reconstruction error, averaged over valid pixels (use the model's)", "mse", "bce"),
            ParameterSpec.ofDouble("beta", DEFAULT_BETA, 0.0, 1e6, "weight of the KL divergence (use the model's)"));

    @Override
    public String id() {
        return "vae-loss";
    }

    @Override
    public String description() {
        return "A VAE's loss per image: mean reconstruction error over valid pixels plus beta times the KL divergence, "
                + "with a per-pixel reconstruction-error heat map.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.RECONSTRUCTION, OutputKind.KL_DIVERGENCE);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new VaeLossScorer(PixelLoss.parse(params.getString("reconstruction")), params.getDouble("beta"));
    }
}
