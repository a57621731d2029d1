package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mask-shape properties of the square-crop, body-part-crop, marker-removal and segment stages on random images:
 * whatever the content, size (1 to 64 pixels a side), value range (up to 16-bit and beyond) and mask, the output's
 * mask has the output's shape, crops crop pixels and mask alike, and no stage makes an invalid pixel valid.
 */
class DetectionStageProperties {
    private static final SquareCropStage SQUARE = SquareCropStage.defaults();
    private static final BodyPartCropStage BODY = new BodyPartCropStage(0.05, 0.005);
    private static final MarkerRemovalStage MARKERS = MarkerRemovalStage.defaults();
    private static final SegmentStage OTSU = new SegmentStage(SegmentStage.Method.OTSU, 5, 1);
    private static final SegmentStage GRABCUT = new SegmentStage(SegmentStage.Method.GRABCUT, 3, 1);

    @Provide
    Arbitrary<GrayImage> images() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 64);
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Float> scale = Arbitraries.of(0f, 1f, 255f, 65535f, 1e6f);
        Arbitrary<Double> validFraction = Arbitraries.of(1.0, 1.0, 0.9, 0.5, 0.0);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        return Combinators.combine(side, side, seed, scale, validFraction, kind).as((w, h, s, sc, vf, k) -> {
            GrayImage noise = TestImages.random(w, h, s, sc, vf);
            if (k == 0 || w < 4 || h < 4) {
                return noise;
            }
            // structure: a bright rectangle (a film, a body) inside, or a bright small blob (a marker)
            float[] p = noise.pixels();
            int x0 = w / 5;
            int y0 = h / 5;
            int x1 = k == 1 ? w - w / 5 : x0 + Math.max(1, w / 8);
            int y1 = k == 1 ? h - h / 5 : y0 + Math.max(1, h / 8);
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    p[y * w + x] = Math.abs(p[y * w + x]) + 2 * Math.max(1f, sc);
                }
            }
            return GrayImage.of(w, h, p, noise.mask());
        });
    }

    private static boolean shapeOk(GrayImage g) {
        return g.unsafeMask().length == g.width() * g.height() && g.unsafePixels().length == g.width() * g.height();
    }

    /** The output is the input's region: same pixels, and a mask that is the input's or stricter. */
    private static boolean isCropOf(GrayImage in, GrayImage out, CropRegion r, boolean maskMayBeStricter) {
        if (out.width() != r.width() || out.height() != r.height()) {
            return false;
        }
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                if (Float.compare(out.get(x, y), in.get(x + r.x(), y + r.y())) != 0) {
                    return false;
                }
                boolean before = in.isValid(x + r.x(), y + r.y());
                if (maskMayBeStricter ? out.isValid(x, y) && !before : out.isValid(x, y) != before) {
                    return false;
                }
            }
        }
        return true;
    }

    @Property(tries = 150)
    boolean squareCropCropsPixelsAndMaskTogether(@ForAll("images") GrayImage img) {
        GrayImage out = SQUARE.apply(img, StageContext.standalone(false, 1));
        if (!shapeOk(out)) {
            return false;
        }
        Optional<CropRegion> r = SQUARE.locate(img);
        if (out == img) {
            return true;
        }
        return r.isPresent() && isCropOf(img, out, r.get(), true);
    }

    @Property(tries = 150)
    boolean bodyPartCropCropsPixelsAndMaskTogether(@ForAll("images") GrayImage img) {
        GrayImage out = BODY.apply(img, StageContext.standalone(false, 1));
        if (!shapeOk(out)) {
            return false;
        }
        if (out == img) {
            return true;
        }
        Optional<CropRegion> r = BODY.locate(img);
        return r.isPresent() && isCropOf(img, out, r.get(), false);
    }

    @Property(tries = 150)
    boolean markerRemovalKeepsShapeMaskAndInvalidPixels(@ForAll("images") GrayImage img) {
        GrayImage out = MARKERS.apply(img, StageContext.standalone(false, 1));
        if (!shapeOk(out) || out.width() != img.width() || out.height() != img.height()
                || !java.util.Arrays.equals(out.unsafeMask(), img.unsafeMask())) {
            return false;
        }
        for (int i = 0; i < img.size(); i++) {
            if (!img.unsafeMask()[i] && Float.compare(out.unsafePixels()[i], img.unsafePixels()[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 100)
    boolean segmentNeverValidatesAnInvalidPixelAndZeroesBackground(@ForAll("images") GrayImage img, @ForAll boolean grabCut) {
        GrayImage out = (grabCut ? GRABCUT : OTSU).apply(img, StageContext.standalone(false, 7));
        if (!shapeOk(out) || out.width() != img.width() || out.height() != img.height()) {
            return false;
        }
        if (out == img) {
            return true;
        }
        for (int i = 0; i < img.size(); i++) {
            boolean valid = out.unsafeMask()[i];
            if (valid && (!img.unsafeMask()[i] || Float.compare(out.unsafePixels()[i], img.unsafePixels()[i]) != 0)) {
                return false;
            }
            if (!valid && out.unsafePixels()[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
