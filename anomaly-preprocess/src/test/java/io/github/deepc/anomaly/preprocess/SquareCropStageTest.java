package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.awt.Shape;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SquareCropStageTest {
    private static final SquareCropStage STAGE = SquareCropStage.defaults();

    private static void assertNear(int expected, int actual, int tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": expected " + expected + " +- " + tolerance + ", got " + actual);
    }

    @Test
    void findsABrightFilmOnPaperWithinTwoPixels() {
        int w = 220;
        int h = 180;
        // film: columns 30..179, rows 25..154
        GrayImage img = GrayImage.of(w, h, Drawn.scannedFilm(w, h, new Rectangle2D.Double(30, 25, 150, 130), 70, 200, 1), null);
        StageContext ctx = TestImages.ctx();
        GrayImage out = STAGE.apply(img, ctx);
        CropRegion r = STAGE.locate(img).orElseThrow();
        assertNear(30, r.x(), 2, "x");
        assertNear(25, r.y(), 2, "y");
        assertNear(150, r.width(), 2, "width");
        assertNear(130, r.height(), 2, "height");
        assertEquals(r.width(), out.width());
        assertEquals(r.height(), out.height());
        // the crop holds the original pixels, all valid (axis-aligned film: nothing outside it)
        assertEquals(img.get(r.x() + 10, r.y() + 7), out.get(10, 7), 0f);
        assertEquals(out.size(), out.validCount());
        assertTrue(ctx.notes().get(0).contains("cropped to"), ctx.notes().toString());
    }

    @Test
    void findsADarkFilmOnWhitePaper() {
        int w = 200;
        int h = 200;
        GrayImage img = GrayImage.of(w, h, Drawn.scannedFilm(w, h, new Rectangle2D.Double(40, 20, 120, 160), 230, 110, 2), null);
        CropRegion r = STAGE.locate(img).orElseThrow();
        assertNear(40, r.x(), 2, "x");
        assertNear(20, r.y(), 2, "y");
        assertNear(120, r.width(), 2, "width");
        assertNear(160, r.height(), 2, "height");
    }

    @Test
    void findsASlightlyRotatedFilmAndMasksTheCornersOutsideIt() {
        int w = 240;
        int h = 200;
        Shape film = Drawn.rotatedRect(120, 100, 150, 120, 4);
        GrayImage img = GrayImage.of(w, h, Drawn.scannedFilm(w, h, film, 60, 210, 3), null);
        CropRegion r = STAGE.locate(img).orElseThrow();
        Rectangle2D b = film.getBounds2D();
        assertNear((int) Math.round(b.getMinX()), r.x(), 2, "x");
        assertNear((int) Math.round(b.getMinY()), r.y(), 2, "y");
        assertNear((int) Math.round(b.getMaxX()), r.x() + r.width(), 2, "right");
        assertNear((int) Math.round(b.getMaxY()), r.y() + r.height(), 2, "bottom");
        GrayImage out = STAGE.apply(img, TestImages.ctx());
        // the top-left corner of the crop lies outside the tilted film (paper): invalid; the centre is valid
        assertFalse(out.isValid(0, 0));
        assertFalse(out.isValid(out.width() - 1, out.height() - 1));
        assertTrue(out.isValid(out.width() / 2, out.height() / 2));
        // every pixel well inside the film is valid, every pixel well outside invalid (near the outline the
        // rectangle through the outermost pixel centres may differ by a pixel or two, most at the corners)
        int mismatches = 0;
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                Point2D p = new Point2D.Double(x + r.x() + 0.5, y + r.y() + 0.5);
                double d = distanceToOutline(film, p);
                if (d > 2.5) {
                    assertEquals(film.contains(p), out.isValid(x, y), "mask at " + x + "," + y);
                } else if (film.contains(p) != out.isValid(x, y)) {
                    mismatches++;
                }
            }
        }
        assertTrue(mismatches < 2 * (out.width() + out.height()), "mismatches near the outline: " + mismatches);
        // without mask-outside, everything in the crop stays valid
        SquareCropStage keep = new SquareCropStage(0.2, 0.97, 10, 0.85, 30, 90, 16, false);
        GrayImage all = keep.apply(img, TestImages.ctx());
        assertEquals(all.size(), all.validCount());
    }

    /** @return the exact distance from a point to the outline of a polygon (a rotated rectangle here) */
    private static double distanceToOutline(Shape s, Point2D p) {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        double[] c = new double[6];
        for (java.awt.geom.PathIterator it = s.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            if (type == java.awt.geom.PathIterator.SEG_MOVETO || type == java.awt.geom.PathIterator.SEG_LINETO) {
                pts.add(new double[] {c[0], c[1]});
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pts.size(); i++) {
            double[] a = pts.get(i);
            double[] b = pts.get((i + 1) % pts.size());
            best = Math.min(best, java.awt.geom.Line2D.ptSegDist(a[0], a[1], b[0], b[1], p.getX(), p.getY()));
        }
        return best;
    }

    @Test
    void sixteenBitImagesGiveTheSameCrop() {
        int w = 160;
        int h = 140;
        GrayImage img = GrayImage.of(w, h, Drawn.scannedFilm(w, h, new Rectangle2D.Double(20, 15, 110, 100), 60, 200, 4), null);
        GrayImage wide = Drawn.scaled(img, 257f);
        assertEquals(STAGE.locate(img), STAGE.locate(wide));
        GrayImage out = STAGE.apply(wide, TestImages.ctx());
        float[] range = out.validRange();
        assertTrue(range[1] > 255, "values keep their 16-bit range: " + range[1]);
    }

    @Test
    void cropsTheExistingMaskToo() {
        int w = 200;
        int h = 160;
        float[] p = Drawn.scannedFilm(w, h, new Rectangle2D.Double(30, 20, 140, 120), 70, 200, 5);
        boolean[] m = new boolean[w * h];
        java.util.Arrays.fill(m, true);
        // an invalid stripe crossing the film (e.g. an earlier stage's padding): rows 60..69
        for (int y = 60; y < 70; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = false;
            }
        }
        GrayImage img = GrayImage.of(w, h, p, m);
        CropRegion r = STAGE.locate(img).orElseThrow();
        GrayImage out = STAGE.apply(img, TestImages.ctx());
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                assertEquals(img.isValid(x + r.x(), y + r.y()), out.isValid(x, y), "mask at " + x + "," + y);
            }
        }
    }

    @Test
    void leavesImagesWithoutAnOutlineUnchangedAndSaysSo() {
        // a smooth radiograph-like gradient filling the whole image: nothing qualifies
        float[] p = new float[120 * 100];
        for (int i = 0; i < p.length; i++) {
            p[i] = 50 + (i % 120) + (i / 120) * 0.5f;
        }
        GrayImage img = GrayImage.of(120, 100, p, null);
        StageContext ctx = TestImages.ctx();
        assertSame(img, STAGE.apply(img, ctx));
        assertEquals(1, ctx.notes().size());
        assertTrue(ctx.notes().get(0).contains("no radiograph outline found"), ctx.notes().toString());
    }

    @Test
    void degenerateImagesAreReturnedUnchangedWithANote() {
        boolean[] none = new boolean[16];
        for (GrayImage img : List.of(GrayImage.filled(1, 1, 7f), GrayImage.filled(50, 40, 0f), GrayImage.filled(30, 30, 123f),
                TestImages.ramp(2, 2), GrayImage.of(4, 4, new float[16], none))) {
            StageContext ctx = TestImages.ctx();
            assertSame(img, STAGE.apply(img, ctx), img.toString());
            assertEquals(1, ctx.notes().size(), img + " " + ctx.notes());
        }
    }

    @Test
    void infiniteValidPixelsAreAnErrorNamingTheStage() {
        float[] p = new float[100];
        p[5] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> STAGE.apply(GrayImage.of(10, 10, p, null), TestImages.ctx()));
        assertTrue(e.getMessage().startsWith("square-crop:"), e.getMessage());
    }

    @Test
    void providerDeclaresTypedParametersAndRejectsBadValues() {
        SquareCropStageProvider p = new SquareCropStageProvider();
        assertEquals("square-crop", p.id());
        assertEquals(List.of("min-area", "max-area", "max-skew", "min-fill", "canny-low", "canny-high", "sweep-steps", "mask-outside"),
                p.parameters().stream().map(s -> s.name()).toList());
        SquareCropStage d = (SquareCropStage) p.create(Map.of());
        assertEquals(0.2, d.minArea());
        assertEquals(10.0, d.maxSkew());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("max-skew", "60")));
        assertTrue(e.getMessage().contains("square-crop.max-skew"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("min-area", "0.5", "max-area", "0.3")));
        assertTrue(e.getMessage().contains("square-crop.max-area"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("canny-low", "100", "canny-high", "50")));
        assertTrue(e.getMessage().contains("square-crop.canny-high"), e.getMessage());
    }
}
