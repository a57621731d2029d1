package io.github.deepc.anomaly.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * {@code standardize} and {@code histogram-match}: both must cancel global acquisition changes (a monotone grey-level
 * curve, a gain and an offset), which is what they are for.
 */
class IntensityMatchingStagesTest {
    private static GrayImage random(long seed, int w, int h, boolean partialMask) {
        Random r = new Random(seed);
        float[] px = new float[w * h];
        boolean[] mask = new boolean[w * h];
        for (int i = 0; i < px.length; i++) {
            // 256 grey levels, as in an 8-bit image: a monotone curve keeps distinct levels distinct in float, so
            // ranks (and ties) are exactly kept
            px[i] = (float) (Math.round(255 * Math.min(1, Math.max(0, 0.5 + 0.2 * r.nextGaussian()))) / 255.0);
            mask[i] = !partialMask || (i % w) < w - 3;
        }
        return GrayImage.of(w, h, px, mask);
    }

    private static GrayImage curve(GrayImage img, double gamma, double gain, double offset) {
        float[] px = img.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (offset + gain * Math.pow(px[i], gamma));
        }
        return img.withPixels(px);
    }

    @Property(tries = 40)
    void histogramMatchIgnoresAnyMonotoneGreyLevelCurve(@ForAll @LongRange(min = 0, max = 10_000) long seed,
                                                       @ForAll @DoubleRange(min = 0.5, max = 2.0) double gamma,
                                                       @ForAll @DoubleRange(min = 0.2, max = 3.0) double gain,
                                                       @ForAll @DoubleRange(min = -1, max = 1) double offset) {
        HistogramMatchStageProvider p = new HistogramMatchStageProvider();
        Map<String, String> fitted = p.fit(Map.of(), List.of(random(seed, 20, 15, true), random(seed + 1, 20, 15, true)));
        HistogramMatchStage stage = (HistogramMatchStage) p.create(fitted);
        GrayImage img = random(seed + 2, 20, 15, true);
        float[] a = stage.apply(img, StageContext.standalone(false, 1)).pixels();
        float[] b = stage.apply(curve(img, gamma, gain, offset), StageContext.standalone(false, 1)).pixels();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void histogramMatchMapsOntoTheLearnedReference() {
        HistogramMatchStageProvider p = new HistogramMatchStageProvider();
        assertTrue(p.needsFit(Map.of()));
        GrayImage ramp = GrayImage.of(5, 1, new float[] {0, 1, 2, 3, 4}, null);
        Map<String, String> fitted = p.fit(Map.of("points", "4"), List.of(ramp,
                GrayImage.of(5, 1, new float[] {10, 11, 12, 13, 14}, null)));
        assertFalse(p.needsFit(fitted));
        assertEquals("5.00000,6.00000,7.00000,8.00000,9.00000", fitted.get("reference"));
        // a ramp of any values maps onto the mean quantiles, ranks kept; ties share their mid-rank
        GrayImage out = p.create(fitted).apply(GrayImage.of(5, 1, new float[] {-3, 7, 7, 100, 8}, new boolean[] {true, true, true, true, true}),
                StageContext.standalone(false, 0));
        assertArrayEquals(new float[] {5, 6.5f, 6.5f, 9, 8}, out.pixels(), 1e-6f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.create(Map.of()));
        assertTrue(e.getMessage().contains("learned when the detector is fitted"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("reference", "1,x")));
        assertTrue(bad.getMessage().contains("histogram-match.reference"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("reference", "2,1")));
    }

    @Property(tries = 40)
    void standardizeCancelsGainAndOffsetInsideTheMask(@ForAll @LongRange(min = 0, max = 10_000) long seed,
                                                     @ForAll @DoubleRange(min = 0.2, max = 3.0) double gain,
                                                     @ForAll @DoubleRange(min = -1, max = 1) double offset) {
        GrayImage img = random(seed, 17, 9, true);
        StandardizeStage stage = new StandardizeStage();
        GrayImage a = stage.apply(img, StageContext.standalone(false, 1));
        GrayImage b = stage.apply(curve(img, 1, gain, offset), StageContext.standalone(false, 1));
        double sum = 0;
        double ss = 0;
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.unsafePixels()[i], b.unsafePixels()[i], 2e-4, "pixel " + i);
            if (a.unsafeMask()[i]) {
                sum += a.unsafePixels()[i];
                ss += a.unsafePixels()[i] * a.unsafePixels()[i];
                n++;
            } else {
                assertEquals(0f, a.unsafePixels()[i]);
            }
        }
        assertEquals(0, sum / n, 1e-5);
        assertEquals(1, ss / n, 1e-4);
        assertArrayEquals(img.mask(), a.mask());
    }

    @Test
    void standardizeOfAConstantImageIsZeroWithANote() {
        StageContext ctx = StageContext.standalone(false, 0);
        GrayImage out = new StandardizeStage().apply(GrayImage.filled(4, 4, 0.3f), ctx);
        assertArrayEquals(new float[16], out.pixels());
        assertEquals(1, ctx.notes().size());
    }
}
