package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import java.util.List;

/** The training parameters the deep one-class models share: declarations and range checks. */
final class OneClassParameters {
    private OneClassParameters() {
    }

    /**
     * @param epochs       default epochs
     * @param learningRate default Adam learning rate
     * @return declarations of {@code epochs}, {@code batch-size}, {@code learning-rate}, {@code weight-decay},
     *         {@code rep-dim}, {@code engine} and {@code inference-batch}
     */
    static List<ParameterSpec> training(int epochs, double learningRate) {
        return List.of(
                ParameterSpec.ofInt("epochs", epochs, 1, 10_000, "training epochs"),
                ParameterSpec.ofInt("batch-size", 32, 1, 4096, "training mini-batch size"),
                ParameterSpec.ofDouble("learning-rate", learningRate, 1e-7, 1.0, "Adam learning rate"),
                ParameterSpec.ofDouble("weight-decay", 1e-6, 0.0, 1.0, "L2 weight decay added to the gradients"),
                ParameterSpec.ofInt("rep-dim", 32, 1, 4096, "number of features of the bias-free network"),
                ParameterSpec.ofChoice("engine", CaeEngine.DIRECT.word(),
                        "what computes training and inference: 'direct', the library's own im2col + BLAS convolution "
                                + "engine, or 'samediff' (ND4J's conv2d graph, the reference); same network and results",
                        CaeEngine.words()),
                InferenceBatch.spec());
    }

    /**
     * @throws IllegalArgumentException naming the model's parameter when a value is out of range
     */
    static void check(String model, int epochs, int batchSize, double learningRate, double weightDecay, int repDim) {
        if (epochs < 1) {
            throw new IllegalArgumentException("parameter " + model + ".epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("parameter " + model + ".batch-size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("parameter " + model + ".learning-rate must be a positive number, got "
                    + learningRate);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("parameter " + model + ".weight-decay must be a number >= 0, got "
                    + weightDecay);
        }
        if (repDim < 1) {
            throw new IllegalArgumentException("parameter " + model + ".rep-dim must be at least 1, got " + repDim);
        }
    }
}
