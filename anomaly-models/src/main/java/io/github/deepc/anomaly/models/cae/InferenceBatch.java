package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.spi.ParameterSpec;

/**
 * The {@value #PARAMETER} parameter the deep models share: how many images one inference pass of the direct engine
 * computes. The default, {@value #INDEPENDENT}, makes an image's outputs (and so its score) independent of the images
 * scored with it, bit for bit: ND4J's BLAS rounds a matrix product's elements differently for different column counts
 * and column positions (measured with its bundled OpenBLAS 0.3.19: 7-45 % of one image's elements differ by an ulp
 * between a product alone and one beside other images), so batched passes tie a score's last bits to its neighbours.
 * Larger values score 2-5x faster (more columns per product, fewer passes) and give the same results to float
 * rounding; scores then stay reproducible for the same images in the same order and batch size. The inference
 * network holds its working matrices for that many images, so memory grows with the value (measured at 64 px with 64
 * per pass: alpha-gan's resident memory about 1 GiB above one per pass; choose smaller values for large images).
 * Training is not affected.
 */
public final class InferenceBatch {
    /** The parameter's name. */
    public static final String PARAMETER = "inference-batch";
    /** One image per pass: scores independent of the batch (the default). */
    public static final int INDEPENDENT = 1;
    /** The largest value. */
    public static final int MAX = 1024;

    private InferenceBatch() {
    }

    /** @return the declaration of {@value #PARAMETER}, default {@value #INDEPENDENT} */
    public static ParameterSpec spec() {
        return ParameterSpec.ofInt(PARAMETER, INDEPENDENT, 1, MAX, "images per inference pass: 1 makes every score "
                + "independent of the images scored with it (bit for bit); larger values score 2-5x faster with "
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
