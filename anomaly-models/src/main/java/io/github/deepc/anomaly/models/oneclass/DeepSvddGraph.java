package io.github.deepc.anomaly.models.oneclass;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graph of Deep SVDD: placeholders {@value FeatureNetwork#INPUT} and {@value FeatureNetwork#MASK}, the
 * bias-free network {@link BiasFreeEncoder} applied to {@code input * mask} giving {@value FeatureNetwork#FEATURES},
 * the centre as a <em>constant</em> {@value #CENTRE} ({@code [1, repDim]}, never trained; set once after
 * initialisation) and the one-class loss {@value #LOSS} {@code = mean_batch ||phi(x) - c||^2}.
 */
final class DeepSvddGraph {
    /** The centre constant, {@code [1, repDim]}. */
    static final String CENTRE = "centre";
    /** The scalar one-class loss. */
    static final String LOSS = "loss";

    private DeepSvddGraph() {
    }

    /**
     * @param height input height (a multiple of 8)
     * @param width  input width (a multiple of 8)
     * @param repDim number of features
     * @param init   initialisation randomness, or {@code null} for zeros
     * @return the graph, centre 0; the caller owns its native memory
     */
    static SameDiff build(int height, int width, int repDim, SplittableRandom init) {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(FeatureNetwork.INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable mask = sd.placeHolder(FeatureNetwork.MASK, DataType.FLOAT, -1, 1, height, width);
        BiasFreeEncoder.createVariables(sd, height, width, repDim, init);
        SDVariable phi = BiasFreeEncoder.apply(sd, "", input.mul(mask), height, width, FeatureNetwork.FEATURES);
        SDVariable centre = sd.constant(CENTRE, Nd4j.zeros(DataType.FLOAT, 1, repDim));
        SDVariable diff = phi.sub(centre);
        diff.mul(diff).sum(1).mean(LOSS);
        sd.setLossVariables(LOSS);
        return sd;
    }
}
