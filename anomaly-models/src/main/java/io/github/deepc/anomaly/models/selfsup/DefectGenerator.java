package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes seeded synthetic local defects on normal images, for training a network to find them: pasted patches of the
 * same image ({@link DefectKind#CUT_PASTE}), patches of another normal image blended in
 * ({@link DefectKind#FOREIGN_PATCH}), and brightness/contrast changes, blur or noise inside the region
 * ({@link DefectKind#INTENSITY}, {@link DefectKind#BLUR}, {@link DefectKind#NOISE}). Regions are irregular or thin
 * ellipses of log-uniform size ({@link DefectRegion}), placed on and restricted to the image's valid pixels; source
 * pixels are taken from valid pixels only.
 *
 * <p>The returned mask is exact: a pixel is in it if and only if its value changed, and every changed pixel changed by
 * at least {@code minChange} times the image's valid value range (smaller changes are reverted, so a faint blend is
 * not a target the network cannot see). When a draw changes no pixel by that much (a flat area, a weak strength), up
 * to {@value #ATTEMPTS} fresh regions are tried, after which the image comes back unchanged with an empty mask.
 *
 * <p>The input is never modified. Thread-safe (immutable); all randomness comes from the caller's seed or generator.
 */
public final class DefectGenerator {
    /** Draws tried before giving up on an image. */
    public static final int ATTEMPTS = 8;

    private final List<DefectKind> kinds;
    private final double minSize;
    private final double maxSize;
    private final double minChange;

    /**
     * @param kinds     the kinds to draw from (uniformly), at least one
     * @param minSize   smallest region (major axis) as a share of the image's shorter side, in (0, 1]
     * @param maxSize   largest region, in [minSize, 1]
     * @param minChange the smallest change that counts, as a share of the image's valid value range, in (0, 1)
     * @throws IllegalArgumentException naming the parameter that is out of range
     */
    public DefectGenerator(Set<DefectKind> kinds, double minSize, double maxSize, double minChange) {
        Objects.requireNonNull(kinds, "kinds");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("defect kinds must name at least one of " + DefectKind.words());
        }
        if (!(minSize > 0 && minSize <= 1)) {
            throw new IllegalArgumentException("min-defect-size must be in (0, 1], got " + minSize);
        }
        if (!(maxSize >= minSize && maxSize <= 1)) {
            throw new IllegalArgumentException("max-defect-size must be in [min-defect-size = " + minSize + ", 1], got "
                    + maxSize);
        }
        if (!(minChange > 0 && minChange < 1)) {
            throw new IllegalArgumentException("min-change must be in (0, 1), got " + minChange);
        }
        this.kinds = List.copyOf(EnumSet.copyOf(kinds));
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.minChange = minChange;
    }

    /** @return the kinds drawn from, in declaration order */
    public List<DefectKind> kinds() {
        return kinds;
    }

    /**
     * @param image a normal image with at least one valid pixel
     * @param donor another normal image of the same size for {@link DefectKind#FOREIGN_PATCH}, or {@code null} (that
     *              kind is then skipped)
     * @param seed  the seed; the same seed and images give the same defect
     * @return the changed image and its exact defect mask
     * @throws IllegalArgumentException for a donor of another size, an image without valid pixels, or when only
     *                                  foreign patches are asked for and there is no donor
     */
    public Defect generate(GrayImage image, GrayImage donor, long seed) {
        return generate(image, donor, new SplittableRandom(seed));
    }

    /**
     * As {@link #generate(GrayImage, GrayImage, long)}, drawing from a generator the caller advances.
     *
     * @param image a normal image
     * @param donor another normal image of the same size, or {@code null}
     * @param rng   randomness
     * @return the changed image and its exact defect mask
     */
    public Defect generate(GrayImage image, GrayImage donor, SplittableRandom rng) {
        Objects.requireNonNull(image, "image");
        int w = image.width();
        int h = image.height();
        if (donor != null && (donor.width() != w || donor.height() != h)) {
            throw new IllegalArgumentException("donor image is " + donor.width() + "x" + donor.height()
                    + ", the image " + w + "x" + h + "; foreign patches need images of one size");
        }
        List<DefectKind> usable = new ArrayList<>(kinds);
        if (donor == null || donor.validCount() == 0) {
            usable.remove(DefectKind.FOREIGN_PATCH);
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("foreign-patch defects need a donor image with valid pixels");
        }
        float[] in = image.unsafePixels();
        boolean[] valid = image.unsafeMask();
        float[] range = image.validRange();
        float span = range[1] > range[0] ? range[1] - range[0] : 1f;
        float threshold = (float) (minChange * span);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            DefectKind kind = usable.get(rng.nextInt(usable.size()));
            DefectRegion region = DefectRegion.random(w, h, valid, minSize, maxSize, rng);
            float[] out = in.clone();
            switch (kind) {
                case CUT_PASTE -> paste(image, image, region, 1.0, out, rng);
                case FOREIGN_PATCH -> paste(image, donor, region, 0.25 + 0.75 * rng.nextDouble(), out, rng);
                case INTENSITY -> LocalChanges.intensity(in, region, range, span, out, rng);
                case BLUR -> LocalChanges.blur(in, valid, w, h, region, out, rng);
                case NOISE -> LocalChanges.noise(in, region, range, span, out, rng);
            }
            boolean[] mask = new boolean[in.length];
            int changed = 0;
            for (int i = 0; i < in.length; i++) {
                // NaN compares false and is reverted too
                if (region.inside[i] && Math.abs(out[i] - in[i]) >= threshold) {
                    mask[i] = true;
                    changed++;
                } else {
                    out[i] = in[i];
                }
            }
            if (changed > 0) {
                return new Defect(GrayImage.wrap(w, h, out, valid.clone()), mask, kind);
            }
        }
        return new Defect(image, new boolean[in.length], null);
    }

    /**
     * Copies (alpha = 1) or blends a patch of {@code source} into the region: the region's pixels are mapped around a
     * random valid source centre through one of the 8 rotations by multiples of 90 degrees and mirrorings; pixels
     * whose source lies outside the image or on an invalid pixel keep their value.
     */
    private static void paste(GrayImage target, GrayImage source, DefectRegion region, double alpha, float[] out,
                              SplittableRandom rng) {
        int w = target.width();
        int h = target.height();
        float[] src = source.unsafePixels();
        boolean[] srcValid = source.unsafeMask();
        int[] sc = DefectRegion.randomValidPixel(srcValid, w, rng);
        int transform = rng.nextInt(8);
        float[] in = target.unsafePixels();
        for (int y = region.minY; y <= region.maxY; y++) {
            for (int x = region.minX; x <= region.maxX; x++) {
                int i = y * w + x;
                if (!region.inside[i]) {
                    continue;
                }
                int dx = x - region.centreX;
                int dy = y - region.centreY;
                if ((transform & 4) != 0) {
                    dx = -dx;
                }
                int rx;
                int ry;
                switch (transform & 3) {
                    case 0 -> { rx = dx; ry = dy; }
                    case 1 -> { rx = -dy; ry = dx; }
                    case 2 -> { rx = -dx; ry = -dy; }
                    default -> { rx = dy; ry = -dx; }
                }
                int sx = sc[0] + rx;
                int sy = sc[1] + ry;
                if (sx < 0 || sy < 0 || sx >= w || sy >= h || !srcValid[sy * w + sx]) {
                    continue;
                }
                out[i] = (float) ((1 - alpha) * in[i] + alpha * src[sy * w + sx]);
            }
        }
    }
}
