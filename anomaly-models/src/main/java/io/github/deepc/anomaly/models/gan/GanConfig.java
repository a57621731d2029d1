package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The hyper-parameters of a GAN model. Every value is checked here, with a message naming the parameter as the
 * providers spell it; {@link #builder()} starts from the defaults.
 *
 * @param epochs                    training epochs, at least 1
 * @param batchSize                 mini-batch size, at least 1
 * @param latent                    latent vector size, at least 1
 * @param channels                  feature maps of the first convolution; the networks widen to 8x this
 * @param generatorLearningRate     Adam learning rate of the generator (and encoder)
 * @param discriminatorLearningRate Adam learning rate of the discriminator(s)
 * @param labelSmoothing            target of real samples in the discriminator loss, in [0.5, 1] (1 = no smoothing)
 * @param range                     value range of the preprocessed images (generator output activation)
 * @param attention                 self-attention layers in generator, encoder and image discriminator (alpha-gan)
 * @param spectralNorm              spectral normalisation of the discriminators' weights (alpha-gan)
 * @param reconstructionWeight      weight of the masked L1 reconstruction term in the generator loss (alpha-gan)
 * @param sampleEvery               write a PNG grid of generated samples every this many epochs, 0 = never
 * @param sampleDir                 where sample grids go
 * @param engine                    what trains and infers: {@link CaeEngine#DIRECT} (the library's engine, the
 *                                  default) or {@link CaeEngine#SAMEDIFF} (the reference)
 * @param inferenceBatch            images per inference pass, in [1, {@value InferenceBatch#MAX}] ({@link InferenceBatch}:
 *                                  1, the default, makes an image's outputs independent of the images inferred with it)
 */
public record GanConfig(int epochs, int batchSize, int latent, int channels, double generatorLearningRate,
                        double discriminatorLearningRate, double labelSmoothing, PixelRange range, boolean attention,
                        boolean spectralNorm, double reconstructionWeight, int sampleEvery, Path sampleDir,
                        CaeEngine engine, int inferenceBatch) {
    /**
     * Default number of epochs: the setting of the 3-seed comparison in {@code experiments/} (600 training images at
     * 64 px run in 1-5 minutes per model on 2 cores).
     */
    public static final int DEFAULT_EPOCHS = 10;
    /** Default mini-batch size. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default latent size (DCGAN's 100). */
    public static final int DEFAULT_LATENT = 100;
    /** Default width of the first convolution: 16 trains DCGAN about twice as fast as 32 at 64 px (measured). */
    public static final int DEFAULT_CHANNELS = 16;
    /** Default Adam learning rate of both players (DCGAN's 2e-4). */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;
    /** Default target of real samples (one-sided label smoothing). */
    public static final double DEFAULT_LABEL_SMOOTHING = 0.9;
    /** Default weight of alpha-GAN's reconstruction term. */
    public static final double DEFAULT_RECONSTRUCTION_WEIGHT = 10.0;
    /** Default sample-grid folder. */
    public static final String DEFAULT_SAMPLE_DIR = "gan-samples";
    /** Largest latent size and first-layer width accepted. */
    static final int MAX_WIDTH = 4096;

    /** Validates every value. */
    public GanConfig {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(sampleDir, "sampleDir");
        Objects.requireNonNull(engine, "engine");
        atLeast("epochs", epochs, 1);
        atLeast("batch-size", batchSize, 1);
        atLeast("sample-every", sampleEvery, 0);
        InferenceBatch.check("", inferenceBatch);
        if (latent < 1 || latent > MAX_WIDTH) {
            throw new IllegalArgumentException("parameter latent must be between 1 and " + MAX_WIDTH + ", got " + latent);
        }
        if (channels < 1 || channels > MAX_WIDTH / 8) {
            throw new IllegalArgumentException("parameter channels must be between 1 and " + MAX_WIDTH / 8 + ", got " + channels);
        }
        positive("generator-learning-rate", generatorLearningRate);
        positive("discriminator-learning-rate", discriminatorLearningRate);
        if (!(labelSmoothing >= 0.5 && labelSmoothing <= 1.0)) {
            throw new IllegalArgumentException("parameter label-smoothing (the target of real samples) must be in [0.5, 1], got "
                    + labelSmoothing);
        }
        if (!(reconstructionWeight >= 0) || !Double.isFinite(reconstructionWeight)) {
            throw new IllegalArgumentException("parameter reconstruction-weight must be a finite number >= 0, got "
                    + reconstructionWeight);
        }
    }

    /**
     * A configuration that infers one image per pass (the canonical constructor before {@code inferenceBatch}); the
     * values as there.
     *
     * @param epochs                    training epochs
     * @param batchSize                 mini-batch size
     * @param latent                    latent vector size
     * @param channels                  feature maps of the first convolution
     * @param generatorLearningRate     Adam learning rate of the generator (and encoder)
     * @param discriminatorLearningRate Adam learning rate of the discriminator(s)
     * @param labelSmoothing            target of real samples in the discriminator loss
     * @param range                     value range of the preprocessed images
     * @param attention                 self-attention layers (alpha-gan)
     * @param spectralNorm              spectral normalisation of the discriminators' weights (alpha-gan)
     * @param reconstructionWeight      weight of the masked L1 reconstruction term (alpha-gan)
     * @param sampleEvery               write a sample grid every this many epochs, 0 = never
     * @param sampleDir                 where sample grids go
     * @param engine                    what trains and infers
     */
    public GanConfig(int epochs, int batchSize, int latent, int channels, double generatorLearningRate,
                     double discriminatorLearningRate, double labelSmoothing, PixelRange range, boolean attention,
                     boolean spectralNorm, double reconstructionWeight, int sampleEvery, Path sampleDir,
                     CaeEngine engine) {
        this(epochs, batchSize, latent, channels, generatorLearningRate, discriminatorLearningRate, labelSmoothing,
                range, attention, spectralNorm, reconstructionWeight, sampleEvery, sampleDir, engine,
                InferenceBatch.INDEPENDENT);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("parameter " + name + " must be at least " + min + ", got " + value);
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("parameter " + name + " must be a positive number, got " + value);
        }
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GanConfig}; starts from the defaults. */
    public static final class Builder {
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int latent = DEFAULT_LATENT;
        private int channels = DEFAULT_CHANNELS;
        private double generatorLearningRate = DEFAULT_LEARNING_RATE;
        private double discriminatorLearningRate = DEFAULT_LEARNING_RATE;
        private double labelSmoothing = DEFAULT_LABEL_SMOOTHING;
        private PixelRange range = PixelRange.UNIT;
        private boolean attention = true;
        private boolean spectralNorm = true;
        private double reconstructionWeight = DEFAULT_RECONSTRUCTION_WEIGHT;
        private int sampleEvery;
        private Path sampleDir = Path.of(DEFAULT_SAMPLE_DIR);
        private CaeEngine engine = CaeEngine.DIRECT;
        private int inferenceBatch = InferenceBatch.INDEPENDENT;

        private Builder() {
        }

        /**
         * @param v training epochs
         * @return this
         */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /**
         * @param v mini-batch size
         * @return this
         */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * @param v latent size
         * @return this
         */
        public Builder latent(int v) {
            latent = v;
            return this;
        }

        /**
         * @param v first-layer width
         * @return this
         */
        public Builder channels(int v) {
            channels = v;
            return this;
        }

        /**
         * @param v generator (and encoder) learning rate
         * @return this
         */
        public Builder generatorLearningRate(double v) {
            generatorLearningRate = v;
            return this;
        }

        /**
         * @param v discriminator learning rate
         * @return this
         */
        public Builder discriminatorLearningRate(double v) {
            discriminatorLearningRate = v;
            return this;
        }

        /**
         * @param v target of real samples
         * @return this
         */
        public Builder labelSmoothing(double v) {
            labelSmoothing = v;
            return this;
        }

        /**
         * @param v pixel range
         * @return this
         */
        public Builder range(PixelRange v) {
            range = v;
            return this;
        }

        /**
         * @param v self-attention on or off (alpha-gan)
         * @return this
         */
        public Builder attention(boolean v) {
            attention = v;
            return this;
        }

        /**
         * @param v spectral normalisation on or off (alpha-gan)
         * @return this
         */
        public Builder spectralNorm(boolean v) {
            spectralNorm = v;
            return this;
        }

        /**
         * @param v reconstruction weight (alpha-gan)
         * @return this
         */
        public Builder reconstructionWeight(double v) {
            reconstructionWeight = v;
            return this;
        }

        /**
         * @param every epochs between sample grids, 0 = never
         * @param dir where they go
         * @return this
         */
        public Builder samples(int every, Path dir) {
            sampleEvery = every;
            sampleDir = dir;
            return this;
        }

        /**
         * @param v the engine
         * @return this
         */
        public Builder engine(CaeEngine v) {
            engine = v;
            return this;
        }

        /**
         * @param v images per inference pass ({@link InferenceBatch})
         * @return this
         */
        public Builder inferenceBatch(int v) {
            inferenceBatch = v;
            return this;
        }

        /** @return the validated configuration */
        public GanConfig build() {
            return new GanConfig(epochs, batchSize, latent, channels, generatorLearningRate, discriminatorLearningRate,
                    labelSmoothing, range, attention, spectralNorm, reconstructionWeight, sampleEvery, sampleDir, engine,
                    inferenceBatch);
        }
    }
}
