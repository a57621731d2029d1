package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.eval.report.ScoreReport;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The HTML report of {@code score --report}: one scored folder, grouped by class folder. */
final class ScoreReportWriter {
    private ScoreReportWriter() {
    }

    /**
     * @param file       the HTML file
     * @param detector   the detector that scored
     * @param detections its detections, in the order of {@code rows}
     * @param rows       the score rows written to the CSV
     * @throws IOException when writing fails
     */
    static void write(Path file, AnomalyDetector detector, List<Detection> detections, List<ScoreRow> rows) throws IOException {
        List<ScoreReport.Item> items = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            Detection d = detections.get(i);
            items.add(new ScoreReport.Item(rows.get(i), d.sample().className(), d.preprocessed(), d.heatmap(), null));
        }
        String provenance = detector.config().model() + " with " + detector.config().scorer()
                + (detector.provenance() == null ? "" : ", trained on " + detector.provenance().trainingImages() + " images");
        ScoreReport.write(file, "Anomaly scores: " + file.toAbsolutePath().getParent().getFileName(), provenance, items,
                detector.threshold().orElse(null), List.of());
    }
}
