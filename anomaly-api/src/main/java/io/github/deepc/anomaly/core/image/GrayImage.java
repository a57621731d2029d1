package io.github.deepc.anomaly.core.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A single-channel float image together with its mask of valid pixels.
 *
 * <p>Pixels are stored row-major ({@code pixels[y * width + x]}). The mask marks which pixels carry
 * image content ({@code true}) as opposed to padding or removed background ({@code false}); every
 * preprocessing stage keeps it consistent with the pixels, and losses and scores only look at valid
 * pixels. Instances are immutable: the arrays are copied on the way in and out, except through the
 * explicitly named {@code unsafe} accessors used on hot paths.
 */
public final class GrayImage {
    private final int width;
    private final int height;
    private final float[] pixels;
    private final boolean[] mask;

    private GrayImage(int width, int height, float[] pixels, boolean[] mask) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.mask = mask;
    }

    /**
     * Creates an image, copying both arrays.
     *
     * @param width  width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param pixels {@code width * height} values, row-major
     * @param mask   {@code width * height} validity flags, or {@code null} for "all valid"
     * @return the image
     * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
     */
    public static GrayImage of(int width, int height, float[] pixels, boolean[] mask) {
        checkShape(width, height, pixels, mask);
        boolean[] m = mask == null ? allValid(width * height) : mask.clone();
        return new GrayImage(width, height, pixels.clone(), m);
    }

    /**
     * Wraps the arrays without copying; the caller hands over ownership and must not change them later.
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param pixels row-major values, owned by the image from now on
     * @param mask   validity flags owned by the image from now on, or {@code null} for "all valid"
     * @return the image
     */
    public static GrayImage wrap(int width, int height, float[] pixels, boolean[] mask) {
        checkShape(width, height, pixels, mask);
        return new GrayImage(width, height, pixels, mask == null ? allValid(width * height) : mask);
    }

    /**
     * An image of one constant value, all pixels valid.
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param value  the value of every pixel
     * @return the image
     */
    public static GrayImage filled(int width, int height, float value) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        float[] p = new float[width * height];
        Arrays.fill(p, value);
        return new GrayImage(width, height, p, allValid(p.length));
    }

    private static void checkShape(int width, int height, float[] pixels, boolean[] mask) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        long n = (long) width * height;
        if (pixels.length != n) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, expected width*height=" + n);
        }
        if (mask != null && mask.length != n) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected width*height=" + n);
        }
    }

    private static boolean[] allValid(int n) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, true);
        return m;
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /** @return number of pixels, {@code width * height} */
    public int size() {
        return pixels.length;
    }

    /**
     * @param x column
     * @param y row
     * @return the value at (x, y)
     */
    public float get(int x, int y) {
        return pixels[y * width + x];
    }

    /**
     * @param x column
     * @param y row
     * @return whether (x, y) is a valid (content) pixel
     */
    public boolean isValid(int x, int y) {
        return mask[y * width + x];
    }

    /** @return a copy of the pixels, row-major */
    public float[] pixels() {
        return pixels.clone();
    }

    /** @return a copy of the validity mask, row-major */
    public boolean[] mask() {
        return mask.clone();
    }

    /**
     * The internal pixel array, not copied. Read-only by contract: for hot paths that would otherwise copy.
     *
     * @return the backing pixel array; do not modify
     */
    public float[] unsafePixels() {
        return pixels;
    }

    /**
     * The internal mask array, not copied. Read-only by contract.
     *
     * @return the backing mask array; do not modify
     */
    public boolean[] unsafeMask() {
        return mask;
    }

    /** @return the number of valid pixels */
    public int validCount() {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param newPixels replacement pixels of the same shape
     * @return an image with these pixels and this image's mask
     */
    public GrayImage withPixels(float[] newPixels) {
        return of(width, height, newPixels, mask);
    }

    /**
     * @param newMask replacement mask of the same shape
     * @return an image with these mask flags and this image's pixels
     */
    public GrayImage withMask(boolean[] newMask) {
        return of(width, height, pixels, newMask);
    }

    /** @return smallest and largest value over the valid pixels ({0, 0} when none is valid) */
    public float[] validRange() {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < pixels.length; i++) {
            if (mask[i]) {
                lo = Math.min(lo, pixels[i]);
                hi = Math.max(hi, pixels[i]);
            }
        }
        return lo > hi ? new float[] {0f, 0f} : new float[] {lo, hi};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height
                && Arrays.equals(g.pixels, pixels) && Arrays.equals(g.mask, mask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + ", valid=" + validCount() + "]";
    }
}
