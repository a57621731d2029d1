package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class EqualizeStageTest {
    private static final EqualizeStage EQ = new EqualizeStage();

    @Test
    void spreadsTheHistogramOfALowContrastImage() {
        GrayImage img = Radiographs.lowContrast(64, 48, 1, 120f, 12f);
        GrayImage out = EQ.apply(img, TestImages.ctx());
        double before = Radiographs.validStd(img);
        double after = Radiographs.validStd(out);
        assertTrue(after > 3 * before, "std " + before + " -> " + after);
        float[] r = out.validRange();
        assertEquals(0f, r[0], 0f);
        assertEquals(255f, r[1], 0f);
    }

    @Test
    void spreadsTheHistogramOfRealChestRadiographs() throws IOException {
        var decoder = new OpenCvImageDecoder();
        for (Path f : Radiographs.shared("data/chest-xray/train/NORMAL", 12)) {
            GrayImage img = decoder.decode(f);
            GrayImage out = EQ.apply(img, TestImages.ctx());
            double before = Radiographs.validStd(img);
            double after = Radiographs.validStd(out);
            assertTrue(after > before, f + ": std " + before + " -> " + after);
            // an equalised histogram is close to flat: std of a uniform 0..255 distribution is 73.9
            assertTrue(after > 65, f + ": std " + after);
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void lookUpTableMatchesOpenCvEqualizeHist() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            int w = 1 + r.nextInt(80);
            int h = 1 + r.nextInt(60);
            byte[] v = new byte[w * h];
            int centre = r.nextInt(256);
            int spread = 1 + r.nextInt(100);
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) Math.max(0, Math.min(255, centre + (int) (r.nextGaussian() * spread)));
            }
            try (PointerScope scope = Mats.scope()) {
                Mat u8 = new Mat(h, w, CV_8U);
                ((ByteBuffer) u8.createBuffer()).put(v);
                double[] hist = Levels.histogram(u8, new Mat());
                if (Arrays.stream(hist).filter(c -> c > 0).count() < 2) {
                    continue;
                }
                Mat expected = new Mat();
                equalizeHist(u8, expected);
                Mat got = new Mat();
                LUT(u8, EqualizeStage.lut(hist), got);
                byte[] e = new byte[v.length];
                byte[] g = new byte[v.length];
                ((ByteBuffer) expected.createBuffer()).get(e);
                ((ByteBuffer) got.createBuffer()).get(g);
                assertArrayEquals(e, g, "round " + round);
            }
        }
    }

    @Test
    void onlyValidPixelsDriveTheHistogram() {
        GrayImage content = Radiographs.lowContrast(30, 20, 3, 100f, 20f);
        GrayImage alone = EQ.apply(content, TestImages.ctx());
        // the same content padded with invalid pixels of extreme values: must not change the valid pixels' result
        GrayImage padded = new PadStage(40, PadStage.Mode.CENTRE, 1e6).apply(content, TestImages.ctx());
        GrayImage out = EQ.apply(padded, TestImages.ctx());
        int[] off = new PadStage(40, PadStage.Mode.CENTRE, 0).offset(30, 20);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(alone.get(x, y), out.get(x + off[0], y + off[1]), 0f, "pixel " + x + "," + y);
            }
        }
        assertArrayEquals(padded.unsafeMask(), out.unsafeMask());
        for (int i = 0; i < out.size(); i++) {
            if (!out.unsafeMask()[i]) {
                assertEquals(0f, out.unsafePixels()[i], 0f, "invalid pixels become 0");
            }
        }
    }

    @Test
    void sixteenBitInputIsEqualisedOnto0To255() {
        GrayImage img = Radiographs.lowContrast(50, 50, 9, 30000f, 800f);
        GrayImage out = EQ.apply(img, TestImages.ctx());
        float[] r = out.validRange();
        assertEquals(0f, r[0], 0f);
        assertEquals(255f, r[1], 0f);
        assertTrue(Radiographs.validStd(out) > 60);
    }

    @Test
    void degenerateImagesBecomeZeroWithANote() {
        for (GrayImage img : new GrayImage[] {GrayImage.filled(7, 5, 42f), GrayImage.filled(7, 5, 0f), GrayImage.filled(1, 1, 3f),
            GrayImage.of(2, 2, new float[] {1, 2, 3, 4}, new boolean[4])}) {
            StageContext ctx = TestImages.ctx();
            GrayImage out = EQ.apply(img, ctx);
            assertArrayEquals(new float[img.size()], out.pixels(), 0f, img.toString());
            assertArrayEquals(img.unsafeMask(), out.unsafeMask());
            assertEquals(1, ctx.notes().size(), ctx.notes().toString());
        }
    }

    @Test
    void infiniteValidPixelIsAnErrorNamingTheStage() {
        GrayImage img = GrayImage.of(2, 1, new float[] {1, Float.POSITIVE_INFINITY}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EQ.apply(img, TestImages.ctx()));
        assertTrue(e.getMessage().startsWith("equalize"), e.getMessage());
    }

    @Test
    void providerHasNoParameters() {
        EqualizeStageProvider p = new EqualizeStageProvider();
        assertEquals("equalize", p.id());
        assertTrue(p.parameters().isEmpty());
        assertTrue(p.create(Map.of()) instanceof EqualizeStage);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("bins", "64")));
        assertTrue(e.getMessage().contains("unknown parameter 'bins'"), e.getMessage());
    }
}
