package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A decision threshold on outlier scores, stored with a detector: a score at or above {@link #value()} is called
 * abnormal (decision 1), a lower one normal (decision 0). This is the convention of the ROC and precision-recall
 * curves of {@code anomaly-eval} ("called positive when score {@code >=} threshold").
 *
 * @param value       the threshold, finite
 * @param method      how it was chosen, one short word such as {@code f1}, {@code fpr} or {@code fixed}
 * @param description a human sentence on how it was chosen (data, target, figure reached), possibly empty
 */
public record Threshold(@JsonProperty("value") double value,
                        @JsonProperty("method") String method,
                        @JsonProperty("description") String description) {
    /** Validates the value and the method. */
    public Threshold {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("threshold value must be finite, got " + value);
        }
        Objects.requireNonNull(method, "method");
        if (method.isBlank()) {
            throw new IllegalArgumentException("threshold method must not be blank");
        }
        description = description == null ? "" : description;
    }

    /**
     * @param value the threshold
     * @return a threshold set by hand (method {@code fixed})
     */
    public static Threshold fixed(double value) {
        return new Threshold(value, "fixed", "fixed value " + value);
    }

    /**
     * @param score an outlier score
     * @return whether the score is called abnormal ({@code score >= value})
     */
    public boolean isAbnormal(double score) {
        return score >= value;
    }

    /**
     * @param score an outlier score
     * @return 1 when the score is called abnormal, else 0
     */
    public int decision(double score) {
        return isAbnormal(score) ? 1 : 0;
    }

    @Override
    public String toString() {
        return value + " (" + method + (description.isEmpty() ? "" : ": " + description) + ")";
    }
}
