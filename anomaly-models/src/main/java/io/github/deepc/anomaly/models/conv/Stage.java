package io.github.deepc.anomaly.models.conv;

import java.util.Objects;

/**
 * One stride-2 stage of a {@link DirectAutoencoder}: a {@code k x k} convolution with padding {@code (k - 1) / 2}
 * that halves the sides, or a transposed one with output padding 1 that doubles them (PyTorch's
 * {@code Conv2d(in, out, k, stride=2, padding=(k-1)/2)} and
 * {@code ConvTranspose2d(in, out, k, stride=2, padding=(k-1)/2, output_padding=1)}), followed by an activation.
 * An even kernel (the GANs' 4x4, padding 1) has padding {@code k / 2 - 1}, the same {@code (k - 1) / 2} in integer
 * arithmetic, and its transpose needs no output padding: both still halve or double the sides exactly, with the
 * same index mapping ({@link StrideTwoGrid}).
 *
 * @param transposed whether the stage doubles rather than halves the sides
 * @param in         input channels, at least 1
 * @param out        output channels, at least 1
 * @param kernel     kernel side, at least 1
 * @param activation activation after the stage
 */
public record Stage(boolean transposed, int in, int out, int kernel, Activation activation) {
    /** Checks the values. */
    public Stage {
        Objects.requireNonNull(activation, "activation");
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got in=" + in + ", out=" + out);
        }
        if (kernel < 1) {
            throw new IllegalArgumentException("kernel must be at least 1, got " + kernel);
        }
    }

    /** @return the weight count, {@code in * out * kernel^2} */
    int weightCount() {
        return in * out * kernel * kernel;
    }
}
