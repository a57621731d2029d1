package io.github.deepc.anomaly.core.spi;

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
}
