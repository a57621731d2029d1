package io.github.deepc.anomaly.models.score.distance;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;

/**
 * The model's own feature-space distance as the score: {@link OutputKind#DISTANCE} unchanged (for
 * {@code deep-svdd} the squared distance to the hypersphere centre, for {@code deep-one-class} the squared distance
 * to the mean normal feature). Needs no fitting; no heat map.
 */
public final class DistanceScorer implements OutlierScorer {
    /** The scorer id. */
    public static final String ID = "distance";

    /** Creates the scorer. */
    public DistanceScorer() {
    }

    @Override
    public Score score(ModelOutput output) {
        return new Score(output.scalar(OutputKind.DISTANCE), null);
    }
}
