package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MarkerRemovalStageTest {
    private static final MarkerRemovalStage STAGE = MarkerRemovalStage.defaults();

    /** A smooth gradient (40..120). */
    private static float[] gradient(int w, int h) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = 40 + 80f * (x + y) / (w + h);
            }
        }
        return p;
    }

    /** @return a bold "R", about 17 x 19 pixels (212 pixels, 0.4% of a 256 x 200 image), in the upper left */
    private static boolean[] letter(int w, int h) {
        return Drawn.text(w, h, "R", 20, 45, 26);
    }

    @Test
    void aBrightLetterOnASmoothGradientDisappearsAndTheRestBarelyChanges() {
        int w = 256;
        int h = 200;
        float[] clean = gradient(w, h);
        boolean[] r = letter(w, h);
        float[] marked = clean.clone();
        int letterPixels = 0;
        for (int i = 0; i < marked.length; i++) {
            if (r[i]) {
                marked[i] = 230;
                letterPixels++;
            }
        }
        assertTrue(letterPixels > 40, "the letter is drawn: " + letterPixels);
        GrayImage img = GrayImage.of(w, h, marked, null);
        StageContext ctx = TestImages.ctx();
        GrayImage out = STAGE.apply(img, ctx);
        assertTrue(ctx.notes().get(0).startsWith("stage: removed 1 marker component"), ctx.notes().toString());
        double maxOnLetter = 0;
        double sumElsewhere = 0;
        int changedElsewhere = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = Math.abs(out.unsafePixels()[i] - clean[i]);
            if (r[i]) {
                maxOnLetter = Math.max(maxOnLetter, d);
            } else {
                sumElsewhere += d;
                if (out.unsafePixels()[i] != marked[i]) {
                    changedElsewhere++;
                }
            }
        }
        // the letter was 110..190 above the gradient; now it is the gradient, give or take a few levels
        assertTrue(maxOnLetter < 8, "letter still visible: max difference to the clean gradient " + maxOnLetter);
        assertTrue(sumElsewhere / (clean.length - letterPixels) < 0.2, "mean change elsewhere " + sumElsewhere / clean.length);
        // only the letter and its rim (dilate 2) were touched
        assertTrue(changedElsewhere < 3 * letterPixels, "pixels changed beyond the letter: " + changedElsewhere);
        assertArrayEquals(img.unsafeMask(), out.unsafeMask());
        // Navier-Stokes too
        GrayImage ns = new MarkerRemovalStage(0, 100, 0.5, 0.01, 0.15, 4, 0.3, 2, 3, MarkerRemovalStage.Method.NS)
                .apply(img, TestImages.ctx());
        for (int i = 0; i < clean.length; i++) {
            if (r[i]) {
                assertTrue(Math.abs(ns.unsafePixels()[i] - clean[i]) < 10, "ns: pixel " + i);
            }
        }
    }

    @Test
    void sixteenBitImagesKeepTheirRange() {
        int w = 256;
        int h = 200;
        float[] p = gradient(w, h);
        boolean[] r = letter(w, h);
        for (int i = 0; i < p.length; i++) {
            p[i] = (r[i] ? 230 : p[i]) * 257f;
        }
        GrayImage out = STAGE.apply(GrayImage.of(w, h, p, null), TestImages.ctx());
        float[] clean = gradient(w, h);
        for (int i = 0; i < p.length; i++) {
            if (r[i]) {
                assertTrue(Math.abs(out.unsafePixels()[i] - clean[i] * 257f) < 8 * 257f, "pixel " + i);
            }
        }
    }

    @Test
    void boneLikeStructuresOnTissueAreLeftAlone() {
        // tissue (130) on background (30) with a bright bone (220, 8 px wide) along it, and a bright blob on the
        // tissue: nothing here lies on background, so nothing is removed
        int w = 120;
        int h = 120;
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 30;
                if (x >= 30 && x < 90) {
                    v = 130;
                }
                if (x >= 56 && x < 64) {
                    v = 220;
                }
                if (x >= 36 && x < 42 && y >= 50 && y < 56) {
                    v = 240;
                }
                p[y * w + x] = v;
            }
        }
        GrayImage img = GrayImage.of(w, h, p, null);
        assertSame(img, STAGE.apply(img, TestImages.ctx()));
    }

    @Test
    void invalidPixelsAndTheMaskAreUntouched() {
        int w = 256;
        int h = 200;
        float[] p = gradient(w, h);
        boolean[] r = letter(w, h);
        boolean[] m = new boolean[w * h];
        for (int i = 0; i < p.length; i++) {
            if (r[i]) {
                p[i] = 230;
            }
            // the left half of the letter is invalid
            m[i] = i % w >= 30;
        }
        GrayImage img = GrayImage.of(w, h, p, m);
        GrayImage out = STAGE.apply(img, TestImages.ctx());
        assertArrayEquals(m, out.unsafeMask());
        for (int i = 0; i < p.length; i++) {
            if (!m[i]) {
                assertEquals(p[i], out.unsafePixels()[i], 0f, "invalid pixel " + i + " changed");
            }
        }
    }

    @Test
    void degenerateAndTinyImagesAreDefined() {
        for (GrayImage img : List.of(GrayImage.filled(1, 1, 5f), GrayImage.filled(30, 20, 0f), GrayImage.filled(9, 9, 200f),
                GrayImage.of(2, 2, new float[] {0, 255, 255, 0}, null), GrayImage.of(4, 4, new float[16], new boolean[16]))) {
            assertSame(img, STAGE.apply(img, TestImages.ctx()), img.toString());
        }
        // a kernel far larger than the image is allowed
        float[] p = new float[12 * 12];
        for (int y = 4; y < 8; y++) {
            for (int x = 4; x < 7; x++) {
                p[y * 12 + x] = 250;
            }
        }
        GrayImage small = GrayImage.of(12, 12, p, null);
        GrayImage out = new MarkerRemovalStage(101, 100, 0.5, 0.5, 0.9, 4, 0.3, 1, 3, MarkerRemovalStage.Method.TELEA)
                .apply(small, TestImages.ctx());
        assertTrue(out.get(5, 5) < 100, "the blob in a 12x12 image is removed: " + out.get(5, 5));
    }

    @Test
    void providerDeclaresTypedParametersAndRejectsBadValues() {
        MarkerRemovalStageProvider p = new MarkerRemovalStageProvider();
        assertEquals("marker-removal", p.id());
        assertEquals(List.of("kernel", "contrast", "min-level", "max-area", "max-size", "max-aspect", "max-background", "dilate",
                "radius", "method"), p.parameters().stream().map(s -> s.name()).toList());
        MarkerRemovalStage d = (MarkerRemovalStage) p.create(Map.of());
        assertEquals(MarkerRemovalStage.Method.TELEA, d.method());
        assertEquals(27, d.kernelFor(454, 373));
        assertEquals(13, d.kernelFor(224, 224));
        assertEquals(MarkerRemovalStage.Method.NS, ((MarkerRemovalStage) p.create(Map.of("method", "ns"))).method());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("kernel", "8")));
        assertTrue(e.getMessage().contains("marker-removal.kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("method", "fast")));
        assertTrue(e.getMessage().contains("marker-removal.method"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("radius", "0")));
        assertTrue(e.getMessage().contains("marker-removal.radius"), e.getMessage());
    }

    /**
     * On real radiographs: the bright-marker area ({@link MarkerMetrics}: pixels at or above half the range in
     * small isolated components) shrinks, no image gains any, and few pixels change.
     */
    @Test
    void brightMarkerAreaShrinksOnRealChestAndHandImages() throws IOException {
        Path chest = Drawn.shared("chest-xray/train/NORMAL");
        Path hand = Drawn.shared("hand-xray/NORMAL");
        assumeTrue(Drawn.hasFiles(chest) && Drawn.hasFiles(hand),
                "shared data not found: " + chest + " and " + hand + " (set -Danomaly.shared.dir); skipping the real-image check");
        OpenCvImageDecoder decoder = new OpenCvImageDecoder();
        StringBuilder report = new StringBuilder();
        for (Path dir : List.of(chest, hand)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.getFileName().toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList();
            }
            int n = 12;
            int step = Math.max(1, files.size() / n);
            long before = 0;
            long after = 0;
            int removed = 0;
            for (int i = 0; i < n && i * step < files.size(); i++) {
                GrayImage img = decoder.decode(files.get(i * step));
                StageContext ctx = TestImages.ctx();
                GrayImage out = STAGE.apply(img, ctx);
                float[] range = img.validRange();
                boolean[] markers = MarkerMetrics.brightSmallMask(img, range[0], range[1]);
                int b = MarkerMetrics.brightSmallArea(img, range[0], range[1]);
                int a = MarkerMetrics.remaining(out, markers, range[0], range[1]);
                assertTrue(a <= b, files.get(i * step) + ": bright-marker area grew from " + b + " to " + a);
                int changed = 0;
                for (int k = 0; k < img.size(); k++) {
                    if (img.unsafePixels()[k] != out.unsafePixels()[k]) {
                        changed++;
                    }
                }
                assertTrue(changed < 0.02 * img.size(), files.get(i * step) + ": " + changed + " pixels changed");
                before += b;
                after += a;
                if (!ctx.notes().isEmpty()) {
                    removed++;
                }
            }
            report.append(String.format("%s: %d images, markers removed in %d, bright-marker area %d -> %d pixels (%.1f%% less)%n",
                    dir, n, removed, before, after, 100.0 * (before - after) / Math.max(1, before)));
            assertTrue(after < before, dir + ": bright-marker area did not shrink: " + before + " -> " + after);
        }
        System.out.print(report);
    }
}
