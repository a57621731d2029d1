package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.phantom.AnomalyKind;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.preprocess.InvertStage.Mode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvertStageTest {
    private static final InvertStage AUTO = new InvertStage(Mode.AUTO, InvertStageProvider.DEFAULT_MARGIN);

    @Test
    void detectsInvertedBodyFillingImages() {
        for (long seed = 0; seed < 10; seed++) {
            for (float scale : new float[] {255f, 65535f}) {
                GrayImage normal = Radiographs.bodyFilling(48 + (int) seed, 40, seed, scale);
                GrayImage inverted = Radiographs.inverted(normal);
                assertFalse(AUTO.detect(normal).inverted(), "normal image " + seed + " flagged: " + AUTO.detect(normal));
                assertTrue(AUTO.detect(inverted).inverted(), "inverted image " + seed + " missed: " + AUTO.detect(inverted));
            }
        }
    }

    @Test
    void detectsInvertedHandPhantoms() {
        HandPhantomGenerator g = HandPhantomGenerator.ofSize(128);
        for (long seed = 0; seed < 20; seed++) {
            GrayImage normal = g.generate(seed, AnomalyKind.NONE).image();
            assertFalse(AUTO.detect(normal).inverted(), "phantom " + seed + " flagged: " + AUTO.detect(normal));
            GrayImage inverted = Radiographs.inverted(normal);
            assertTrue(AUTO.detect(inverted).inverted(), "inverted phantom " + seed + " missed: " + AUTO.detect(inverted));
        }
    }

    @Test
    void fixesAnInvertedImageWithANoteAndLeavesANormalOneAlone() {
        GrayImage normal = Radiographs.bodyFilling(64, 64, 3, 255f);
        GrayImage inverted = Radiographs.inverted(normal);
        StageContext ctx = TestImages.ctx();
        GrayImage fixed = AUTO.apply(inverted, ctx);
        assertArrayEquals(normal.unsafePixels(), fixed.unsafePixels(), 1e-3f);
        assertEquals(1, ctx.notes().size());
        assertTrue(ctx.notes().get(0).contains("inverted intensities"), ctx.notes().toString());
        StageContext quiet = TestImages.ctx();
        assertSame(normal, AUTO.apply(normal, quiet));
        assertTrue(quiet.notes().isEmpty());
    }

    @Test
    void chestRadiographsAreNotFlaggedAndTheirInversionsAre() throws IOException {
        var decoder = new OpenCvImageDecoder();
        int flagged = 0;
        int found = 0;
        var files = Radiographs.shared("data/chest-xray/train/NORMAL", 60);
        for (Path f : files) {
            GrayImage img = decoder.decode(f);
            flagged += AUTO.detect(img).inverted() ? 1 : 0;
            found += AUTO.detect(Radiographs.inverted(img)).inverted() ? 1 : 0;
        }
        assertEquals(0, flagged, "normal chest radiographs taken for inverted");
        assertTrue(found >= 0.85 * files.size(), "inverted chest radiographs found: " + found + " of " + files.size());
    }

    @Test
    void alwaysAndNeverModes() {
        GrayImage img = Radiographs.bodyFilling(20, 20, 1, 255f);
        GrayImage always = new InvertStage(Mode.ALWAYS, 0.1).apply(img, TestImages.ctx());
        float[] r = img.validRange();
        for (int i = 0; i < img.size(); i++) {
            assertEquals(r[0] + r[1] - img.unsafePixels()[i], always.unsafePixels()[i], 1e-3f);
        }
        assertArrayEquals(img.validRange(), always.validRange(), 1e-3f);
        GrayImage inverted = Radiographs.inverted(img);
        assertSame(inverted, new InvertStage(Mode.NEVER, 0.1).apply(inverted, TestImages.ctx()));
    }

    @Test
    void invalidPixelsKeepTheirValuesAndDoNotCount() {
        GrayImage content = Radiographs.inverted(Radiographs.bodyFilling(30, 30, 2, 255f));
        // a wide invalid frame of dark values: if it counted, the border would look dark and the image normal
        GrayImage padded = new PadStage(60, PadStage.Mode.CENTRE, -500).apply(content, TestImages.ctx());
        StageContext ctx = TestImages.ctx();
        GrayImage out = AUTO.apply(padded, ctx);
        assertEquals(1, ctx.notes().size(), "the content is inverted: " + ctx.notes());
        assertArrayEquals(padded.unsafeMask(), out.unsafeMask());
        for (int i = 0; i < out.size(); i++) {
            if (!out.unsafeMask()[i]) {
                assertEquals(-500f, out.unsafePixels()[i], 0f);
            }
        }
    }

    @Test
    void degenerateImagesAreLeftAlone() {
        for (GrayImage img : new GrayImage[] {GrayImage.filled(1, 1, 5f), GrayImage.filled(10, 10, 0f), GrayImage.filled(3, 7, 200f)}) {
            assertSame(img, AUTO.apply(img, TestImages.ctx()));
        }
        StageContext ctx = TestImages.ctx();
        GrayImage none = GrayImage.of(2, 2, new float[] {1, 2, 3, 4}, new boolean[4]);
        assertSame(none, AUTO.apply(none, ctx));
        assertTrue(ctx.notes().get(0).contains("no valid pixel"), ctx.notes().toString());
        // only the centre valid: the border cannot be measured
        boolean[] m = new boolean[100];
        m[44] = true;
        m[55] = true;
        StageContext c2 = TestImages.ctx();
        GrayImage centreOnly = GrayImage.of(10, 10, TestImages.ramp(10, 10).pixels(), m);
        assertSame(centreOnly, AUTO.apply(centreOnly, c2));
        assertTrue(c2.notes().get(0).contains("border"), c2.notes().toString());
    }

    @Test
    void providerDeclaresTypedParametersAndRejectsBadValues() {
        InvertStageProvider p = new InvertStageProvider();
        assertEquals("invert", p.id());
        InvertStage d = (InvertStage) p.create(Map.of());
        assertEquals(Mode.AUTO, d.mode());
        assertEquals(0.1, d.margin(), 0.0);
        assertEquals(Mode.ALWAYS, ((InvertStage) p.create(Map.of("mode", "always"))).mode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("mode", "sometimes")));
        assertTrue(e.getMessage().contains("invert.mode") && e.getMessage().contains("auto, always, never"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("margin", "2")));
        assertTrue(e.getMessage().contains("invert.margin"), e.getMessage());
    }
}
