package io.github.deepc.anomaly.core.model;

import java.util.Optional;

/**
 * What a model needs of its input images, declared by its provider
 * ({@link io.github.deepc.anomaly.core.spi.ModelProvider#inputRequirements}) and checked when a detector is built,
 * like the outputs a scorer needs: a pipeline that brings images to a side the model cannot take fails at once,
 * naming the requirement, rather than after the whole data set was preprocessed.
 *
 * @param sideMultiple image sides must be positive multiples of this (1: any side)
 * @param why          why, for the message (e.g. "3 stride-2 convolution stages halve the image 3 times")
 */
public record InputRequirements(int sideMultiple, String why) {
    /** No requirement. */
    public static final InputRequirements ANY = new InputRequirements(1, "");

    /** Checks the multiple. */
    public InputRequirements {
        if (sideMultiple < 1) {
            throw new IllegalArgumentException("sideMultiple must be at least 1, got " + sideMultiple);
        }
        why = why == null ? "" : why;
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
