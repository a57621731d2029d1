package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import java.util.Optional;

/** Service interface for {@link PreprocessingStage} plugins. */
public interface StageProvider extends PluginProvider<PreprocessingStage> {
    /**
     * The parameter that sets the square side this stage brings images to ({@code size} of {@code resize} and
     * {@code pad}). A detector recipe's image size is set on exactly these parameters, and the last such stage of a
     * pipeline tells the detector what side the model will see, so that a model's {@link
     * io.github.deepc.anomaly.core.model.InputRequirements} are checked before any image is read.
     *
     * @return the parameter's name, or empty when this stage does not set the image size
     */
    default Optional<String> sizeParameter() {
        return Optional.empty();
    }

    /**
     * The range this stage's output pixels lie in (every pixel, valid or not, in training and at scoring time), so
     * that a model's {@link io.github.deepc.anomaly.core.model.InputRequirements#valueRange()} is checked when the
     * detector is built. A stage that sets the range whatever its input ({@code normalize}: [0, 1] or [-1, 1],
     * {@code equalize}: [0, 255]) returns it; a stage that only moves or mixes values ({@code resize}, a crop) returns
     * {@code input}; a stage that adds a fixed value ({@code pad}) returns {@code input} including it. The stage
     * contract kit checks the declaration on generated images.
     *
     * @param params the stage's validated parameters
     * @param input  the range of the input's pixels, or empty when unknown
     * @return the output's range, or empty when unknown: the default, so an undeclared stage disables the check
     */
    default Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return Optional.empty();
    }
}
