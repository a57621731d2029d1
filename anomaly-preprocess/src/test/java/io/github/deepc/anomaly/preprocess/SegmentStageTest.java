package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SegmentStageTest {
    private static final int W = 120;
    private static final int H = 100;
    private static final boolean[] BODY = Drawn.fill(W, H, new Ellipse2D.Double(25, 15, 70, 70));

    /** A textured bright disc (body, ~170) on a dark noisy background (~25). */
    private static GrayImage disc(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[W * H];
        for (int i = 0; i < p.length; i++) {
            int x = i % W;
            int y = i / W;
            p[i] = BODY[i] ? 150 + 30 * (float) Math.sin(x * 0.4) * (float) Math.cos(y * 0.3) + (float) r.nextGaussian() * 5
                    : 25 + (float) r.nextGaussian() * 6;
        }
        return GrayImage.of(W, H, p, null);
    }

    private static double iou(boolean[] a, boolean[] b) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] && b[i]) {
                inter++;
            }
            if (a[i] || b[i]) {
                union++;
            }
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    private static void assertBackgroundZeroAndForegroundKept(GrayImage in, GrayImage out) {
        for (int i = 0; i < in.size(); i++) {
            if (out.unsafeMask()[i]) {
                assertEquals(in.unsafePixels()[i], out.unsafePixels()[i], 0f, "foreground pixel " + i + " changed");
                assertTrue(in.unsafeMask()[i], "pixel " + i + " became valid");
            } else {
                assertEquals(0f, out.unsafePixels()[i], 0f, "background pixel " + i + " not 0");
            }
        }
    }

    @Test
    void otsuMasksOutTheBackground() {
        GrayImage img = disc(1);
        GrayImage out = new SegmentStage(SegmentStage.Method.OTSU, 5, 3).apply(img, TestImages.ctx());
        assertTrue(iou(BODY, out.unsafeMask()) > 0.95, "IoU " + iou(BODY, out.unsafeMask()));
        assertBackgroundZeroAndForegroundKept(img, out);
    }

    @Test
    void grabCutMasksOutTheBackgroundReproducibly() {
        GrayImage img = disc(2);
        SegmentStage gc = new SegmentStage(SegmentStage.Method.GRABCUT, 5, 3);
        GrayImage a = gc.apply(img, StageContext.standalone(false, 11));
        GrayImage b = gc.apply(img, StageContext.standalone(false, 11));
        assertTrue(iou(BODY, a.unsafeMask()) > 0.9, "IoU " + iou(BODY, a.unsafeMask()));
        assertBackgroundZeroAndForegroundKept(img, a);
        // same seed, same result, bit for bit
        assertEquals(a, b);
        assertArrayEquals(a.unsafeMask(), b.unsafeMask());
    }

    @Test
    void grabCutIsReproducibleAcrossThreads() throws Exception {
        SegmentStage gc = new SegmentStage(SegmentStage.Method.GRABCUT, 3, 2);
        List<GrayImage> inputs = new ArrayList<>();
        List<GrayImage> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inputs.add(disc(100 + i));
            expected.add(gc.apply(inputs.get(i), StageContext.standalone(false, 1000 + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GrayImage>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < inputs.size(); i++) {
                    int k = i;
                    futures.add(pool.submit(() -> gc.apply(inputs.get(k), StageContext.standalone(false, 1000 + k))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(expected.get(i % inputs.size()), futures.get(i).get(), "result " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threeClassesKeepTissueAndBoneAndEnclosedHolesAreFilled() {
        // background 20, a tissue disc 100 with a bone bar 220 across it and a dark "lung" hole (25) inside
        boolean[] bone = Drawn.fill(W, H, new java.awt.geom.Rectangle2D.Double(55, 20, 10, 60));
        boolean[] hole = Drawn.fill(W, H, new Ellipse2D.Double(35, 40, 15, 20));
        float[] p = new float[W * H];
        for (int i = 0; i < p.length; i++) {
            p[i] = BODY[i] ? (bone[i] ? 220 : hole[i] ? 25 : 100) : 20;
        }
        GrayImage img = GrayImage.of(W, H, p, null);
        GrayImage three = new SegmentStage(SegmentStage.Method.OTSU, 3, 3, 1, true).apply(img, TestImages.ctx());
        assertTrue(iou(BODY, three.unsafeMask()) > 0.97, "IoU " + iou(BODY, three.unsafeMask()));
        GrayImage noFill = new SegmentStage(SegmentStage.Method.OTSU, 3, 3, 1, false).apply(img, TestImages.ctx());
        assertFalse(noFill.isValid(42, 50), "without fill-holes the hole stays background");
        assertTrue(three.isValid(42, 50), "with fill-holes the hole is body");
    }

    @Test
    void theExistingMaskIsRespected() {
        GrayImage full = disc(3);
        boolean[] m = new boolean[W * H];
        for (int i = 0; i < m.length; i++) {
            // the left third is padding; inside it the disc's pixels are invalid too
            m[i] = i % W >= 40;
        }
        GrayImage img = GrayImage.of(W, H, full.pixels(), m);
        for (SegmentStage.Method method : SegmentStage.Method.values()) {
            GrayImage out = new SegmentStage(method, 5, 2).apply(img, TestImages.ctx());
            assertBackgroundZeroAndForegroundKept(img, out);
            for (int i = 0; i < m.length; i++) {
                if (!m[i]) {
                    assertFalse(out.unsafeMask()[i], method + ": invalid pixel " + i + " became valid");
                }
            }
            boolean[] expected = BODY.clone();
            for (int i = 0; i < m.length; i++) {
                expected[i] &= m[i];
            }
            assertTrue(iou(expected, out.unsafeMask()) > 0.9, method + " IoU " + iou(expected, out.unsafeMask()));
        }
    }

    @Test
    void sixteenBitImagesGiveTheSameMask() {
        GrayImage img = disc(4);
        for (SegmentStage.Method method : SegmentStage.Method.values()) {
            SegmentStage s = new SegmentStage(method, 5, 2);
            GrayImage a = s.apply(img, StageContext.standalone(false, 5));
            GrayImage b = s.apply(Drawn.scaled(img, 257f), StageContext.standalone(false, 5));
            assertArrayEquals(a.unsafeMask(), b.unsafeMask(), method.word());
        }
    }

    @Test
    void degenerateImagesAreReturnedUnchangedWithANote() {
        for (SegmentStage.Method method : SegmentStage.Method.values()) {
            SegmentStage s = new SegmentStage(method, 5, 2);
            for (GrayImage img : List.of(GrayImage.filled(1, 1, 4f), GrayImage.filled(20, 10, 0f), GrayImage.filled(8, 8, 77f),
                    GrayImage.of(3, 3, new float[9], new boolean[9]))) {
                StageContext ctx = TestImages.ctx();
                assertSame(img, s.apply(img, ctx), method + " " + img);
                assertEquals(1, ctx.notes().size(), method + " " + img + " " + ctx.notes());
            }
        }
    }

    @Test
    void tinyImagesAndAperturesLargerThanTheImageAreDefined() {
        // 3x3, two levels: Otsu splits it; GrabCut has too few samples and says it used the Otsu mask
        GrayImage tiny = GrayImage.of(3, 3, new float[] {0, 0, 0, 0, 9, 9, 0, 9, 9}, null);
        GrayImage otsu = new SegmentStage(SegmentStage.Method.OTSU, 1, 1).apply(tiny, TestImages.ctx());
        assertArrayEquals(new boolean[] {false, false, false, false, true, true, false, true, true}, otsu.unsafeMask());
        StageContext ctx = TestImages.ctx();
        GrayImage gc = new SegmentStage(SegmentStage.Method.GRABCUT, 1, 1).apply(tiny, ctx);
        assertArrayEquals(otsu.unsafeMask(), gc.unsafeMask());
        assertTrue(ctx.notes().get(0).contains("too few for GrabCut"), ctx.notes().toString());
        // a 51-pixel median on a 10x10 image
        GrayImage out = new SegmentStage(SegmentStage.Method.OTSU, 51, 1).apply(TestImages.ramp(10, 10), TestImages.ctx());
        assertEquals(100, out.size());
    }

    @Test
    void providerDeclaresTypedParametersAndRejectsBadValues() {
        SegmentStageProvider p = new SegmentStageProvider();
        assertEquals("segment", p.id());
        assertEquals(List.of("method", "classes", "blur", "iterations", "fill-holes"), p.parameters().stream().map(s -> s.name()).toList());
        SegmentStage d = (SegmentStage) p.create(Map.of());
        assertEquals(SegmentStage.Method.OTSU, d.method());
        assertEquals(5, d.blur());
        assertEquals(SegmentStage.Method.GRABCUT, ((SegmentStage) p.create(Map.of("method", "grabcut"))).method());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("blur", "4")));
        assertTrue(e.getMessage().contains("segment.blur"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("iterations", "0")));
        assertTrue(e.getMessage().contains("segment.iterations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("method", "watershed")));
        assertTrue(e.getMessage().contains("segment.method"), e.getMessage());
    }
}
