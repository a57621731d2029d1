package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.preprocess.NormalizeStage.Range;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizeStageTest {
    private static GrayImage norm(GrayImage img, Range range) {
        return new NormalizeStage(range).apply(img, TestImages.ctx());
    }

    @Test
    void unitRangeMapsMinToZeroAndMaxToOne() {
        GrayImage img = GrayImage.of(3, 2, new float[] {10, 20, 30, 40, 50, 60}, null);
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f}, norm(img, Range.UNIT).pixels(), 1e-6f);
    }

    @Test
    void symmetricRangeMapsToMinusOneToOne() {
        GrayImage img = GrayImage.of(5, 1, new float[] {-4, -2, 0, 2, 4}, null);
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f}, norm(img, Range.SYMMETRIC).pixels(), 1e-6f);
    }

    @Test
    void outputOf16BitRangeIsWithinUnitRange() {
        GrayImage img = TestImages.random(128, 96, 1, 65535f, 1.0);
        GrayImage out = norm(img, Range.UNIT);
        float[] r = out.validRange();
        assertEquals(0f, r[0], 0f);
        assertEquals(1f, r[1], 1e-6f);
        for (float v : out.unsafePixels()) {
            assertTrue(v >= 0f && v <= 1f, "value " + v);
        }
    }

    @Test
    void constantImageMapsToTheLowerBound() {
        StageContext ctx = TestImages.ctx();
        GrayImage out = new NormalizeStage(Range.UNIT).apply(GrayImage.filled(8, 4, 123f), ctx);
        for (float v : out.unsafePixels()) {
            assertEquals(0f, v, 0f);
        }
        assertEquals(32, out.validCount());
        assertTrue(ctx.notes().get(0).contains("constant image"), ctx.notes().toString());
        GrayImage sym = norm(GrayImage.filled(8, 4, -7f), Range.SYMMETRIC);
        for (float v : sym.unsafePixels()) {
            assertEquals(-1f, v, 0f);
        }
    }

    @Test
    void invalidPixelsAreIgnoredByMinMaxAndSetToTheLowerBound() {
        // valid pixels 0..10; invalid pixels carry extreme values that must not stretch the range
        float[] p = {0, 5, 10, 1e6f, -1e6f, 2.5f};
        boolean[] m = {true, true, true, false, false, true};
        GrayImage img = GrayImage.of(3, 2, p, m);
        GrayImage unit = norm(img, Range.UNIT);
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0f, 0f, 0.25f}, unit.pixels(), 1e-6f);
        assertArrayEquals(m, unit.mask());
        GrayImage sym = norm(img, Range.SYMMETRIC);
        assertArrayEquals(new float[] {-1f, 0f, 1f, -1f, -1f, -0.5f}, sym.pixels(), 1e-6f);
        assertArrayEquals(m, sym.mask());
    }

    @Test
    void constantValidPixelsWithDifferentInvalidOnesMapToTheLowerBound() {
        GrayImage img = GrayImage.of(2, 2, new float[] {3, 3, 99, 3}, new boolean[] {true, true, false, true});
        assertArrayEquals(new float[] {0, 0, 0, 0}, norm(img, Range.UNIT).pixels(), 0f);
    }

    @Test
    void imageWithoutValidPixelsMapsToTheLowerBound() {
        GrayImage img = GrayImage.of(2, 2, new float[] {1, 2, 3, 4}, new boolean[4]);
        GrayImage out = norm(img, Range.SYMMETRIC);
        assertArrayEquals(new float[] {-1, -1, -1, -1}, out.pixels(), 0f);
        assertEquals(0, out.validCount());
    }

    @Test
    void nanPixelsBecomeTheLowerBoundAndDoNotDisturbTheRange() {
        float[] p = new float[100];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        for (int k : new int[] {0, 3, 50, 99}) {
            float[] q = p.clone();
            q[k] = Float.NaN;
            float lo = k == 0 ? 1 : 0;
            float hi = k == 99 ? 98 : 99;
            GrayImage out = norm(GrayImage.of(10, 10, q, null), Range.UNIT);
            for (int i = 0; i < q.length; i++) {
                float expected = i == k ? 0f : (i - lo) / (hi - lo);
                assertEquals(expected, out.unsafePixels()[i], 1e-6f, "NaN at " + k + ", pixel " + i);
            }
        }
    }

    @Test
    void infiniteValidPixelIsAnError() {
        GrayImage img = GrayImage.of(2, 1, new float[] {1, Float.POSITIVE_INFINITY}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> norm(img, Range.UNIT));
        assertTrue(e.getMessage().startsWith("normalize"), e.getMessage());
    }

    @Test
    void providerDeclaresTypedParameters() {
        NormalizeStageProvider p = new NormalizeStageProvider();
        assertEquals("normalize", p.id());
        assertEquals(1, p.parameters().size());
        assertEquals("unit", p.parameters().get(0).defaultValue());
        assertEquals(java.util.List.of("unit", "symmetric"), p.parameters().get(0).choices());
        assertEquals(Range.UNIT, ((NormalizeStage) p.create(Map.of())).range());
        assertEquals(Range.SYMMETRIC, ((NormalizeStage) p.create(Map.of("range", "symmetric"))).range());
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("range", "percent")));
    }
}
