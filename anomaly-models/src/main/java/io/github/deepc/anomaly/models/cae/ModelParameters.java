package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.ArrayList;
import java.util.List;

/** The parameter declarations the autoencoder providers share: the {@link ConvLayout} and the {@link TrainingOptions}. */
final class ModelParameters {
    private ModelParameters() {
    }

    /**
     * @param defaults the provider's default layout
     * @return {@code depth}, {@code channels}, {@code kernel} and {@code output-activation}
     */
    static List<ParameterSpec> layout(ConvLayout defaults) {
        return List.of(
                ParameterSpec.ofInt("depth", defaults.depth(), ConvLayout.MIN_DEPTH, ConvLayout.MAX_DEPTH,
                        "number of stride-2 convolution stages; image sides must be multiples of 2^depth"),
                ParameterSpec.ofInt("channels", defaults.channels(), 1, ConvLayout.MAX_CHANNELS,
                        "channels of the first stage, doubled per stage"),
                ParameterSpec.ofInt("kernel", defaults.kernel(), 3, 5, "convolution kernel side, 3 or 5"),
                ParameterSpec.ofChoice("output-activation", defaults.output().word(),
                        "activation of the reconstruction: sigmoid for images in [0, 1], linear otherwise",
                        "sigmoid", "linear"));
    }

    /**
     * @param epochs the provider's default number of epochs
     * @return {@code epochs}, {@code batch-size}, {@code learning-rate}, {@code validation-fraction}, {@code patience},
     *         {@code engine}, {@code inference-batch}
     */
    static List<ParameterSpec> training(int epochs) {
        return List.of(
                ParameterSpec.ofInt("epochs", epochs, 1, 10_000, "training epochs (the most, with early stopping)"),
                ParameterSpec.ofInt("batch-size", 32, 1, 4096, "training mini-batch size"),
                ParameterSpec.ofDouble("learning-rate", 1e-3, 1e-7, 1.0, "Adam learning rate"),
                ParameterSpec.ofDouble("validation-fraction", 0.0, 0.0, TrainingOptions.MAX_VALIDATION_FRACTION,
                        "share of the training images held out (seeded) for a per-epoch validation loss; 0 = none"),
                ParameterSpec.ofInt("patience", 0, 0, 10_000, "stop after this many epochs without a lower validation "
                        + "loss and keep the best epoch's weights; 0 = never (needs validation-fraction > 0)"),
                ParameterSpec.ofChoice("engine", CaeEngine.DIRECT.word(),
                        "what computes training and inference: 'direct', the library's own im2col + BLAS convolution "
                                + "engine (4-5x faster), or 'samediff' (ND4J's conv2d/deconv2d); same network and results",
                        CaeEngine.words()),
                InferenceBatch.spec());
    }

    /**
     * @param parts parameter lists
     * @return them concatenated
     */
    @SafeVarargs
    static List<ParameterSpec> concat(List<ParameterSpec>... parts) {
        List<ParameterSpec> all = new ArrayList<>();
        for (List<ParameterSpec> p : parts) {
            all.addAll(p);
        }
        return List.copyOf(all);
    }

    /**
     * @param p parameters declared with {@link #layout(ConvLayout)}
     * @return the layout
     */
    static ConvLayout layout(Parameters p) {
        return new ConvLayout(p.getInt("depth"), p.getInt("channels"), p.getInt("kernel"),
                ConvLayout.parseOutput(p.getString("output-activation")));
    }

    /**
     * @param p parameters declared with {@link #layout(ConvLayout)}
     * @return sides multiples of {@code 2^depth}; with a sigmoid output, pixel values in [0, 1] (what it can reconstruct)
     */
    static InputRequirements requirements(Parameters p) {
        InputRequirements sides = InputRequirements.halvingStages(p.getInt("depth"));
        String output = p.getString("output-activation");
        return output.equals("sigmoid") ? sides.withValueRange(ValueRange.UNIT, "output-activation=" + output) : sides;
    }

    /**
     * @param p parameters declared with {@link #training(int)}
     * @return the training options
     */
    static TrainingOptions training(Parameters p) {
        return new TrainingOptions(p.getInt("epochs"), p.getInt("batch-size"), p.getDouble("learning-rate"),
                p.getDouble("validation-fraction"), p.getInt("patience"), CaeEngine.of(p.getString("engine")),
                p.getInt(InferenceBatch.PARAMETER));
    }
}
