package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import java.util.Map;

/**
 * A stage provider whose stage learns parameters from the training normals, e.g. a reference histogram. When a
 * detector is fitted, each such stage of its pipeline receives the training images as they arrive at that stage
 * (earlier stages applied, training-only stages such as augmentation not) and returns its parameters with the learned
 * values filled in. Those values become part of the detector's configuration, so the saved detector file holds them
 * and reloading applies exactly the fitted stage.
 */
public interface FittedStageProvider extends StageProvider {
    /**
     * @param params the stage's parameters as configured (values by name, defaults not yet applied)
     * @return whether the stage still has to learn from the training images (false when the configuration already
     *         fixes the learned values, e.g. a reference given by the user)
     */
    boolean needsFit(Map<String, String> params);

    /**
     * @param params the stage's configured parameters
     * @param images a sample of the training normals as they arrive at this stage, at least one
     * @return the parameters with the learned values added; {@link #needsFit} must be false for them
     * @throws IllegalArgumentException when the images do not allow fitting (naming the stage and why)
     */
    Map<String, String> fit(Map<String, String> params, List<GrayImage> images);
}
