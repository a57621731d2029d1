package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.image.ValueRange;
import java.util.Optional;

/**
 * What a model needs of its input images, declared by its provider
 * ({@link io.github.deepc.anomaly.core.spi.ModelProvider#inputRequirements}) and checked when a detector is built,
 * like the outputs a scorer needs: a pipeline that brings images to a side the model cannot take fails at once,
 * naming the requirement, rather than after the whole data set was preprocessed.
 *
 * <p>Two requirements: the image side ({@link #sideMultiple}) and the pixel value range ({@link #valueRange}, e.g.
 * [0, 1] for a network whose output goes through a sigmoid). The value range is checked against what the pipeline's
 * stages declare they output ({@link io.github.deepc.anomaly.core.spi.StageProvider#outputRange}); where a stage does
 * not declare it, the pipeline's range is unknown and not checked.
 *
 * @param sideMultiple   image sides must be positive multiples of this (1: any side)
 * @param why            why, for the message (e.g. "3 stride-2 convolution stages halve the image 3 times")
 * @param valueRange     the range every input pixel must lie in, or {@code null} for any range
 * @param rangeParameter the model parameter setting that fixes {@code valueRange}, for the message (e.g.
 *                       {@code output-activation=sigmoid}); empty when none does
 */
public record InputRequirements(int sideMultiple, String why, ValueRange valueRange, String rangeParameter) {
    /** No requirement. */
    public static final InputRequirements ANY = new InputRequirements(1, "");

    /** Checks the multiple. */
    public InputRequirements {
        if (sideMultiple < 1) {
            throw new IllegalArgumentException("sideMultiple must be at least 1, got " + sideMultiple);
        }
        why = why == null ? "" : why;
        rangeParameter = rangeParameter == null ? "" : rangeParameter;
    }

    /**
     * A side requirement only, any value range (the form before value ranges were declared; kept for providers
     * written against it).
     *
     * @param sideMultiple image sides must be positive multiples of this (1: any side)
     * @param why          why, for the message
     */
    public InputRequirements(int sideMultiple, String why) {
        this(sideMultiple, why, null, "");
    }

    /**
     * @param range     the range every input pixel must lie in
     * @param parameter the model parameter setting that asks for it, e.g. {@code range=symmetric}
     * @return these requirements plus the value range
     */
    public InputRequirements withValueRange(ValueRange range, String parameter) {
        if (range == null) {
            throw new IllegalArgumentException("range must not be null (leave the value range out for any range)");
        }
        return new InputRequirements(sideMultiple, why, range, parameter);
    }

    /**
     * @param pipelineRange the range the pipeline's last stage guarantees
     * @return what is wrong with it (the needed and the given range, and the model parameter), or empty when it fits or
     *         the model takes any range
     */
    public Optional<String> rangeViolation(ValueRange pipelineRange) {
        if (valueRange == null || pipelineRange.within(valueRange)) {
            return Optional.empty();
        }
        return Optional.of("needs pixel values in " + valueRange
                + (rangeParameter.isEmpty() ? "" : " (parameter " + rangeParameter + ")") + ", but the pipeline gives "
                + pipelineRange);
    }

    /**
     * @param multiple image sides must be multiples of this
     * @param why      why
     * @return the requirement
     */
    public static InputRequirements sidesMultipleOf(int multiple, String why) {
        return new InputRequirements(multiple, why);
    }

    /**
     * @param depth number of stride-2 (halving) stages of a convolutional network
     * @return sides must be multiples of {@code 2^depth}
     */
    public static InputRequirements halvingStages(int depth) {
        return sidesMultipleOf(1 << depth, depth + " stride-2 convolution stages");
    }

    /**
     * @param side a square image side
     * @return what is wrong with it, with the nearest sides that would do, or empty when the model takes it
     */
    public Optional<String> violation(int side) {
        if (side >= sideMultiple && side % sideMultiple == 0) {
            return Optional.empty();
        }
        int below = side / sideMultiple * sideMultiple;
        int above = below + sideMultiple;
        String nearest = below >= sideMultiple ? below + " or " + above : Integer.toString(above);
        return Optional.of("image sides must be multiples of " + sideMultiple + (why.isEmpty() ? "" : " (" + why + ")")
                + ", got " + side + "; e.g. " + nearest);
    }
}
