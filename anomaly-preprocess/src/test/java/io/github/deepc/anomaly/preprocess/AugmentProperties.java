package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.preprocess.AugmentStage.Settings;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the {@code augment} stage on random images and settings. */
class AugmentProperties {
    @Provide
    Arbitrary<GrayImage> images() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 40);
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Double> validFraction = Arbitraries.of(1.0, 1.0, 0.8, 0.3, 0.0);
        return Combinators.combine(side, side, seed, validFraction).as((w, h, s, vf) -> TestImages.random(w, h, s, 100f, vf));
    }

    @Provide
    Arbitrary<Settings> settings() {
        Arbitrary<Double> p = Arbitraries.of(0.0, 0.5, 1.0);
        Arbitrary<Double> degrees = Arbitraries.doubles().between(0, 180);
        Arbitrary<Double> zoom = Arbitraries.doubles().between(0.5, 2.0);
        return Combinators.combine(p, p, degrees, p, p, zoom, zoom, p)
                .as((fh, fv, d, rp, bp, z1, z2, zp) -> new Settings(fh, fv, d, rp, 0.8, 1.2, bp, Math.min(z1, z2), Math.max(z1, z2), zp));
    }

    @Property(tries = 200)
    boolean maskKeepsTheImageShapeAndDeterminism(@ForAll("images") GrayImage img, @ForAll("settings") Settings s,
                                                 @ForAll long seed) {
        AugmentStage stage = new AugmentStage(s);
        GrayImage a = stage.apply(img, StageContext.standalone(true, seed));
        GrayImage b = stage.apply(img, StageContext.standalone(true, seed));
        return a.width() == img.width() && a.height() == img.height() && a.unsafeMask().length == img.size()
                && a.unsafePixels().length == img.size() && a.equals(b) && Arrays.equals(a.unsafeMask(), b.unsafeMask())
                && stage.apply(img, StageContext.standalone(false, seed)) == img;
    }

    @Property(tries = 200)
    boolean pixelsRotatedInFromOutsideAreInvalid(@ForAll("images") GrayImage img, @ForAll("settings") Settings s,
                                                 @ForAll long seed) {
        AugmentStage stage = new AugmentStage(s);
        AugmentStage.Draw d = stage.draw(StageContext.standalone(true, seed).random());
        GrayImage out = stage.apply(img, StageContext.standalone(true, seed));
        int w = img.width();
        int h = img.height();
        // inverse of the rotation + zoom about the centre (flips map the image onto itself and do not matter here)
        double a = Math.toRadians(d.degrees());
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - cx;
                double dy = y - cy;
                // cv::getRotationMatrix2D rotates counter-clockwise in image coordinates (y down)
                double sx = cx + (Math.cos(a) * dx - Math.sin(a) * dy) / d.zoom();
                double sy = cy + (Math.sin(a) * dx + Math.cos(a) * dy) / d.zoom();
                // the input covers [-0.5, side - 0.5]; one pixel of slack for nearest-neighbour rounding at its edge
                boolean outside = sx < -1.5 || sy < -1.5 || sx > w + 0.5 || sy > h + 0.5;
                if (outside && out.isValid(x, y)) {
                    return false;
                }
            }
        }
        return out.validCount() <= img.size();
    }
}
