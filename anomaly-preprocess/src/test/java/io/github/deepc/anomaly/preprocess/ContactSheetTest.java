package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {
    @TempDir
    Path dir;

    @Test
    void grayPngScalesTheValidRangeAndBlackensInvalidPixels() throws IOException {
        float[] p = {10, 20, 30, 999};
        boolean[] m = {true, true, true, false};
        Path f = dir.resolve("sub/g.png");
        GrayPngWriter.writePng(GrayImage.of(2, 2, p, m), f);
        GrayImage back = new OpenCvImageDecoder().decode(f);
        assertEquals(0f, back.get(0, 0), 0f);
        assertEquals(128f, back.get(1, 0), 0f);
        assertEquals(255f, back.get(0, 1), 0f);
        assertEquals(0f, back.get(1, 1), 0f, "invalid pixels are black");
        GrayPngWriter.writePng(GrayImage.filled(3, 3, 7f), dir.resolve("c.png"));
        assertEquals(0f, new OpenCvImageDecoder().decode(dir.resolve("c.png")).validRange()[1], 0f, "constant images are black");
    }

    @Test
    void sheetHasOneCellPairPerImageAndTintsInvalidPixels() throws IOException {
        GrayImage original = Radiographs.bodyFilling(90, 60, 1, 255f);
        GrayImage processed = new PadStage(40, PadStage.Mode.CENTRE, 0)
                .apply(new ResizeStage(40, ResizeStage.Interpolation.AUTO).apply(original, TestImages.ctx()), TestImages.ctx());
        Path f = dir.resolve("sheet.png");
        List<ContactSheet.Pair> pairs = List.of(new ContactSheet.Pair("a/one.png", original, processed),
                new ContactSheet.Pair("b/two.png", original, processed), new ContactSheet.Pair("c/three.png", original, processed));
        ContactSheet.writePng(pairs, 64, 2, f);
        BufferedImage sheet = ImageIO.read(f.toFile());
        int pairWidth = 2 * 64 + ContactSheet.GAP;
        assertEquals(ContactSheet.GAP + 2 * (pairWidth + 2 * ContactSheet.GAP), sheet.getWidth());
        assertEquals(ContactSheet.GAP + 2 * (ContactSheet.CAPTION + 64 + ContactSheet.GAP), sheet.getHeight());
        // the processed image's top padding row (invalid) is dark red: red well above green and blue
        int x = ContactSheet.GAP + 64 + ContactSheet.GAP + 32;
        int y = ContactSheet.GAP + ContactSheet.CAPTION + 2;
        int rgb = sheet.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        assertTrue(r > 60 && r > 3 * (g + 1) && r > 3 * (b + 1), "tinted: " + r + "," + g + "," + b);
    }

    @Test
    void badArgumentsAreClearErrors() {
        GrayImage g = GrayImage.filled(4, 4, 1f);
        assertThrows(IllegalArgumentException.class, () -> ContactSheet.writePng(List.of(), 64, 2, dir.resolve("x.png")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContactSheet.writePng(List.of(new ContactSheet.Pair("x", g, g)), 8, 2, dir.resolve("x.png")));
        assertTrue(e.getMessage().contains("cell size"), e.getMessage());
    }
}
