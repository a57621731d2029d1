package io.github.deepc.anomaly.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void reportFilesExistAndThePageReferencesEveryChart() throws IOException {
        Path data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 24, 10, 3);
        Path cfg = Files.writeString(tmp.resolve("exp.json"), """
                {"name": "report <test>", "data": {"path": "data"}, "pipelines": [{"name": "none"}],
                 "models": [{"id": "test-mean"}, {"id": "test-mean", "name": "bad", "params": {"epochs": 99}}],
                 "scorers": [{"id": "test-mse"}], "seeds": [1, 2], "heatmaps": 2}
                """);
        Path out = tmp.resolve("out");
        new ExperimentRunner().run(ExperimentConfig.read(cfg), tmp, out, ProgressListener.NONE);

        HtmlReport.Written w = HtmlReport.write(out);
        assertEquals(out.resolve("report/index.html"), w.index());
        assertEquals(3, w.charts().size(), "ROC, PR and histogram of the one combination that finished");
        String html = Files.readString(w.index());
        for (Path chart : w.charts()) {
            assertTrue(Files.size(chart) > 1000, chart + " is a real PNG");
            assertTrue(ImageIO.read(chart.toFile()).getWidth() == Charts.WIDTH);
            assertTrue(html.contains("src=\"charts/" + chart.getFileName() + "\""), "page references " + chart.getFileName());
        }
        assertTrue(html.contains("report &lt;test&gt;"), "title escaped");
        assertTrue(html.contains("bad") && html.contains("out of range"), "failed runs listed");
        Matcher m = Pattern.compile("src=\"(\\.\\./runs/[^\"]+\\.png)\"").matcher(html);
        int heatmaps = 0;
        while (m.find()) {
            assertTrue(Files.isRegularFile(w.index().getParent().resolve(m.group(1))), m.group(1));
            heatmaps++;
        }
        assertEquals(4, heatmaps, "2 most and 2 least abnormal test images");
        assertTrue(html.contains("Test ROC-AUC"));
    }

    @Test
    void aFolderWithoutResultsIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> HtmlReport.write(tmp));
        assertTrue(e.getMessage().contains("results.csv"), e.getMessage());
    }
}
