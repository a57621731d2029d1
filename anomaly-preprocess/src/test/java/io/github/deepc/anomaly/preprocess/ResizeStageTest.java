package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.preprocess.ResizeStage.Interpolation;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResizeStageTest {
    private static GrayImage resize(GrayImage img, int size) {
        return new ResizeStage(size, Interpolation.AUTO).apply(img, TestImages.ctx());
    }

    @Test
    void keepsAspectRatioLandscape() {
        GrayImage out = resize(TestImages.ramp(100, 50), 64);
        assertEquals(64, out.width());
        assertEquals(32, out.height());
        assertEquals(64 * 32, out.validCount());
    }

    @Test
    void keepsAspectRatioPortrait() {
        GrayImage out = resize(TestImages.ramp(50, 100), 64);
        assertEquals(32, out.width());
        assertEquals(64, out.height());
    }

    @Test
    void roundsTheShortSideAndKeepsAtLeastOnePixel() {
        GrayImage out = resize(TestImages.ramp(300, 200), 64); // 42.67 -> 43
        assertEquals(64, out.width());
        assertEquals(43, out.height());
        GrayImage thin = resize(TestImages.ramp(1000, 1), 8); // 0.008 -> at least 1
        assertEquals(8, thin.width());
        assertEquals(1, thin.height());
    }

    @Test
    void enlargesSmallImages() {
        GrayImage out = resize(TestImages.ramp(10, 5), 64);
        assertEquals(64, out.width());
        assertEquals(32, out.height());
        float[] r = out.validRange();
        assertTrue(r[0] >= 0f && r[1] <= 49f, "linear interpolation stays within the input range");
    }

    @Test
    void imageAlreadyAtSizeIsReturnedUnchanged() {
        GrayImage img = TestImages.ramp(64, 20);
        assertSame(img, resize(img, 64));
    }

    @Test
    void constantImageStaysConstant() {
        GrayImage out = resize(GrayImage.filled(200, 120, 7.5f), 64);
        float[] r = out.validRange();
        assertEquals(7.5f, r[0], 1e-5f);
        assertEquals(7.5f, r[1], 1e-5f);
    }

    @Test
    void areaShrinkingAverages() {
        // 2x2 blocks of (0, 4 / 8, 12) shrink by 2 to their means
        float[] p = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                p[y * 4 + x] = (y / 2) * 8 + (x / 2) * 4;
            }
        }
        GrayImage img = GrayImage.of(4, 4, p, null);
        // size 8 is the minimum, so enlarge 4x4 -> 16x16 first with nearest, then shrink to 8x8 with area
        GrayImage big = new ResizeStage(16, Interpolation.NEAREST).apply(img, TestImages.ctx());
        GrayImage out = new ResizeStage(8, Interpolation.AREA).apply(big, TestImages.ctx());
        assertEquals(8, out.width());
        assertEquals(0f, out.get(0, 0), 1e-6f);
        assertEquals(4f, out.get(7, 0), 1e-6f);
        assertEquals(8f, out.get(0, 7), 1e-6f);
        assertEquals(12f, out.get(7, 7), 1e-6f);
    }

    @Test
    void nearestKeepsOriginalValues() {
        GrayImage img = TestImages.random(30, 17, 5, 100f, 1.0);
        Set<Float> in = new HashSet<>();
        for (float v : img.unsafePixels()) {
            in.add(v);
        }
        GrayImage out = new ResizeStage(77, Interpolation.NEAREST).apply(img, TestImages.ctx());
        for (float v : out.unsafePixels()) {
            assertTrue(in.contains(v), "value " + v + " not in the input");
        }
    }

    @Test
    void maskIsResizedWithNearestNeighbour() {
        // left half invalid
        int w = 100;
        int h = 50;
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                m[y * w + x] = true;
            }
        }
        GrayImage img = GrayImage.of(w, h, TestImages.ramp(w, h).pixels(), m);
        GrayImage out = resize(img, 64);
        assertEquals(64 * 32, out.size());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(x >= 32, out.isValid(x, y), "mask at " + x + "," + y);
            }
        }
        assertEquals(32 * 32, out.validCount());
    }

    @Test
    void providerDeclaresTypedParameters() {
        ResizeStageProvider p = new ResizeStageProvider();
        assertEquals("resize", p.id());
        assertEquals(2, p.parameters().size());
        assertEquals("64", p.parameters().get(0).defaultValue());
        assertEquals(8.0, p.parameters().get(0).min());
        assertEquals(8192.0, p.parameters().get(0).max());
        assertEquals("auto", p.parameters().get(1).defaultValue());
        assertEquals(java.util.List.of("auto", "area", "linear", "nearest"), p.parameters().get(1).choices());
        ResizeStage s = (ResizeStage) p.create(Map.of("size", "128", "interpolation", "nearest"));
        assertEquals(128, s.size());
        assertEquals(Interpolation.NEAREST, s.interpolation());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("size", "4")));
        assertTrue(e.getMessage().contains("resize.size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("interpolation", "cubic")));
        assertThrows(IllegalArgumentException.class, () -> new ResizeStage(9000, Interpolation.AUTO));
    }

    @Test
    void doesNotModifyTheInput() {
        GrayImage img = TestImages.random(40, 30, 9, 10f, 0.5);
        GrayImage copy = GrayImage.of(40, 30, img.pixels(), img.mask());
        resize(img, 16);
        assertEquals(copy, img);
        assertArrayEquals(copy.unsafeMask(), img.unsafeMask());
        assertFalse(img.validCount() == 0);
    }
}
