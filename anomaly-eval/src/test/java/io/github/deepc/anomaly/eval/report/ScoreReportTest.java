package io.github.deepc.anomaly.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreReportTest {
    @TempDir
    Path tmp;

    /** 4 normals scoring 0.1..0.4, 4 abnormals ("spot") scoring 0.35..0.65; 16 x 16 images with a 2 x 2 mask. */
    private static List<ScoreReport.Item> items(boolean images) {
        List<ScoreReport.Item> items = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean abnormal = i >= 4;
            double score = abnormal ? 0.35 + 0.1 * (i - 4) : 0.1 + 0.1 * i;
            ScoreRow row = new ScoreRow("img-" + i + ".png", "p" + i, abnormal ? Label.ABNORMAL : Label.NORMAL, score,
                    score >= 0.42 ? 1 : 0);
            GrayImage img = null;
            GrayImage heat = null;
            boolean[] mask = null;
            if (images) {
                float[] p = new float[256];
                float[] h = new float[256];
                for (int k = 0; k < 256; k++) {
                    p[k] = (k % 16) / 16f;
                    h[k] = (float) (score * (k == 17 ? 10 : 1));
                }
                img = GrayImage.of(16, 16, p, null);
                heat = GrayImage.of(16, 16, h, null);
                if (abnormal) {
                    mask = new boolean[256];
                    mask[17] = mask[18] = mask[33] = mask[34] = true;
                }
            }
            items.add(new ScoreReport.Item(row, abnormal ? "spot" : "normal", img, heat, mask));
        }
        return items;
    }

    @Test
    void reportStatesTheFiguresInWordsAndRounded() throws Exception {
        Path file = tmp.resolve("r/report.html");
        ScoreReport.write(file, "Test report", "pca with top-k-se", items(true), new Threshold(0.42, "fpr", "test"), List.of("a note"));
        String html = Files.readString(file);
        String text = html.replaceAll("base64,[^\"]+", "");
        // AUC by hand: 16 normal/abnormal pairs, abnormal 0.35 loses to 0.4, 0.45 ... win: 15/16 = 0.9375
        assertTrue(html.contains("ROC-AUC 0.94: a random abnormal image scores higher than a random normal one 94 % of the time"), text);
        assertTrue(html.contains("It flags 3 of 4 abnormal images (sensitivity 75 %)"), text);
        assertTrue(html.contains("raises 0 false alarms among 4 normal images (specificity 100 %)"), text);
        // confusion matrix: tn 4, fp 0 / fn 1, tp 3
        assertTrue(html.contains("<td class=\"ok\">4</td><td class=\"bad\">0</td>"), text);
        assertTrue(html.contains("<td class=\"bad\">1</td><td class=\"ok\">3</td>"), text);
        assertTrue(html.contains("<td>spot</td><td>4</td><td>0.94</td>"), text);
        for (String group : List.of("Highest scores", "Lowest scores", "Worst false alarms", "Worst misses")) {
            assertTrue(html.contains(group), group);
        }
        assertTrue(html.contains("a note") && html.contains("pca with top-k-se"));
        assertFalse(html.contains("0.9375"), "numbers are rounded");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"file"), "self-contained");
        // every embedded image decodes; gallery images are enlarged to a visible size
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        int images = 0;
        int enlarged = 0;
        while (m.find()) {
            var img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            images++;
            if (img.getWidth() >= ScoreReport.VIEW - 16 && img.getWidth() < 300) {
                enlarged++;
            }
        }
        assertTrue(images >= 4 + 3 * 8, "charts, colour bar and 3 images per gallery figure: " + images);
        assertTrue(enlarged >= 3 * 8, "gallery images at about " + ScoreReport.VIEW + " px: " + enlarged);
    }

    @Test
    void withoutThresholdOrImagesTheReportStillExplainsTheRanking() throws Exception {
        String html = ScoreReport.html("t", "", items(false), null, List.of());
        assertTrue(html.contains("no stored threshold"));
        assertTrue(html.contains("ROC-AUC 0.94"));
        assertFalse(html.contains("Gallery"));
    }

    @Test
    void sharedScaleIgnoresASingleHotPixel() {
        List<ScoreReport.Item> it = items(true);
        double scale = ScoreReport.sharedScale(new HashSet<>(it));
        // every map is flat at its score except one pixel at 10x: the scale follows the flat values, not the outliers
        assertTrue(scale <= 0.66 && scale >= 0.6, "scale " + scale);
    }

    @Test
    void mismatchedHeatMapIsRefusedNamingTheImage() {
        GrayImage a = GrayImage.filled(4, 4, 0);
        GrayImage b = GrayImage.filled(5, 4, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScoreReport.Item(
                new ScoreRow("x.png", "p", Label.NORMAL, 1), "normal", a, b, null));
        assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("5x4"), e.getMessage());
    }

    @Property(tries = 200)
    void numbersHaveAtMostThreeSignificantDigits(@ForAll @DoubleRange(min = -1e6, max = 1e6) double v) {
        String s = ScoreReport.num(v).replace("-", "");
        String digits = s.contains("e") ? s.substring(0, s.indexOf('e')) : s;
        digits = digits.replace(".", "").replaceFirst("^0+", "");
        String significant = digits.replaceFirst("0+$", "");
        assertTrue(significant.length() <= 3 || (!s.contains(".") && !s.contains("e")), v + " -> " + s);
        assertEquals(v, Double.parseDouble(ScoreReport.num(v)), Math.max(Math.abs(v) * 0.006, 1e-9));
    }
}
