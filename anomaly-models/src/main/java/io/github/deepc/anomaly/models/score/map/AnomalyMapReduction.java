package io.github.deepc.anomaly.models.score.map;

import java.util.Locale;

/** How {@code anomaly-map} turns a per-pixel anomaly map into one score. */
public enum AnomalyMapReduction {
    /** The largest value over the valid pixels. */
    MAX("max"),
    /** The mean of the largest fraction of the valid pixels' values (rounded up, at least one pixel). */
    TOP_K_MEAN("top-k-mean");

    private final String word;

    AnomalyMapReduction(String word) {
        this.word = word;
    }

    /** @return the parameter value naming this reduction */
    public String word() {
        return word;
    }

    /**
     * @param text a parameter value ({@code max} or {@code top-k-mean}, case and surrounding blanks ignored)
     * @return the reduction
     * @throws IllegalArgumentException naming the known values for anything else
     */
    public static AnomalyMapReduction parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (AnomalyMapReduction r : values()) {
            if (r.word.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reduce '" + text + "', expected max or top-k-mean");
    }
}
