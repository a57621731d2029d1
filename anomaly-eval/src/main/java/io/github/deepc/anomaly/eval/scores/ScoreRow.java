package io.github.deepc.anomaly.eval.scores;

import io.github.deepc.anomaly.core.data.Label;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One scored image, as in a scores CSV.
 *
 * @param path     the image
 * @param patient  patient id
 * @param label    ground truth ({@link Label#UNKNOWN} for unlabelled input)
 * @param score    outlier score
 * @param decision 1 (called abnormal) or 0 (called normal) by the detector's threshold, or {@link #NO_DECISION}
 *                 when the detector has no threshold
 */
public record ScoreRow(String path, String patient, Label label, double score, int decision) {
    /** The {@code decision} of a row scored without a threshold. */
    public static final int NO_DECISION = -1;

    /** Validates the fields. */
    public ScoreRow {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(label, "label");
        if (decision < NO_DECISION || decision > 1) {
            throw new IllegalArgumentException("decision must be 0, 1 or " + NO_DECISION + ", got " + decision);
        }
    }

    /**
     * A row without a decision.
     *
     * @param path    the image
     * @param patient patient id
     * @param label   ground truth
     * @param score   outlier score
     */
    public ScoreRow(String path, String patient, Label label, double score) {
        this(path, patient, label, score, NO_DECISION);
    }

    /** @return the 0/1 decision, empty when the row has none */
    public OptionalInt decisionIfAny() {
        return decision == NO_DECISION ? OptionalInt.empty() : OptionalInt.of(decision);
    }
}
