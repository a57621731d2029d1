package io.github.deepc.anomaly.models.cae;

import java.util.Objects;

/**
 * How an autoencoder is trained: on which engine, with Adam with a fixed learning rate over seeded, reshuffled mini-batches, optionally
 * with a seeded hold-out of the training normals whose loss is reported after every epoch (as
 * {@value #VALIDATION_LOSS} in the epoch report's extras) and drives early stopping.
 *
 * @param epochs             training epochs (the most, with early stopping), at least 1
 * @param batchSize          mini-batch size, at least 1
 * @param learningRate       Adam learning rate, positive
 * @param validationFraction share of the training images held out for validation, in [0, {@value #MAX_VALIDATION_FRACTION}];
 *                           0 trains on all of them
 * @param patience           stop after this many epochs without a lower validation loss and keep the weights of the
 *                           best epoch; 0 never stops early. Needs a validation fraction above 0
 * @param engine             what computes training and inference ({@link CaeEngine#DIRECT} unless given)
 * @param inferenceBatch     images per inference pass of the direct engine, in [1, {@value InferenceBatch#MAX}]
 *                           ({@link InferenceBatch}: 1, the default, makes outputs independent of the batch)
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double validationFraction, int patience,
                              CaeEngine engine, int inferenceBatch) {
    /** The name of the per-epoch validation loss in {@link io.github.deepc.anomaly.core.progress.EpochReport#extra()}. */
    public static final String VALIDATION_LOSS = "validationLoss";
    /** Largest validation fraction. */
    public static final double MAX_VALIDATION_FRACTION = 0.5;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public TrainingOptions {
        Objects.requireNonNull(engine, "engine");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(validationFraction >= 0 && validationFraction <= MAX_VALIDATION_FRACTION)) {
            throw new IllegalArgumentException("validation fraction must be in [0, " + MAX_VALIDATION_FRACTION + "], got "
                    + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0, got " + patience);
        }
        if (patience > 0 && validationFraction == 0) {
            throw new IllegalArgumentException("patience " + patience + " needs a validation loss: set a validation "
                    + "fraction above 0");
        }
        InferenceBatch.check("", inferenceBatch);
    }

    /**
     * Options that infer one image per pass.
     *
     * @param epochs             training epochs
     * @param batchSize          mini-batch size
     * @param learningRate       Adam learning rate
     * @param validationFraction share of the training images held out for validation
     * @param patience           epochs without improvement before stopping, 0 for never
     * @param engine             what computes training and inference
     */
    public TrainingOptions(int epochs, int batchSize, double learningRate, double validationFraction, int patience,
                           CaeEngine engine) {
        this(epochs, batchSize, learningRate, validationFraction, patience, engine, InferenceBatch.INDEPENDENT);
    }

    /**
     * Options on the default engine, {@link CaeEngine#DIRECT}.
     *
     * @param epochs             training epochs
     * @param batchSize          mini-batch size
     * @param learningRate       Adam learning rate
     * @param validationFraction share of the training images held out for validation
     * @param patience           epochs without improvement before stopping, 0 for never
     */
    public TrainingOptions(int epochs, int batchSize, double learningRate, double validationFraction, int patience) {
        this(epochs, batchSize, learningRate, validationFraction, patience, CaeEngine.DIRECT);
    }

    /**
     * @param epochs       training epochs
     * @param batchSize    mini-batch size
     * @param learningRate Adam learning rate
     * @return options without validation or early stopping, on the default engine
     */
    public static TrainingOptions of(int epochs, int batchSize, double learningRate) {
        return new TrainingOptions(epochs, batchSize, learningRate, 0.0, 0);
    }

    /**
     * @param engine the engine
     * @return these options on that engine
     */
    public TrainingOptions withEngine(CaeEngine engine) {
        return new TrainingOptions(epochs, batchSize, learningRate, validationFraction, patience, engine,
                inferenceBatch);
    }

    /**
     * @param images images per inference pass ({@link InferenceBatch})
     * @return these options inferring that many images per pass
     */
    public TrainingOptions withInferenceBatch(int images) {
        return new TrainingOptions(epochs, batchSize, learningRate, validationFraction, patience, engine, images);
    }

    /** @return whether part of the training images is held out */
    public boolean validates() {
        return validationFraction > 0;
    }

    @Override
    public String toString() {
        return "epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate
                + (validates() ? ", validation=" + validationFraction + ", patience=" + patience : "")
                + ", engine=" + engine.word()
                + (inferenceBatch != InferenceBatch.INDEPENDENT ? ", inference-batch=" + inferenceBatch : "");
    }
}
