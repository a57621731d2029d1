package io.github.deepc.anomaly.models.support;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;

/**
 * The input checks every model makes, with one wording: training images must exist, be non-null and share one
 * size; images to infer on must be non-null and of the size the model was fitted on; pixel values must be finite.
 * Also the linear models' conversions between images and their flat double-precision form.
 */
public final class ImageChecks {
    private ImageChecks() {
    }

    /**
     * @param images training images
     * @return {height, width} of the images
     * @throws IllegalArgumentException for no images, a null image or images of differing sizes
     */
    public static int[] sameSize(List<GrayImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        GrayImage first = images.get(0);
        if (first == null) {
            throw new IllegalArgumentException("training image 0 is null");
        }
        int h = first.height();
        int w = first.width();
        for (int i = 1; i < images.size(); i++) {
            GrayImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("training image " + i + " is null");
            }
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("training image " + i + " is " + img.width() + "x" + img.height()
                        + " but image 0 is " + w + "x" + h + "; all training images must have one size");
            }
        }
        return new int[] {h, w};
    }

    /**
     * @param img    an image to infer on
     * @param index  its position in the batch, for the message
     * @param width  the width the model was fitted on
     * @param height the height the model was fitted on
     * @throws IllegalArgumentException for a null image or one of another size
     */
    public static void fittedSize(GrayImage img, int index, int width, int height) {
        if (img == null) {
            throw new IllegalArgumentException("image " + index + " is null");
        }
        if (img.width() != width || img.height() != height) {
            throw new IllegalArgumentException("image " + index + " is " + img.width() + "x" + img.height()
                    + " but the model was fitted on " + width + "x" + height + " images");
        }
    }

    /**
     * Copies an image's pixels, row-major, into {@code out}, invalid (masked-out) ones as 0: the flat form of the
     * linear models.
     *
     * @param img  the image
     * @param out  {@code width * height} values, overwritten
     * @param what the image's name for the message, e.g. {@code "training image 3"}
     * @throws IllegalArgumentException for a non-finite pixel value
     */
    public static void flatten(GrayImage img, double[] out, String what) {
        requireFinite(img, what);
        float[] px = img.unsafePixels();
        boolean[] valid = img.unsafeMask();
        for (int i = 0; i < px.length; i++) {
            out[i] = valid[i] ? px[i] : 0;
        }
    }

    /**
     * @param img  the image
     * @param what the image's name for the message, e.g. {@code "training image 3"}
     * @throws IllegalArgumentException for a non-finite pixel value (invalid pixels included, as {@link #flatten})
     */
    public static void requireFinite(GrayImage img, String what) {
        for (float v : img.unsafePixels()) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + " has a non-finite pixel value " + v);
            }
        }
    }

    /**
     * The way back from the linear models' double-precision flat form to a model output's floats (reconstructions,
     * coefficients).
     *
     * @param values the values
     * @return them as floats
     */
    public static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
