package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.Choices;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the GAN model providers share: the common parameters and their translation into a {@link GanConfig}.
 *
 * <p>Common parameters: {@code epochs}, {@code batch-size}, {@code latent}, {@code channels},
 * {@code generator-learning-rate} (also the encoder's), {@code discriminator-learning-rate}, {@code label-smoothing}
 * (target of real samples), {@code range} ({@code unit} or {@code symmetric}, matching the pipeline's
 * {@code normalize} stage), {@code sample-every}, {@code sample-dir} and {@code engine} ({@code direct}, the default,
 * or {@code samediff}, the reference). Subclasses may add their own.
 */
public abstract sealed class GanModelProvider implements ModelProvider
        permits DcganModelProvider, BiganModelProvider, AlphaGanModelProvider {
    private static final List<ParameterSpec> COMMON = List.of(
            ParameterSpec.ofInt("epochs", GanConfig.DEFAULT_EPOCHS, 1, 10_000, "training epochs"),
            ParameterSpec.ofInt("batch-size", GanConfig.DEFAULT_BATCH_SIZE, 1, 4096, "training mini-batch size"),
            ParameterSpec.ofInt("latent", GanConfig.DEFAULT_LATENT, 1, GanConfig.MAX_WIDTH, "latent vector size"),
            ParameterSpec.ofInt("channels", GanConfig.DEFAULT_CHANNELS, 1, GanConfig.MAX_WIDTH / 8,
                    "feature maps of the first convolution (the networks widen to 8x)"),
            ParameterSpec.ofDouble("generator-learning-rate", GanConfig.DEFAULT_LEARNING_RATE, 1e-7, 1.0,
                    "Adam (beta1 0.5) learning rate of the generator and encoder"),
            ParameterSpec.ofDouble("discriminator-learning-rate", GanConfig.DEFAULT_LEARNING_RATE, 1e-7, 1.0,
                    "Adam (beta1 0.5) learning rate of the discriminator(s)"),
            ParameterSpec.ofDouble("label-smoothing", GanConfig.DEFAULT_LABEL_SMOOTHING, 0.5, 1.0,
                    "target of real samples in the discriminator loss (one-sided label smoothing; 1 = none)"),
            ParameterSpec.ofChoice("range", PixelRange.UNIT.word(),
                    "pixel range of the preprocessed images: unit = [0,1] (sigmoid output), symmetric = [-1,1] (tanh)",
                    PixelRange.UNIT.word(), PixelRange.SYMMETRIC.word()),
            ParameterSpec.ofInt("sample-every", 0, 0, 10_000,
                    "write a PNG grid of generated samples every N epochs to sample-dir (0 = never)"),
            ParameterSpec.ofString("sample-dir", GanConfig.DEFAULT_SAMPLE_DIR, "folder for sample grids"),
            ParameterSpec.ofChoice("engine", CaeEngine.DIRECT.word(),
                    "what trains and infers: direct = the library's convolution engine (the default), samediff = ND4J "
                            + "SameDiff (the reference)", CaeEngine.words()),
            InferenceBatch.spec());

    /** Creates the provider. */
    protected GanModelProvider() {
    }

    /** @return the model-specific parameters, appended to the common ones */
    List<ParameterSpec> extraParameters() {
        return List.of();
    }

    @Override
    public InputRequirements inputRequirements(Parameters params) {
        PixelRange range = PixelRange.of(params.getString("range"));
        return InputRequirements.sidesMultipleOf(GanArchitecture.STRIDE, GanArchitecture.STAGES + " stride-2 stages")
                .withValueRange(new ValueRange(range.lower(), range.upper()), "range=" + range.word());
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("discriminator");
    }

    @Override
    public final List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(COMMON);
        all.addAll(extraParameters());
        return List.copyOf(all);
    }

    /**
     * @param params validated parameters
     * @return the builder with the common parameters set (model-specific ones at their defaults)
     */
    static GanConfig.Builder common(Parameters params) {
        String dir = params.getString("sample-dir");
        if (dir.isBlank()) {
            throw new IllegalArgumentException("parameter sample-dir must name a folder");
        }
        return GanConfig.builder()
                .epochs(params.getInt("epochs"))
                .batchSize(params.getInt("batch-size"))
                .latent(params.getInt("latent"))
                .channels(params.getInt("channels"))
                .generatorLearningRate(params.getDouble("generator-learning-rate"))
                .discriminatorLearningRate(params.getDouble("discriminator-learning-rate"))
                .labelSmoothing(params.getDouble("label-smoothing"))
                .range(PixelRange.of(params.getString("range")))
                .samples(params.getInt("sample-every"), Path.of(dir))
                .engine(Choices.parse(CaeEngine.class, "engine", params.getString("engine")))
                .inferenceBatch(params.getInt(InferenceBatch.PARAMETER));
    }
}
