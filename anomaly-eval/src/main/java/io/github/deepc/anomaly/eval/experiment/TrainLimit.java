package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A cap on the number of training normals of a run, for learning curves: a number of images, or {@code "all"}. The
 * capped training part is a seeded choice of whole patients from the fold's training normals (the protocol seed, so
 * every method sees the same images, and smaller caps are subsets of larger ones).
 *
 * @param images the cap, or {@code null} for all
 */
public record TrainLimit(Integer images) {
    /** No cap. */
    public static final TrainLimit ALL = new TrainLimit(null);

    /** Requires a positive cap. */
    public TrainLimit {
        if (images != null && images < 1) {
            throw new IllegalArgumentException("a train limit must be at least 1 image or \"all\", got " + images);
        }
    }

    /**
     * @param value a JSON number or the word {@code all}
     * @return the limit
     * @throws IllegalArgumentException for anything else
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TrainLimit parse(Object value) {
        if (value instanceof Integer i) {
            return new TrainLimit(i);
        }
        if (value instanceof String s && s.trim().toLowerCase(Locale.ROOT).equals("all")) {
            return ALL;
        }
        if (value instanceof String s && s.trim().matches("\\d+")) {
            return new TrainLimit(Integer.parseInt(s.trim()));
        }
        throw new IllegalArgumentException("a train limit is a whole number of images or \"all\", got " + value);
    }

    /** @return whether this is no cap */
    public boolean isAll() {
        return images == null;
    }

    /** @return the JSON form: the number, or {@code "all"} */
    @JsonValue
    public Object json() {
        return images == null ? "all" : images;
    }

    @Override
    public String toString() {
        return images == null ? "all" : Integer.toString(images);
    }
}
