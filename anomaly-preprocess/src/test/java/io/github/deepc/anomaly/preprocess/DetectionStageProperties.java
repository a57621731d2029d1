package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Mask-shape properties of the square-crop, body-part-crop, marker-removal and segment stages on random images:
 * whatever the content, size (1 to 64 pixels a side), value range (up to 16-bit and beyond) and mask, the output's
 * mask has the output's shape, crops crop pixels and mask alike, and no stage makes an invalid pixel valid.
 *
 * <p>Three tries in four draw a scene made to exercise the stage (a film inside a margin, a textured body part on a
 * dark background, markers on background, a body to segment), the rest random images; each property reports how
 * often the stage acted ({@link Statistics}) and fails when it acted in too few tries, so that the property checks
 * crops, inpainting and segmentation rather than the early "nothing found" return.
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

    /** Random images (a quarter of the tries) or the given scenes, which exercise a stage's detection. */
    private Arbitrary<GrayImage> mostly(Arbitrary<GrayImage> scenes) {
        return Arbitraries.frequencyOf(Tuple.of(3, scenes), Tuple.of(1, images()));
    }

    private static Arbitrary<Float> scales() {
        return Arbitraries.of(1f, 255f, 4095f, 65535f);
    }

    /** A textured film (brighter or darker than its margin) lying inside a margin of 10 to 30 % a side. */
    @Provide
    Arbitrary<GrayImage> filmsOnBorders() {
        Arbitrary<Integer> side = Arbitraries.integers().between(24, 64);
        Arbitrary<Double> margin = Arbitraries.doubles().between(0.1, 0.3);
        return mostly(Combinators.combine(side, side, margin, margin, Arbitraries.longs(), scales(),
                Arbitraries.of(true, true, false)).as((w, h, mx, my, seed, sc, brightFilm) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int x0 = (int) Math.round(w * mx * (0.5 + r.nextDouble()));
                    int y0 = (int) Math.round(h * my * (0.5 + r.nextDouble()));
                    int x1 = w - (int) Math.round(w * mx * (0.5 + r.nextDouble()));
                    int y1 = h - (int) Math.round(h * my * (0.5 + r.nextDouble()));
                    float[] p = new float[w * h];
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            boolean film = x >= x0 && x < x1 && y >= y0 && y < y1;
                            double level = film == brightFilm ? 0.55 + 0.3 * (x - x0) / Math.max(1, x1 - x0) : 0.08;
                            p[y * w + x] = (float) (sc * (level + 0.03 * r.nextDouble()));
                        }
                    }
                    return GrayImage.of(w, h, p, null);
                }));
    }

    /** A textured body part (an ellipse of tissue with bright finger-like stripes) on a dark background. */
    @Provide
    Arbitrary<GrayImage> bodyParts() {
        Arbitrary<Integer> side = Arbitraries.integers().between(32, 64);
        return mostly(Combinators.combine(side, side, Arbitraries.longs(), scales()).as((w, h, seed, sc) -> {
            SplittableRandom r = new SplittableRandom(seed);
            double cx = w * (0.3 + 0.4 * r.nextDouble());
            double cy = h * (0.3 + 0.4 * r.nextDouble());
            double rx = w * (0.12 + 0.12 * r.nextDouble());
            double ry = h * (0.15 + 0.15 * r.nextDouble());
            float[] p = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = (x - cx) / rx;
                    double dy = (y - cy) / ry;
                    double level = 0.05;
                    if (dx * dx + dy * dy <= 1) {
                        level = 0.45 + ((x / 2) % 2 == 0 ? 0.35 : 0.0);
                    }
                    p[y * w + x] = (float) (sc * (level + 0.02 * r.nextDouble()));
                }
            }
            return GrayImage.of(w, h, p, null);
        }));
    }

    /** Dark background with a body of tissue and, on the background, one to three small bright "L" markers. */
    @Provide
    Arbitrary<GrayImage> markedImages() {
        Arbitrary<Integer> side = Arbitraries.integers().between(40, 64);
        return mostly(Combinators.combine(side, side, Arbitraries.integers().between(1, 3), Arbitraries.longs(),
                scales()).as((w, h, markers, seed, sc) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] p = new float[w * h];
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            boolean body = x > w / 2 && y > h / 4 && y < 3 * h / 4;
                            p[y * w + x] = (float) (sc * ((body ? 0.5 : 0.05) + 0.02 * r.nextDouble()));
                        }
                    }
                    for (int m = 0; m < markers; m++) {
                        int mx = 3 + r.nextInt(Math.max(1, w / 2 - 9));
                        int my = 3 + r.nextInt(Math.max(1, h - 9));
                        // an "L" of one-pixel strokes, narrower than the top-hat kernel, like a side marker
                        for (int k = 0; k < 4; k++) {
                            p[(my + k) * w + mx] = sc;
                        }
                        for (int k = 1; k < 3; k++) {
                            p[(my + 3) * w + mx + k] = sc;
                        }
                    }
                    return GrayImage.of(w, h, p, null);
                }));
    }

    /** A body (tissue and brighter bone) on a dark background, sometimes with invalid padding rows. */
    @Provide
    Arbitrary<GrayImage> bodiesOnBackground() {
        Arbitrary<Integer> side = Arbitraries.integers().between(16, 64);
        return mostly(Combinators.combine(side, side, Arbitraries.longs(), scales(), Arbitraries.of(0, 0, 2))
                .as((w, h, seed, sc, pad) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] p = new float[w * h];
                    boolean[] m = new boolean[w * h];
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            double dx = (x - w / 2.0) / (w * 0.3);
                            double dy = (y - h / 2.0) / (h * 0.35);
                            double d = dx * dx + dy * dy;
                            double level = d <= 0.25 ? 0.85 : d <= 1 ? 0.5 : 0.05;
                            p[y * w + x] = (float) (sc * (level + 0.03 * r.nextDouble()));
                            m[y * w + x] = y >= pad;
                        }
                    }
                    return GrayImage.of(w, h, p, m);
                }));
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
    boolean squareCropCropsPixelsAndMaskTogether(@ForAll("filmsOnBorders") GrayImage img) {
        GrayImage out = SQUARE.apply(img, StageContext.standalone(false, 1));
        Statistics.label("square-crop").collect(out == img ? "unchanged" : "cropped");
        Statistics.label("square-crop").coverage(c -> c.check("cropped").percentage(p -> p >= 50));
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
    boolean bodyPartCropCropsPixelsAndMaskTogether(@ForAll("bodyParts") GrayImage img) {
        GrayImage out = BODY.apply(img, StageContext.standalone(false, 1));
        Statistics.label("body-part-crop").collect(out == img ? "unchanged" : "cropped");
        Statistics.label("body-part-crop").coverage(c -> c.check("cropped").percentage(p -> p >= 50));
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
    boolean markerRemovalKeepsShapeMaskAndInvalidPixels(@ForAll("markedImages") GrayImage img) {
        GrayImage out = MARKERS.apply(img, StageContext.standalone(false, 1));
        boolean changed = !java.util.Arrays.equals(out.unsafePixels(), img.unsafePixels());
        Statistics.label("marker-removal").collect(changed ? "pixels changed" : "unchanged");
        Statistics.label("marker-removal").coverage(c -> c.check("pixels changed").percentage(p -> p >= 50));
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
    boolean segmentNeverValidatesAnInvalidPixelAndZeroesBackground(@ForAll("bodiesOnBackground") GrayImage img,
            @ForAll boolean grabCut) {
        GrayImage out = (grabCut ? GRABCUT : OTSU).apply(img, StageContext.standalone(false, 7));
        Statistics.label("segment").collect(out == img ? "unchanged" : "segmented");
        Statistics.label("segment").coverage(c -> c.check("segmented").percentage(p -> p >= 60));
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
