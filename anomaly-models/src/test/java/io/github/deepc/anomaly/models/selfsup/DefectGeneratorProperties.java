package io.github.deepc.anomaly.models.selfsup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The defect generator's contract on random images, masks, donors and kind sets: the mask is exactly the set of
 * changed pixels and each of them changed by at least the minimum change; pixels outside the valid mask are never
 * touched; the same seed gives the same defect; the input is never modified.
 */
class DefectGeneratorProperties {
    static final double MIN_CHANGE = 0.02;

    /** A smooth random image (sum of a few random waves plus noise) so that pasted patches differ from the target. */
    static GrayImage randomImage(int w, int h, long seed, boolean withInvalid) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        boolean[] m = new boolean[w * h];
        double fx = r.nextDouble(0.1, 1.5);
        double fy = r.nextDouble(0.1, 1.5);
        double ph = r.nextDouble(0, 6.3);
        double cx = r.nextDouble(0, w);
        double cy = r.nextDouble(0, h);
        double rad = r.nextDouble(0.3, 1.0) * Math.max(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                p[i] = (float) (0.5 + 0.3 * Math.sin(fx * x + fy * y + ph) + 0.1 * r.nextDouble());
                m[i] = !withInvalid || Math.hypot(x - cx, y - cy) < rad;
            }
        }
        m[r.nextInt(w * h)] = true;
        return GrayImage.of(w, h, p, m);
    }

    static Set<DefectKind> kinds(int bits) {
        Set<DefectKind> k = EnumSet.noneOf(DefectKind.class);
        for (DefectKind d : DefectKind.values()) {
            if ((bits & (1 << d.ordinal())) != 0) {
                k.add(d);
            }
        }
        return k;
    }

    @Property(tries = 300)
    void maskIsExactlyTheChangedPixelsAndOnlyValidOnes(@ForAll @IntRange(min = 2, max = 40) int w,
                                                       @ForAll @IntRange(min = 2, max = 40) int h,
                                                       @ForAll @IntRange(min = 1, max = 31) int kindBits,
                                                       @ForAll boolean withInvalid, @ForAll boolean withDonor,
                                                       @ForAll long seed) {
        GrayImage image = randomImage(w, h, seed, withInvalid);
        GrayImage donor = withDonor ? randomImage(w, h, seed + 7, withInvalid) : null;
        Set<DefectKind> kinds = kinds(kindBits);
        if (donor == null && kinds.equals(EnumSet.of(DefectKind.FOREIGN_PATCH))) {
            kinds = EnumSet.of(DefectKind.FOREIGN_PATCH, DefectKind.NOISE);
        }
        float[] pixelsBefore = image.pixels();
        boolean[] maskBefore = image.mask();
        DefectGenerator g = new DefectGenerator(kinds, 0.05, 0.5, MIN_CHANGE);

        Defect d = g.generate(image, donor, seed);

        float[] in = image.unsafePixels();
        float[] out = d.image().unsafePixels();
        boolean[] valid = image.unsafeMask();
        float[] range = image.validRange();
        double threshold = MIN_CHANGE * (range[1] > range[0] ? range[1] - range[0] : 1);
        for (int i = 0; i < in.length; i++) {
            boolean changed = Float.floatToIntBits(out[i]) != Float.floatToIntBits(in[i]);
            assertEquals(changed, d.mask()[i], "pixel " + i + ": changed " + changed + ", in mask " + d.mask()[i]);
            if (d.mask()[i]) {
                assertTrue(Math.abs(out[i] - in[i]) >= threshold - 1e-6, "change at " + i + " below the minimum");
                assertTrue(valid[i], "changed invalid pixel " + i);
            }
        }
        assertArrayEquals(maskBefore, d.image().mask(), "valid mask kept");
        assertEquals(d.area() == 0, d.kind() == null);
        assertTrue(d.kind() == null || kinds.contains(d.kind()), "kind " + d.kind() + " not asked for");
        // the input is never mutated
        assertArrayEquals(pixelsBefore, image.unsafePixels());
        assertArrayEquals(maskBefore, image.unsafeMask());
        // same seed, same defect
        Defect again = g.generate(image, donor, seed);
        assertEquals(d.image(), again.image());
        assertArrayEquals(d.mask(), again.mask());
        assertEquals(d.kind(), again.kind());
    }
}
