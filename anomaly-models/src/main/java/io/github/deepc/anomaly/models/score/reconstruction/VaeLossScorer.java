package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import java.util.Objects;

/**
 * A VAE's per-image loss as in training, evaluated deterministically: the mean per-pixel reconstruction error over the
 * valid pixels plus {@code beta} times the KL divergence of the approximate posterior from the prior. The
 * reconstruction is the model's decoding of the posterior mean, so unlike a training step no noise is involved. The
 * heat map is the per-pixel reconstruction error (the KL term has no location).
 */
public final class VaeLossScorer implements OutlierScorer {
    private final PixelLoss reconstruction;
    private final double beta;

    /**
     * @param reconstruction the per-pixel reconstruction error
     * @param beta           weight of the KL divergence, at least 0
     * @throws IllegalArgumentException for a negative or non-finite beta
     */
    public VaeLossScorer(PixelLoss reconstruction, double beta) {
        this.reconstruction = Objects.requireNonNull(reconstruction, "reconstruction");
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public Score score(ModelOutput output) {
        PixelErrors e = PixelErrors.of(output, reconstruction);
        double kl = output.scalar(OutputKind.KL_DIVERGENCE);
        return new Score(e.mean() + beta * kl, e.heatmap());
    }

    @Override
    public String toString() {
        return "VaeLossScorer[" + reconstruction.word() + ", beta=" + beta + "]";
    }
}
