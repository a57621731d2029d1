package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;

class MatsTest {
    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void roundTripKeepsPixelsAndMask() {
        GrayImage img = TestImages.random(37, 23, 7, 1000f, 0.6);
        try (PointerScope scope = Mats.scope()) {
            Mat p = Mats.pixels(img);
            Mat m = Mats.mask(img);
            assertEquals(CV_32F, p.type());
            assertEquals(CV_8U, m.type());
            assertEquals(23, p.rows());
            assertEquals(37, p.cols());
            assertEquals(img.validCount(), countNonZero(m));
            GrayImage back = Mats.image(p, m);
            assertEquals(img, back);
            assertArrayEquals(img.unsafeMask(), back.unsafeMask());
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void rowMajorLayoutMatchesOpenCv() {
        GrayImage img = TestImages.ramp(5, 3);
        try (PointerScope scope = Mats.scope()) {
            Mat p = Mats.pixels(img);
            // (x=4, y=2) is the last pixel: 2 * 5 + 4
            Mat roi = new Mat(p, new Rect(4, 2, 1, 1));
            assertArrayEquals(new float[] {14f}, Mats.floats(roi));
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void nonContinuousMatsAreCopiedOutCorrectly() {
        GrayImage img = TestImages.ramp(6, 4);
        try (PointerScope scope = Mats.scope()) {
            Mat roi = new Mat(Mats.pixels(img), new Rect(1, 1, 3, 2));
            assertFalse(roi.isContinuous());
            assertArrayEquals(new float[] {7, 8, 9, 13, 14, 15}, Mats.floats(roi));
        }
    }

    @Test
    void allValidDetectsInvalidPixels() {
        assertTrue(Mats.allValid(TestImages.ramp(4, 4)));
        boolean[] m = new boolean[16];
        java.util.Arrays.fill(m, true);
        m[15] = false;
        assertFalse(Mats.allValid(GrayImage.of(4, 4, new float[16], m)));
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void wrongTypesAreRejected() {
        try (PointerScope scope = Mats.scope()) {
            Mat bytes = new Mat(2, 2, CV_8U);
            assertThrows(IllegalArgumentException.class, () -> Mats.floats(bytes));
            Mat floats = new Mat(2, 2, CV_32F);
            assertThrows(IllegalArgumentException.class, () -> Mats.flags(floats));
        }
    }

    @Test
    void stagesReleaseTheirNativeMemory() {
        GrayImage img = TestImages.random(50, 30, 3, 100f, 0.8);
        var resize = new ResizeStage(64, ResizeStage.Interpolation.AUTO);
        var pad = new PadStage(64, PadStage.Mode.CENTRE, 0);
        var norm = new NormalizeStage(NormalizeStage.Range.UNIT);
        // warm up (class loading, static natives)
        norm.apply(pad.apply(resize.apply(img, TestImages.ctx()), TestImages.ctx()), TestImages.ctx());
        long before = Pointer.totalCount();
        for (int i = 0; i < 200; i++) {
            norm.apply(pad.apply(resize.apply(img, TestImages.ctx()), TestImages.ctx()), TestImages.ctx());
        }
        assertTrue(Pointer.totalCount() <= before, "native pointers left allocated: " + (Pointer.totalCount() - before));
    }
}
