package io.github.deepc.anomaly.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drawing a chart leaves {@code java.awt.headless} to the application: the library sets no JVM-wide property. */
class ChartsJvmStateTest {
    @TempDir
    Path dir;

    @Test
    void chartsAreDrawnWithoutSettingTheHeadlessProperty() throws IOException {
        String before = System.getProperty("java.awt.headless");
        System.clearProperty("java.awt.headless");
        try {
            List<ScoreRow> rows = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                rows.add(new ScoreRow("i" + i + ".png", "p" + i, i % 2 == 0 ? Label.NORMAL : Label.ABNORMAL, i,
                        ScoreRow.NO_DECISION));
            }
            Path png = dir.resolve("roc.png");
            Charts.roc(png, "roc", List.of(new Charts.Series("a", rows)));
            assertEquals(Charts.WIDTH, ImageIO.read(png.toFile()).getWidth());
            assertNull(System.getProperty("java.awt.headless"), "the library did not choose the AWT mode");
        } finally {
            if (before != null) {
                System.setProperty("java.awt.headless", before);
            }
        }
    }
}
