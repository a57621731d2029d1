package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.models.cae.InferenceBatch;
import java.util.Set;

/**
 * The settings of a {@link DefectLocalizerModel}.
 *
 * @param channels          channels of the first stage; stage {@code i} has {@code channels * 2^i}
 * @param depth             stride-2 stages; the output grid has one cell per {@code 2^depth} pixels square
 * @param kernel            convolution kernel side, odd
 * @param epochs            training epochs
 * @param batchSize         training mini-batch size
 * @param learningRate      Adam's learning rate
 * @param defectProbability share of training images shown with a defect (the others clean)
 * @param kinds             the defect kinds to train on
 * @param minDefectSize     smallest defect, share of the shorter image side
 * @param maxDefectSize     largest defect, share of the shorter image side
 * @param minChange         the smallest pixel change that counts as defect, share of the value range
 * @param positiveWeight    weight of the defect part of the cross-entropy
 * @param inferenceBatch    the most images per inference pass ({@link InferenceBatch}: 1, the default, makes an
 *                          image's map and features independent of the images inferred with it)
 */
public record LocalizerOptions(int channels, int depth, int kernel, int epochs, int batchSize, double learningRate,
                               double defectProbability, Set<DefectKind> kinds, double minDefectSize,
                               double maxDefectSize, double minChange, double positiveWeight, int inferenceBatch) {
    /** Checks the values, naming the parameter that is out of range. */
    public LocalizerOptions {
        kinds = Set.copyOf(kinds);
        if (channels < 1 || depth < 1 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("channels, depth, epochs and batch-size must be at least 1, got "
                    + channels + ", " + depth + ", " + epochs + ", " + batchSize);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd, got " + kernel);
        }
        if (!(defectProbability > 0 && defectProbability < 1)) {
            throw new IllegalArgumentException("defect-probability must be in (0, 1), got " + defectProbability);
        }
        if (!(learningRate > 0) || !(positiveWeight > 0)) {
            throw new IllegalArgumentException("learning-rate and positive-weight must be positive, got " + learningRate
                    + ", " + positiveWeight);
        }
        InferenceBatch.check("", inferenceBatch);
        // the generator checks the sizes and the minimum change
        new DefectGenerator(kinds, minDefectSize, maxDefectSize, minChange);
    }

    /**
     * Options that infer one image per pass; the other values as in the canonical constructor.
     *
     * @param channels          channels of the first stage
     * @param depth             stride-2 stages
     * @param kernel            convolution kernel side, odd
     * @param epochs            training epochs
     * @param batchSize         training mini-batch size
     * @param learningRate      Adam's learning rate
     * @param defectProbability share of training images shown with a defect
     * @param kinds             the defect kinds to train on
     * @param minDefectSize     smallest defect, share of the shorter image side
     * @param maxDefectSize     largest defect, share of the shorter image side
     * @param minChange         the smallest pixel change that counts as defect
     * @param positiveWeight    weight of the defect part of the cross-entropy
     */
    public LocalizerOptions(int channels, int depth, int kernel, int epochs, int batchSize, double learningRate,
                            double defectProbability, Set<DefectKind> kinds, double minDefectSize,
                            double maxDefectSize, double minChange, double positiveWeight) {
        this(channels, depth, kernel, epochs, batchSize, learningRate, defectProbability, kinds, minDefectSize,
                maxDefectSize, minChange, positiveWeight, InferenceBatch.INDEPENDENT);
    }

    /** @return the generator these options describe */
    DefectGenerator generator() {
        return new DefectGenerator(kinds, minDefectSize, maxDefectSize, minChange);
    }
}
