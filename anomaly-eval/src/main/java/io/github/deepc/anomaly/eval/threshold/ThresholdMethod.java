package io.github.deepc.anomaly.eval.threshold;

import java.util.Arrays;
import java.util.Locale;

/** How a decision threshold is chosen (see {@link Thresholds}). */
public enum ThresholdMethod {
    /** The threshold that maximises F1 on validation. */
    F1,
    /** The lowest threshold whose false-positive rate on the validation normals stays within a target. */
    FPR,
    /** A value given by hand. */
    FIXED;

    /** @return the lowercase word used on the command line and in detector files */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param word {@code f1}, {@code fpr} or {@code fixed} (case-insensitive)
     * @return the method
     * @throws IllegalArgumentException naming the word and the allowed ones
     */
    public static ThresholdMethod parse(String word) {
        for (ThresholdMethod m : values()) {
            if (m.word().equalsIgnoreCase(word.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown threshold method '" + word + "'; expected one of "
                + Arrays.stream(values()).map(ThresholdMethod::word).toList());
    }
}
