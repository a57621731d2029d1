package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the equalize, clahe, invert and median stages on random images (sizes 1..48, any validity). */
class QualityStageProperties {
    private static final StageContext CTX = StageContext.standalone(false, 1L);

    @Provide
    Arbitrary<GrayImage> images() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 48);
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Float> scale = Arbitraries.of(0f, 1f, 255f, 65535f, 1e6f);
        Arbitrary<Double> validFraction = Arbitraries.of(1.0, 1.0, 0.9, 0.5, 0.05, 0.0);
        return Combinators.combine(side, side, seed, scale, validFraction)
                .as((w, h, s, sc, vf) -> TestImages.random(w, h, s, sc, vf));
    }

    private static boolean sameShapeAndMask(GrayImage in, GrayImage out) {
        return out.width() == in.width() && out.height() == in.height() && Arrays.equals(out.unsafeMask(), in.unsafeMask());
    }

    private static boolean on8BitScaleWithInvalidZero(GrayImage out) {
        float[] p = out.unsafePixels();
        boolean[] m = out.unsafeMask();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0f && p[i] <= 255f) || !m[i] && p[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 300)
    boolean equalizeIsOnThe8BitScaleAndSpansIt(@ForAll("images") GrayImage img) {
        GrayImage out = new EqualizeStage().apply(img, CTX);
        if (!sameShapeAndMask(img, out) || !on8BitScaleWithInvalidZero(out)) {
            return false;
        }
        float[] in = img.validRange();
        if (img.validCount() > 0 && in[1] > in[0]) {
            float[] r = out.validRange();
            return r[0] == 0f && r[1] == 255f;
        }
        return true;
    }

    @Property(tries = 200)
    boolean claheIsOnThe8BitScale(@ForAll("images") GrayImage img, @ForAll ClaheStage.Depth depth) {
        GrayImage out = new ClaheStage(2.0, 8, depth).apply(img, CTX);
        return sameShapeAndMask(img, out) && on8BitScaleWithInvalidZero(out);
    }

    @Property(tries = 200)
    boolean invertingTwiceGivesTheImageBack(@ForAll("images") GrayImage img) {
        InvertStage always = new InvertStage(InvertStage.Mode.ALWAYS, 0);
        GrayImage once = always.apply(img, CTX);
        GrayImage twice = always.apply(once, CTX);
        if (!sameShapeAndMask(img, twice)) {
            return false;
        }
        float[] r = img.validRange();
        float tol = Math.max(1e-3f, Math.max(Math.abs(r[0]), Math.abs(r[1])) * 1e-5f);
        for (int i = 0; i < img.size(); i++) {
            if (Math.abs(twice.unsafePixels()[i] - img.unsafePixels()[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 200)
    boolean medianStaysWithinTheValidRangeAndKeepsTheMask(@ForAll("images") GrayImage img,
                                                           @ForAll("kernels") int kernel) {
        GrayImage out = new MedianStage(kernel).apply(img, CTX);
        if (!sameShapeAndMask(img, out)) {
            return false;
        }
        if (Mats.allValid(img)) {
            float[] in = img.validRange();
            float[] r = out.validRange();
            float tol = Math.max(Math.abs(in[0]), Math.abs(in[1])) * 1e-5f;
            return r[0] >= in[0] - tol && r[1] <= in[1] + tol;
        }
        return true;
    }

    @Provide
    Arbitrary<Integer> kernels() {
        return Arbitraries.of(3, 5, 7, 9, 15);
    }
}
