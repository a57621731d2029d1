package io.github.deepc.anomaly.models.score.reconstruction;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;

/**
 * The KL divergence of a VAE's approximate posterior from its prior: how far from the prior the encoder places an
 * image. It has no location, so there is no heat map.
 */
public final class KlScorer implements OutlierScorer {
    @Override
    public Score score(ModelOutput output) {
        return new Score(output.scalar(OutputKind.KL_DIVERGENCE), null);
    }
}
