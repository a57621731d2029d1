package io.github.deepc.anomaly.models.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What fixes the shapes of a GAN's networks: input size, widths, latent size and the optional layers. Four
 * stride-2 stages lead from the image to the smallest feature map, so both sides must be multiples of
 * {@value #STRIDE}; self-attention sits at a quarter of the input size (16x16 for 64x64 images).
 *
 * @param height       image height, a multiple of {@value #STRIDE}
 * @param width        image width, a multiple of {@value #STRIDE}
 * @param channels     feature maps after the first stage; they double per stage up to 8x
 * @param latent       latent vector size
 * @param attention    self-attention layers in generator, encoder and image discriminator
 * @param spectralNorm spectral normalisation of the discriminators' weights
 * @param range        pixel range, fixing the generator's output activation
 */
record GanArchitecture(int height, int width, int channels, int latent, boolean attention, boolean spectralNorm,
                       PixelRange range) {
    /** Number of stride-2 stages between image and smallest feature map. */
    static final int STAGES = 4;
    /** Total down-sampling factor; input sides must be multiples of it. */
    static final int STRIDE = 1 << STAGES;
    /** Largest input side accepted. */
    static final int MAX_SIDE = 1 << 14;

    /** Checks the sizes. */
    GanArchitecture {
        checkSides(height, width);
    }

    /**
     * @param height image height
     * @param width  image width
     * @throws IllegalArgumentException unless both are positive multiples of {@value #STRIDE}
     */
    static void checkSides(int height, int width) {
        if (height < STRIDE || width < STRIDE || height % STRIDE != 0 || width % STRIDE != 0
                || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("GAN input sides must be multiples of " + STRIDE + " (" + STAGES
                    + " stride-2 stages), got " + width + "x" + height);
        }
    }

    /**
     * @param config hyper-parameters
     * @param height image height
     * @param width  image width
     * @param attention    whether the model uses self-attention
     * @param spectralNorm whether the model normalises its discriminators spectrally
     * @return the architecture
     */
    static GanArchitecture of(GanConfig config, int height, int width, boolean attention, boolean spectralNorm) {
        return new GanArchitecture(height, width, config.channels(), config.latent(), attention, spectralNorm,
                config.range());
    }

    /**
     * @param sd   a graph
     * @param name placeholder name
     * @return a placeholder for a batch of images of this size, {@code [b, 1, H, W]}
     */
    SDVariable imageBatch(SameDiff sd, String name) {
        return sd.placeHolder(name, DataType.FLOAT, -1, 1, height, width);
    }

    /**
     * @param sd   a graph
     * @param name placeholder name
     * @return a placeholder for a batch of latent vectors, {@code [b, latent]}
     */
    SDVariable latentBatch(SameDiff sd, String name) {
        return sd.placeHolder(name, DataType.FLOAT, -1, latent);
    }

    /** @return height of the smallest feature map */
    long bottomHeight() {
        return height >> STAGES;
    }

    /** @return width of the smallest feature map */
    long bottomWidth() {
        return width >> STAGES;
    }

    /** @return widest feature-map count, at the smallest map */
    long topChannels() {
        return 8L * channels;
    }

    /** @return size of the flattened smallest feature map */
    long flatFeatures() {
        return topChannels() * bottomHeight() * bottomWidth();
    }
}
