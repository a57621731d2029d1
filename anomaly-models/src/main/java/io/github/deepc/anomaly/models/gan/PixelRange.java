package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The value range of the preprocessed images a GAN models, which fixes its generator's output activation: the
 * library's default pipeline normalises to {@link #UNIT} ([0, 1], sigmoid); {@code normalize range=symmetric} gives
 * {@link #SYMMETRIC} ([-1, 1], tanh). The words match the {@code normalize} stage's {@code range} parameter.
 */
public enum PixelRange implements Choice {
    /** [0, 1], generator output through a sigmoid. */
    UNIT("unit", 0f),
    /** [-1, 1], generator output through a tanh. */
    SYMMETRIC("symmetric", -1f);

    /** Slack for rounding when checking that pixel values lie in the range. */
    private static final float SLACK = 1e-4f;

    private final String word;
    private final float lower;

    PixelRange(String word, float lower) {
        this.word = word;
        this.lower = lower;
    }

    /** @return the parameter word, e.g. {@code unit} */
    public String word() {
        return word;
    }

    /** @return the smallest pixel value: 0 or -1 */
    public float lower() {
        return lower;
    }

    /** @return the largest pixel value: 1 */
    public float upper() {
        return 1f;
    }

    /**
     * @param value a pixel value
     * @return whether it lies in the range (with a little slack for rounding)
     */
    boolean contains(float value) {
        return value >= lower - SLACK && value <= upper() + SLACK;
    }

    /**
     * @param sd  the graph
     * @param pre pre-activation values
     * @return the values squashed into this range
     */
    SDVariable activate(SameDiff sd, SDVariable pre) {
        return this == UNIT ? sd.nn().sigmoid(pre) : sd.nn().tanh(pre);
    }

    /**
     * @param word a parameter word
     * @return the range it names
     * @throws IllegalArgumentException for an unknown word, listing the known ones
     */
    public static PixelRange of(String word) {
        return Choices.parse(PixelRange.class, "range", word);
    }
}
