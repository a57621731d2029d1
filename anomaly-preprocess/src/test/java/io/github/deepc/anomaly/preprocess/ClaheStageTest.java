package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.preprocess.ClaheStage.Depth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaheStageTest {
    private static final ClaheStage CLAHE = new ClaheStage(2.0, 8, Depth.BITS_8);

    private static void assertWithin0To255(GrayImage out) {
        for (float v : out.unsafePixels()) {
            assertTrue(v >= 0f && v <= 255f, "value " + v);
        }
    }

    @Test
    void raisesTheContrastOfALowContrastImage() {
        GrayImage img = Radiographs.lowContrast(96, 80, 2, 120f, 10f);
        GrayImage out = CLAHE.apply(img, TestImages.ctx());
        assertTrue(Radiographs.validStd(out) > 2 * Radiographs.validStd(img),
                Radiographs.validStd(img) + " -> " + Radiographs.validStd(out));
        assertWithin0To255(out);
        assertEquals(img.width(), out.width());
        assertEquals(img.height(), out.height());
    }

    @Test
    void sixteenBitDepthKeepsFineLevelsAndStaysOn0To255() {
        GrayImage img = Radiographs.bodyFilling(64, 64, 4, 65535f);
        GrayImage out8 = CLAHE.apply(img, TestImages.ctx());
        GrayImage out16 = new ClaheStage(2.0, 8, Depth.BITS_16).apply(img, TestImages.ctx());
        assertWithin0To255(out8);
        assertWithin0To255(out16);
        long distinct8 = java.util.stream.IntStream.range(0, out8.size()).mapToObj(i -> out8.unsafePixels()[i]).distinct().count();
        long distinct16 = java.util.stream.IntStream.range(0, out16.size()).mapToObj(i -> out16.unsafePixels()[i]).distinct().count();
        assertTrue(distinct8 <= 256, "8-bit depth has at most 256 levels: " + distinct8);
        assertTrue(distinct16 > distinct8, distinct16 + " vs " + distinct8);
    }

    @Test
    void runsOnRealChestRadiographs() throws IOException {
        var decoder = new OpenCvImageDecoder();
        for (Path f : Radiographs.shared("data/chest-xray/train/NORMAL", 6)) {
            GrayImage img = decoder.decode(f);
            GrayImage out = CLAHE.apply(img, TestImages.ctx());
            assertWithin0To255(out);
            assertTrue(Radiographs.validStd(out) > 20, f + ": std " + Radiographs.validStd(out));
        }
    }

    @Test
    void invalidPixelsBecomeZeroAndTheMaskIsKept() {
        GrayImage content = Radiographs.bodyFilling(40, 30, 1, 255f);
        GrayImage padded = new PadStage(48, PadStage.Mode.CENTRE, 9999).apply(content, TestImages.ctx());
        GrayImage out = CLAHE.apply(padded, TestImages.ctx());
        assertArrayEquals(padded.unsafeMask(), out.unsafeMask());
        for (int i = 0; i < out.size(); i++) {
            if (!out.unsafeMask()[i]) {
                assertEquals(0f, out.unsafePixels()[i], 0f);
            }
        }
        assertWithin0To255(out);
    }

    @Test
    void imagesSmallerThanTheGridGetFewerTiles() {
        StageContext ctx = TestImages.ctx();
        GrayImage out = CLAHE.apply(TestImages.ramp(5, 3), ctx);
        assertEquals(5, out.width());
        assertEquals(3, out.height());
        assertWithin0To255(out);
        assertTrue(ctx.notes().get(0).contains("5x3 tiles"), ctx.notes().toString());
        GrayImage row = CLAHE.apply(TestImages.ramp(100, 1), TestImages.ctx());
        assertEquals(100, row.width());
        assertWithin0To255(row);
    }

    @Test
    void degenerateImagesBecomeZeroWithANote() {
        for (GrayImage img : new GrayImage[] {GrayImage.filled(16, 16, 7f), GrayImage.filled(9, 9, 0f), GrayImage.filled(1, 1, 1f),
            GrayImage.of(2, 1, new float[] {1, 2}, new boolean[2])}) {
            StageContext ctx = TestImages.ctx();
            GrayImage out = CLAHE.apply(img, ctx);
            assertArrayEquals(new float[img.size()], out.pixels(), 0f);
            assertTrue(ctx.notes().get(0).contains("every pixel set to 0"), ctx.notes().toString());
        }
    }

    @Test
    void providerDeclaresTypedParametersAndRejectsBadValues() {
        ClaheStageProvider p = new ClaheStageProvider();
        assertEquals("clahe", p.id());
        ClaheStage d = (ClaheStage) p.create(Map.of());
        assertEquals(2.0, d.clipLimit(), 0.0);
        assertEquals(8, d.tileGrid());
        assertEquals(Depth.BITS_8, d.depth());
        ClaheStage c = (ClaheStage) p.create(Map.of("clip-limit", "4", "tile-grid", "4", "depth", "16"));
        assertEquals(4.0, c.clipLimit(), 0.0);
        assertEquals(4, c.tileGrid());
        assertEquals(Depth.BITS_16, c.depth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("tile-grid", "0")));
        assertTrue(e.getMessage().contains("clahe.tile-grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("clip-limit", "-1")));
        assertTrue(e.getMessage().contains("clahe.clip-limit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("depth", "12")));
        assertTrue(e.getMessage().contains("clahe.depth"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClaheStage(2, 65, Depth.BITS_8));
    }
}
