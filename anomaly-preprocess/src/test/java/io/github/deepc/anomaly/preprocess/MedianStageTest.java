package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.medianBlur;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class MedianStageTest {
    private static GrayImage salted(int w, int h, long seed, float base, float salt, double fraction) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextDouble() < fraction ? salt : base;
        }
        return GrayImage.of(w, h, p, null);
    }

    private static int countAbove(GrayImage img, float value) {
        int n = 0;
        for (float v : img.unsafePixels()) {
            if (v > value) {
                n++;
            }
        }
        return n;
    }

    @Test
    void removesSaltNoise() {
        for (int k : new int[] {3, 5, 7, 15}) {
            for (float scale : new float[] {1f, 255f, 65535f}) {
                float base = Math.round(0.4f * scale * 100) / 100f;
                GrayImage img = salted(80, 60, k, base, scale, 0.05);
                float half = (base + scale) / 2;
                assertTrue(countAbove(img, half) > 150);
                GrayImage out = new MedianStage(k).apply(img, TestImages.ctx());
                assertTrue(countAbove(out, half) <= 2, "kernel " + k + ", scale " + scale + ": " + countAbove(out, half) + " salt pixels left");
                int kept = 0;
                for (float v : out.unsafePixels()) {
                    kept += v == base ? 1 : 0;
                }
                assertTrue(kept >= 0.99 * img.size(), "kernel " + k + ", scale " + scale + ": the base value is kept (" + kept + ")");
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void largeKernelOn8BitValuesIsExactlyOpenCvsMedian() {
        SplittableRandom r = new SplittableRandom(3);
        int w = 37;
        int h = 29;
        byte[] v = new byte[w * h];
        float[] p = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            int x = r.nextInt(256);
            v[i] = (byte) x;
            p[i] = x;
        }
        GrayImage out = new MedianStage(9).apply(GrayImage.of(w, h, p, null), TestImages.ctx());
        try (PointerScope scope = Mats.scope()) {
            Mat u8 = new Mat(h, w, CV_8U);
            ((ByteBuffer) u8.createBuffer()).put(v);
            Mat m = new Mat();
            medianBlur(u8, m, 9);
            byte[] e = new byte[v.length];
            ((ByteBuffer) m.createBuffer()).get(e);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i] & 0xFF, out.unsafePixels()[i], 0f, "pixel " + i);
            }
        }
    }

    @Test
    void largeKernelOn16BitValuesIsQuantisedWithANote() {
        GrayImage img = Radiographs.bodyFilling(40, 40, 1, 65535f);
        StageContext ctx = TestImages.ctx();
        GrayImage out = new MedianStage(7).apply(img, ctx);
        assertTrue(ctx.notes().get(0).contains("256 levels"), ctx.notes().toString());
        float[] in = img.validRange();
        float[] r = out.validRange();
        assertTrue(r[0] >= in[0] - 1e-2 && r[1] <= in[1] + 1e-2, java.util.Arrays.toString(r));
        // small kernels filter floats exactly, without a note
        StageContext c3 = TestImages.ctx();
        new MedianStage(5).apply(img, c3);
        assertTrue(c3.notes().isEmpty());
    }

    @Test
    void tinyAndConstantImages() {
        for (int k : new int[] {3, 7, 15}) {
            GrayImage one = GrayImage.filled(1, 1, 9f);
            assertArrayEquals(new float[] {9f}, new MedianStage(k).apply(one, TestImages.ctx()).pixels(), 0f);
            GrayImage smaller = TestImages.ramp(4, 2);
            GrayImage out = new MedianStage(k).apply(smaller, TestImages.ctx());
            assertEquals(4, out.width());
            assertEquals(2, out.height());
            GrayImage constant = GrayImage.filled(20, 10, 1234.5f);
            assertArrayEquals(constant.pixels(), new MedianStage(k).apply(constant, TestImages.ctx()).pixels(), 0f);
            GrayImage black = GrayImage.filled(20, 10, 0f);
            assertArrayEquals(black.pixels(), new MedianStage(k).apply(black, TestImages.ctx()).pixels(), 0f);
        }
    }

    @Test
    void invalidPixelsKeepTheirValuesAndTheMask() {
        GrayImage img = TestImages.random(30, 20, 4, 100f, 0.7);
        GrayImage out = new MedianStage(3).apply(img, TestImages.ctx());
        assertArrayEquals(img.unsafeMask(), out.unsafeMask());
        for (int i = 0; i < img.size(); i++) {
            if (!img.unsafeMask()[i]) {
                assertEquals(img.unsafePixels()[i], out.unsafePixels()[i], 0f);
            }
        }
    }

    @Test
    void evenOrOutOfRangeKernelsAreClearErrors() {
        for (int k : new int[] {4, 1, 17, 0, -3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MedianStage(k));
            assertTrue(e.getMessage().contains("median.kernel=" + k) && e.getMessage().contains("odd"), e.getMessage());
        }
        MedianStageProvider p = new MedianStageProvider();
        assertEquals("median", p.id());
        assertEquals(3, ((MedianStage) p.create(Map.of())).kernel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("kernel", "6")));
        assertTrue(e.getMessage().contains("median.kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("kernel", "21")));
        assertTrue(e.getMessage().contains("median.kernel"), e.getMessage());
    }
}
