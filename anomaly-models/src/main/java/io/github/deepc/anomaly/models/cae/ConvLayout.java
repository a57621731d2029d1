package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import java.util.Objects;

/**
 * The convolutional encoder and decoder shared by the autoencoder models ({@code cae}, {@code bottleneck-cae},
 * {@code vae}): {@code depth} stride-2 {@code kernel x kernel} convolutions with padding {@code (kernel - 1) / 2} and
 * ReLU, the first with {@code channels} output channels and each further one doubling them; the decoder mirrors them
 * with stride-2 transposed convolutions (output padding 1, so every stage exactly doubles the sides), ReLU between
 * stages and {@code output} after the last one. Image sides must be multiples of {@code 2^depth}.
 *
 * <p>{@link #REFERENCE} is the network of {@code reference_cae.py}: depth 3, channels 32, kernel 3, sigmoid output.
 *
 * @param depth    number of stride-2 stages in the encoder (and the decoder), {@value #MIN_DEPTH} to {@value #MAX_DEPTH}
 * @param channels output channels of the first encoder stage, 1 to {@value #MAX_CHANNELS}; doubled per stage
 * @param kernel   convolution kernel side, 3 or 5
 * @param output   activation of the reconstruction, {@link Activation#SIGMOID} or {@link Activation#LINEAR}
 */
public record ConvLayout(int depth, int channels, int kernel, Activation output) {
    /** Smallest number of stages. */
    public static final int MIN_DEPTH = 2;
    /** Largest number of stages. */
    public static final int MAX_DEPTH = 5;
    /** Largest number of first-stage channels. */
    public static final int MAX_CHANNELS = 256;
    /** The layout of {@code reference_cae.py}: 1&rarr;32&rarr;64&rarr;128, 3x3 kernels, sigmoid output. */
    public static final ConvLayout REFERENCE = new ConvLayout(3, 32, 3, Activation.SIGMOID);

    /**
     * @param word {@code sigmoid} (reconstructions in (0, 1), for images normalised to [0, 1]) or {@code linear}
     *             (unbounded, for other normalisations), any case
     * @return the output activation
     * @throws IllegalArgumentException for another word
     */
    public static Activation parseOutput(String word) {
        String w = Objects.requireNonNull(word, "word").trim();
        for (Activation a : new Activation[] {Activation.SIGMOID, Activation.LINEAR}) {
            if (a.word().equalsIgnoreCase(w)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown output activation '" + word + "'; known: sigmoid, linear");
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ConvLayout {
        Objects.requireNonNull(output, "output");
        if (output == Activation.RELU) {
            throw new IllegalArgumentException("output activation must be sigmoid or linear, got relu");
        }
        if (depth < MIN_DEPTH || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be in [" + MIN_DEPTH + ", " + MAX_DEPTH + "], got " + depth);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be in [1, " + MAX_CHANNELS + "], got " + channels);
        }
        if (kernel != 3 && kernel != 5) {
            throw new IllegalArgumentException("kernel must be 3 or 5, got " + kernel);
        }
    }

    /** @return the total downsampling factor {@code 2^depth}; image sides must be multiples of it */
    public int stride() {
        return 1 << depth;
    }

    /** @return the channels of the encoder's last stage, {@code channels * 2^(depth - 1)} */
    public int codeChannels() {
        return channels << (depth - 1);
    }

    /** @return a compact description, e.g. {@code depth=3,channels=32,kernel=3,output=sigmoid} */
    public String describe() {
        return "depth=" + depth + ",channels=" + channels + ",kernel=" + kernel + ",output=" + output.word();
    }
}
