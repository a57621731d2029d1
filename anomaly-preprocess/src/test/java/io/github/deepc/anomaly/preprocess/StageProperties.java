package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the resize, pad and normalize stages on random images. */
class StageProperties {
    private static final StageContext CTX = StageContext.standalone(false, 1L);

    @Provide
    Arbitrary<GrayImage> images() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 48);
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Float> scale = Arbitraries.of(0f, 1f, 255f, 65535f, 1e6f, 1e30f);
        Arbitrary<Double> validFraction = Arbitraries.of(1.0, 1.0, 0.9, 0.5, 0.05, 0.0);
        return Combinators.combine(side, side, seed, scale, validFraction)
                .as((w, h, s, sc, vf) -> TestImages.random(w, h, s, sc, vf));
    }

    @Property(tries = 300)
    boolean normalizeOutputIsWithinRange(@ForAll("images") GrayImage img, @ForAll NormalizeStage.Range range) {
        GrayImage out = new NormalizeStage(range).apply(img, CTX);
        if (out.width() != img.width() || out.height() != img.height()
                || !java.util.Arrays.equals(out.unsafeMask(), img.unsafeMask())) {
            return false;
        }
        float[] p = out.unsafePixels();
        boolean[] m = out.unsafeMask();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= range.lower() && p[i] <= range.upper())) {
                return false;
            }
            if (!m[i] && p[i] != range.lower()) {
                return false;
            }
        }
        float[] inRange = img.validRange();
        float[] outRange = out.validRange();
        if (img.validCount() > 0 && inRange[1] > inRange[0]) {
            // the valid minimum maps to the lower bound, the maximum to 1
            return outRange[0] == (float) range.lower() && Math.abs(outRange[1] - 1f) <= 1e-6f;
        }
        return true;
    }

    @Property(tries = 300)
    boolean padPreservesEveryContentPixel(@ForAll("images") GrayImage img, @ForAll @IntRange(min = 0, max = 17) int extra,
                                          @ForAll PadStage.Mode mode) {
        int size = Math.max(img.width(), img.height()) + extra;
        PadStage pad = new PadStage(size, mode, -3.25);
        GrayImage out = pad.apply(img, CTX);
        if (out.width() != size || out.height() != size || out.validCount() != img.validCount()) {
            return false;
        }
        int[] off = pad.offset(img.width(), img.height());
        int left = off[0];
        int top = off[1];
        if (mode == PadStage.Mode.CENTRE && (left != (size - img.width()) / 2 || top != (size - img.height()) / 2)) {
            return false;
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int cx = x - left;
                int cy = y - top;
                boolean content = cx >= 0 && cx < img.width() && cy >= 0 && cy < img.height();
                if (content) {
                    if (Float.compare(out.get(x, y), img.get(cx, cy)) != 0 || out.isValid(x, y) != img.isValid(cx, cy)) {
                        return false;
                    }
                } else if (out.isValid(x, y) || out.get(x, y) != -3.25f) {
                    return false;
                }
            }
        }
        return true;
    }

    @Property(tries = 200)
    boolean maskHasTheImageShapeAfterEachStage(@ForAll("images") GrayImage img, @ForAll @IntRange(min = 8, max = 64) int size,
                                               @ForAll ResizeStage.Interpolation interpolation,
                                               @ForAll NormalizeStage.Range range) {
        GrayImage resized = new ResizeStage(size, interpolation).apply(img, CTX);
        if (!shapeOk(resized) || Math.max(resized.width(), resized.height()) != size) {
            return false;
        }
        // aspect ratio kept up to the rounding of the short side, orientation kept (rounding may make it square)
        int expectedShort = (int) Math.max(1, Math.round(Math.min(img.width(), img.height()) * (double) size
                / Math.max(img.width(), img.height())));
        if (Math.min(resized.width(), resized.height()) != expectedShort) {
            return false;
        }
        if (img.width() > img.height() && resized.width() < resized.height()
                || img.width() < img.height() && resized.width() > resized.height()) {
            return false;
        }
        if (Mats.allValid(img) && !Mats.allValid(resized)) {
            return false;
        }
        GrayImage padded = new PadStage(size, PadStage.Mode.CENTRE, 0).apply(resized, CTX);
        if (!shapeOk(padded) || padded.width() != size || padded.height() != size
                || padded.validCount() != resized.validCount()) {
            return false;
        }
        GrayImage normalised = new NormalizeStage(range).apply(padded, CTX);
        return shapeOk(normalised) && normalised.width() == size && normalised.height() == size
                && java.util.Arrays.equals(normalised.unsafeMask(), padded.unsafeMask());
    }

    private static boolean shapeOk(GrayImage g) {
        return g.mask().length == g.width() * g.height() && g.pixels().length == g.width() * g.height();
    }
}
