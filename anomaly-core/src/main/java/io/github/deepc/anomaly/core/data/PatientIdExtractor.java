package io.github.deepc.anomaly.core.data;

import java.nio.file.Path;

/**
 * Derives a patient id from an image's path, so that splits can keep each patient's images together.
 * Implement it for naming schemes that {@link PatientIds} does not know.
 */
@FunctionalInterface
public interface PatientIdExtractor {
    /**
     * @param root the data set root
     * @param file the image file below {@code root}
     * @return the patient id, never empty
     */
    String patientId(Path root, Path file);
}
