package io.github.deepc.anomaly.models.cae;

import java.util.Objects;

/**
 * A convolutional autoencoder trained with a masked MSE on normal images; its output is the reconstruction.
 *
 * <p>The {@code reference} architecture reproduces {@code reference_cae.py}: three stride-2 3x3 convolutions
 * (1&rarr;32&rarr;64&rarr;128, padding 1, ReLU) and three stride-2 3x3 transposed convolutions back
 * (128&rarr;64&rarr;32&rarr;1, padding 1, output padding 1, ReLU, final sigmoid), 185,217 parameters, PyTorch's
 * default initialisation, Adam. The {@code custom} architecture is any {@link ConvLayout} (depth, channels, kernel,
 * output activation). The loss is the per-image masked mean squared error over valid pixels
 * ({@code sum((out - x)^2 * mask) / max(sum(mask), 1)}), averaged over the batch.
 *
 * <p>Without a bottleneck the code of the reference network (8x8x128 at 64x64) holds more values than the input:
 * the network can learn close to the identity, and its reconstruction error then measures texture more than
 * abnormality. {@link BottleneckCaeModel} adds a dense bottleneck.
 *
 * <p>Trained and run by the library's own convolution engine ({@link CaeEngine#DIRECT}, the default) or by SameDiff
 * ({@link CaeEngine#SAMEDIFF}), see {@link TrainingOptions#engine()}. See {@code ConvAutoencoder} for training
 * (seeded, optional validation and early stopping), the state format and threading. Image sides must be multiples of
 * {@code 2^depth} (8 for the reference).
 */
public final class CaeModel extends ConvAutoencoder {
    /** "CAE" + 0x1A, the first four bytes of a saved state. */
    static final int MAGIC = 0x4341451A;
    /** Version of the saved-state format: {@link ConvAutoencoder#STORE_FORMAT_VERSION}. */
    static final int FORMAT_VERSION = ConvAutoencoder.STORE_FORMAT_VERSION;

    private final String architecture;

    /**
     * A model of a named architecture without validation.
     *
     * @param architecture architecture name, {@code reference}
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @throws IllegalArgumentException for an unknown architecture or a value out of range
     */
    public CaeModel(String architecture, int epochs, int batchSize, double learningRate) {
        this(architecture, fixedLayout(architecture), TrainingOptions.of(epochs, batchSize, learningRate));
    }

    private static ConvLayout fixedLayout(String architecture) {
        if (CaeGraph.CUSTOM.equals(Objects.requireNonNull(architecture, "architecture"))) {
            throw new IllegalArgumentException("architecture '" + CaeGraph.CUSTOM + "' needs a layout: use "
                    + "CaeModel(String, ConvLayout, TrainingOptions)");
        }
        return CaeGraph.layout(architecture);
    }

    /**
     * @param architecture {@code reference} (then {@code layout} must be {@link ConvLayout#REFERENCE}) or
     *                     {@code custom}
     * @param layout       encoder and decoder
     * @param training     training options
     * @throws IllegalArgumentException for an unknown architecture or a reference architecture with another layout
     */
    public CaeModel(String architecture, ConvLayout layout, TrainingOptions training) {
        super(AutoencoderSpec.plain(checkLayout(architecture, layout)), training, "CAE", MAGIC);
        this.architecture = architecture;
    }

    private static ConvLayout checkLayout(String architecture, ConvLayout layout) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(layout, "layout");
        if (CaeGraph.CUSTOM.equals(architecture)) {
            return layout;
        }
        ConvLayout fixed = CaeGraph.layout(architecture);
        if (!fixed.equals(layout)) {
            throw new IllegalArgumentException("architecture=" + architecture + " fixes depth=" + fixed.depth()
                    + ", channels=" + fixed.channels() + ", kernel=" + fixed.kernel() + ", output-activation="
                    + fixed.output().word() + "; use architecture=" + CaeGraph.CUSTOM + " for " + layout.describe());
        }
        return layout;
    }

    /** @return the architecture name, {@code reference} or {@code custom} */
    public String architecture() {
        return architecture;
    }

    /** @return the number of trainable parameters of this model's architecture (it does not depend on the size) */
    public long parameterCount() {
        int s = layout().stride();
        return parameterCount(s, s);
    }

    /** The reference architecture is saved as {@code reference}, as in format 1 from the start. */
    @Override
    String descriptor() {
        return CaeGraph.CUSTOM.equals(architecture) ? CaeGraph.CUSTOM + ":" + layout().describe() : architecture;
    }

    @Override
    String describeParameters() {
        return CaeGraph.CUSTOM.equals(architecture) ? CaeGraph.CUSTOM + " " + layout().describe() : architecture;
    }
}
