package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.preprocess.PadStage.Mode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PadStageTest {
    @Test
    void centresContentAtExactOffsets() {
        GrayImage img = TestImages.ramp(40, 21);
        PadStage pad = new PadStage(64, Mode.CENTRE, -5);
        GrayImage out = pad.apply(img, TestImages.ctx());
        assertEquals(64, out.width());
        assertEquals(64, out.height());
        int left = 12; // (64 - 40) / 2
        int top = 21; // (64 - 21) / 2, the odd pixel goes to the bottom
        assertArrayEquals(new int[] {left, top}, pad.offset(40, 21));
        assertEquals(40 * 21, out.validCount());
        assertEquals(64 * 64 - 40 * 21, out.size() - out.validCount());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inside = x >= left && x < left + 40 && y >= top && y < top + 21;
                assertEquals(inside, out.isValid(x, y), "mask at " + x + "," + y);
                float expected = inside ? img.get(x - left, y - top) : -5f;
                assertEquals(expected, out.get(x, y), 0f, "pixel at " + x + "," + y);
            }
        }
        // 22 rows below the content (64 - 21 - 21), 21 above
        assertTrue(out.isValid(left, top) && !out.isValid(left, top - 1) && !out.isValid(left - 1, top));
        assertTrue(out.isValid(left + 39, top + 20) && !out.isValid(left + 40, top + 20) && !out.isValid(left + 39, top + 21));
    }

    @Test
    void topLeftModePutsAllPaddingRightAndBottom() {
        GrayImage img = TestImages.ramp(10, 5);
        GrayImage out = new PadStage(16, Mode.TOP_LEFT, 0).apply(img, TestImages.ctx());
        assertEquals(16, out.width());
        assertEquals(50, out.validCount());
        assertEquals(0f, out.get(0, 0), 0f);
        assertEquals(49f, out.get(9, 4), 0f);
        assertTrue(out.isValid(9, 4));
        assertTrue(!out.isValid(10, 4) && !out.isValid(9, 5));
    }

    @Test
    void keepsExistingInvalidPixelsInvalid() {
        GrayImage img = TestImages.random(20, 20, 11, 50f, 0.5);
        GrayImage out = new PadStage(32, Mode.CENTRE, 0).apply(img, TestImages.ctx());
        assertEquals(img.validCount(), out.validCount());
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(img.isValid(x, y), out.isValid(x + 6, y + 6));
                assertEquals(img.get(x, y), out.get(x + 6, y + 6), 0f);
            }
        }
    }

    @Test
    void imageLargerThanSizeIsAnErrorNamingStageAndParameter() {
        PadStage pad = new PadStage(64, Mode.CENTRE, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pad.apply(TestImages.ramp(100, 80), TestImages.ctx()));
        assertEquals("pad.size=64 is smaller than the image (100x80); put a resize stage before pad", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pad.apply(TestImages.ramp(10, 65), TestImages.ctx()));
    }

    @Test
    void squareImageOfTheRightSizeIsReturnedUnchanged() {
        GrayImage img = TestImages.ramp(64, 64);
        assertSame(img, new PadStage(64, Mode.CENTRE, 0).apply(img, TestImages.ctx()));
    }

    @Test
    void providerDeclaresTypedParameters() {
        PadStageProvider p = new PadStageProvider();
        assertEquals("pad", p.id());
        assertEquals(java.util.List.of("size", "mode", "value"), p.parameters().stream().map(s -> s.name()).toList());
        PadStage d = (PadStage) p.create(Map.of());
        assertEquals(64, d.size());
        assertEquals(Mode.CENTRE, d.mode());
        assertEquals(0.0, d.value());
        PadStage s = (PadStage) p.create(Map.of("size", "32", "mode", "top-left", "value", "-1.5"));
        assertEquals(32, s.size());
        assertEquals(Mode.TOP_LEFT, s.mode());
        assertEquals(-1.5, s.value());
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("mode", "middle")));
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("value", "NaN")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("value", "1e300")));
        assertTrue(e.getMessage().contains("pad.value"), e.getMessage());
    }
}
