package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.spi.ParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #PARAMETER} parameter the deep models share: how many images one inference pass of the direct engine
 * computes. The default, {@value #INDEPENDENT}, makes an image's outputs (and so its score) independent of the images
 * scored with it, bit for bit: a blocked sgemm rounds a matrix product's elements differently for different column
 * counts and column positions (measured with ND4J's bundled OpenBLAS 0.3.19: 7-45 % of one image's elements differ by
 * an ulp between a product alone and one beside other images), so batched passes tie a score's last bits to their
 * neighbours. Larger values score 1.4-5x faster (more columns per product, fewer passes) and give the same results to
 * float rounding; scores then stay reproducible for the same images in the same order and batch size. The inference
 * network holds its working matrices for that many images, so memory grows with the value (measured at 64 px with 64
 * per pass: alpha-gan's resident memory up to 0.6 GiB above one per pass). {@link #imagesPerPass} guards it: where a
 * pass's working matrices would take more than a quarter of the maximum Java heap (they are held once more natively),
 * the model computes as many images per pass as fit and logs a warning naming the parameter. Training is not affected.
 */
public final class InferenceBatch {
    /** The parameter's name. */
    public static final String PARAMETER = "inference-batch";
    /** One image per pass: scores independent of the batch (the default). */
    public static final int INDEPENDENT = 1;
    /** The largest value. */
    public static final int MAX = 1024;

    /** Share of the maximum Java heap one pass's working matrices may take (their native copy is as large again). */
    static final int HEAP_DIVISOR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(InferenceBatch.class);

    private InferenceBatch() {
    }

    /**
     * The images an inference network should hold per pass: {@code requested}, or fewer (at least one) where their
     * working matrices would take more than a quarter of the maximum Java heap, with a warning naming the parameter.
     *
     * @param model         the model's id, for the warning
     * @param requested     the configured {@value #PARAMETER}
     * @param bytesPerImage the Java heap one image takes in the inference working matrices
     * @param width         image width, for the warning
     * @param height        image height, for the warning
     * @return images per pass, in [1, requested]
     */
    public static int imagesPerPass(String model, int requested, long bytesPerImage, int width, int height) {
        return imagesPerPass(model, requested, bytesPerImage, width, height,
                Runtime.getRuntime().maxMemory() / HEAP_DIVISOR);
    }

    /** {@link #imagesPerPass(String, int, long, int, int)} with an explicit budget in bytes. */
    static int imagesPerPass(String model, int requested, long bytesPerImage, int width, int height, long budget) {
        long fit = Math.max(1, budget / Math.max(1, bytesPerImage));
        if (fit >= requested) {
            return requested;
        }
        LOG.warn("{}: {}={} at {}x{} would hold about {} MiB of working matrices per pass, more than a quarter of the "
                + "maximum Java heap ({} MiB); computing {} images per pass instead (scores equal to float rounding; "
                + "raise -Xmx for larger passes)", model, PARAMETER, requested, width, height,
                (requested * bytesPerImage) >> 20, (budget * HEAP_DIVISOR) >> 20, fit);
        return (int) fit;
    }

    /** @return the declaration of {@value #PARAMETER}, default {@value #INDEPENDENT} */
    public static ParameterSpec spec() {
        return ParameterSpec.ofInt(PARAMETER, INDEPENDENT, 1, MAX, "images per inference pass: 1 makes every score "
                + "independent of the images scored with it (bit for bit); larger values score 1.4-5x faster with "
                + "results equal to float rounding");
    }

    /**
     * @param model the model's id, for the message, or empty
     * @param value the value to check
     * @return {@code value}
     * @throws IllegalArgumentException naming the (model's) parameter when the value is outside [1, {@value #MAX}]
     */
    public static int check(String model, int value) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("parameter " + (model.isEmpty() ? "" : model + ".") + PARAMETER
                    + " must be in [1, " + MAX + "], got " + value);
        }
        return value;
    }
}
