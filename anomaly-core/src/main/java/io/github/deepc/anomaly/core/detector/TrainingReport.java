package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.model.TrainingSummary;
import java.util.List;

/**
 * What {@link AnomalyDetector#fit} did.
 *
 * @param summary  the model's training figures
 * @param failures training images that could not be loaded or preprocessed (skipped)
 */
public record TrainingReport(TrainingSummary summary, List<ItemFailure> failures) {
    /** Copies the failures. */
    public TrainingReport {
        failures = List.copyOf(failures);
    }
}
