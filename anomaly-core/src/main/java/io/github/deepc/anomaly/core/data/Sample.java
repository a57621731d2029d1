package io.github.deepc.anomaly.core.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image of a data set: where it lives, whose it is and, when known, whether it is normal.
 *
 * @param id        unique id within the data set (by default the path relative to the data set root)
 * @param path      the image file
 * @param patientId the patient the image belongs to (used to keep patients on one side of a split)
 * @param className the class folder it came from, or {@code ""} when unknown
 * @param label     ground truth
 */
public record Sample(String id, Path path, String patientId, String className, Label label) {
    /** Validates the fields. */
    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(label, "label");
    }

    /** @return whether the sample is known to be abnormal */
    public boolean isAbnormal() {
        return label == Label.ABNORMAL;
    }
}
