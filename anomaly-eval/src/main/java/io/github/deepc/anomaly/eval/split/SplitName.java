package io.github.deepc.anomaly.eval.split;

import java.util.Arrays;
import java.util.Locale;

/** The part of an experiment's data a sample belongs to. */
public enum SplitName {
    /** Normal images the model is fitted on. */
    TRAIN,
    /** Held-out images for choosing (thresholds, models): normals and abnormals. */
    VALIDATION,
    /** Held-out images for the reported figures: normals and abnormals. */
    TEST,
    /** Images the protocol does not use (unlabelled ones; abnormal images of a training folder). */
    UNUSED;

    /** @return the lowercase word used in split files */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param word a split word as written by {@link #word()} (case-insensitive)
     * @return the split
     * @throws IllegalArgumentException naming the word and the allowed ones
     */
    public static SplitName parse(String word) {
        for (SplitName s : values()) {
            if (s.word().equalsIgnoreCase(word.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + word + "'; expected one of "
                + Arrays.stream(values()).map(SplitName::word).toList());
    }
}
