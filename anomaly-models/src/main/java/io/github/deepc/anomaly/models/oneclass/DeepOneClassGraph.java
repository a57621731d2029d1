package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.models.samediff.GraphLayers;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SameDiff graph of deep one-class classification with a reference set (Perera and Patel, "Learning Deep
 * Features for One-Class Classification", IEEE TIP 2019). One bias-free feature network ({@link BiasFreeEncoder},
 * shared weights) is applied to a batch of normal images ({@value FeatureNetwork#INPUT}, giving
 * {@value FeatureNetwork#FEATURES}) and to a batch of reference images ({@value #REFERENCE}); a linear head with
 * bias ({@code head_w}, {@code head_b}) classifies the reference features among the reference classes.
 * <ul>
 *   <li>{@value #COMPACTNESS}: the intra-batch variance of the normal features, {@code mean_{i,j} (z_ij - mean_i z_ij)^2}.
 *       (The paper's compactness loss measures each sample against the mean of the <em>other</em> samples, which is
 *       this times {@code (n / (n - 1))^2} for a batch of {@code n}.)</li>
 *   <li>{@value #DESCRIPTIVENESS}: the mean softmax cross-entropy of the reference classification.</li>
 *   <li>{@value #LOSS} {@code = descriptiveness + lambda * compactness} (the paper's {@code lambda} is 0.1).</li>
 * </ul>
 * Masks multiply the images as in {@link DeepSvddGraph}.
 */
final class DeepOneClassGraph {
    /** Reference image placeholder, {@code [batch, 1, H, W]}. */
    static final String REFERENCE = "reference";
    /** Reference mask placeholder, {@code [batch, 1, H, W]}. */
    static final String REFERENCE_MASK = "reference_mask";
    /** One-hot reference label placeholder, {@code [batch, classes]}. */
    static final String REFERENCE_LABELS = "reference_labels";
    /** The compactness loss of the normal batch. */
    static final String COMPACTNESS = "compactness";
    /** The descriptiveness (cross-entropy) loss of the reference batch. */
    static final String DESCRIPTIVENESS = "descriptiveness";
    /** The total loss. */
    static final String LOSS = "loss";
    private static final String HEAD_W = BiasFreeEncoder.HEAD_W;
    private static final String HEAD_B = BiasFreeEncoder.HEAD_B;

    private DeepOneClassGraph() {
    }

    /**
     * @param height  input height (a multiple of 8)
     * @param width   input width (a multiple of 8)
     * @param repDim  number of features
     * @param classes number of reference classes, at least 2
     * @param lambda  weight of the compactness loss
     * @param init    initialisation randomness, or {@code null} for zeros
     * @return the graph; the caller owns its native memory
     */
    static SameDiff build(int height, int width, int repDim, int classes, double lambda, SplittableRandom init) {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(FeatureNetwork.INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable mask = sd.placeHolder(FeatureNetwork.MASK, DataType.FLOAT, -1, 1, height, width);
        SDVariable reference = sd.placeHolder(REFERENCE, DataType.FLOAT, -1, 1, height, width);
        SDVariable referenceMask = sd.placeHolder(REFERENCE_MASK, DataType.FLOAT, -1, 1, height, width);
        SDVariable labels = sd.placeHolder(REFERENCE_LABELS, DataType.FLOAT, -1, classes);
        BiasFreeEncoder.createVariables(sd, height, width, repDim, init);
        double bound = 1.0 / Math.sqrt(repDim); // PyTorch's default for a linear layer
        SDVariable headW = sd.var(HEAD_W, GraphLayers.uniform(new long[] {repDim, classes}, bound, init));
        SDVariable headB = sd.var(HEAD_B, GraphLayers.uniform(new long[] {1, classes}, bound, init));

        SDVariable z = BiasFreeEncoder.apply(sd, "", input.mul(mask), height, width, FeatureNetwork.FEATURES);
        SDVariable dev = z.sub(z.mean(true, 0));
        SDVariable compactness = dev.mul(dev).mean(COMPACTNESS);

        SDVariable r = BiasFreeEncoder.apply(sd, "ref_", reference.mul(referenceMask), height, width,
                "reference_features");
        SDVariable logits = sd.mmul(r, headW).add(headB);
        // the last axis; logSoftmax(x, dimension) fails in 1.0.0-M2.1 ("Error setting property ... LogSoftMax")
        SDVariable logp = sd.nn().logSoftmax(logits);
        SDVariable descriptiveness = labels.mul(logp).sum(1).mean().neg(DESCRIPTIVENESS);
        descriptiveness.add(LOSS, compactness.mul(lambda));
        sd.setLossVariables(LOSS);
        return sd;
    }
}
