package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.ItemFailure;
import io.github.deepc.anomaly.core.image.HeatmapOverlay;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anomaly score}: scores every image of a folder with a saved detector. */
@Command(name = "score", description = "Score the images of a folder with a trained detector; writes path,patient,label,score"
        + " (and decision, 0/1, when the detector has a threshold: see 'threshold').")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--detector", required = true, paramLabel = "FILE", description = "A detector saved by 'train'.")
    Path detectorFile;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Images to score: class folders (labelled), loose images (unlabelled) or MURA.")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Score at most N images.")
    Integer limit;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Scores CSV to write.")
    Path out;

    @Option(names = "--heatmaps", paramLabel = "DIR", description = "Also write heat-map overlays (PNG) here.")
    Path heatmaps;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write an HTML report (summary in words, curves, gallery) to FILE.")
    Path report;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (AnomalyDetector d = AnomalyDetector.load(detectorFile)) {
            DataSet ds = DataSets.detect(data, d.config().normalClass());
            if (ds.size() == 0) {
                throw new IllegalArgumentException("no images (png/jpg/jpeg/tif) in " + data);
            }
            List<Sample> samples = limit == null ? ds.samples() : ds.limit(limit).samples();
            ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr(), json);
            long start = System.nanoTime();
            BatchResult<Detection> result = d.scoreAll(samples, progress);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<ScoreRow> rows = new ArrayList<>();
            for (Detection det : result.results()) {
                Sample s = det.sample();
                rows.add(new ScoreRow(s.path().toString(), s.patientId(), s.label(), det.score(),
                        det.decision().orElse(ScoreRow.NO_DECISION)));
                if (heatmaps != null && det.heatmap() != null) {
                    writeHeatmap(det);
                }
            }
            ScoresCsv.write(out, rows);
            if (report != null) {
                ScoreReportWriter.write(report, d, result.results(), rows);
            }
            for (ItemFailure f : result.failures()) {
                spec.commandLine().getErr().println("failed: " + f.item() + ": " + f.reason());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("scores", out.toString());
            summary.put("scored", rows.size());
            summary.put("failed", result.failures().size());
            summary.put("failures", result.failures().stream().map(ItemFailure::item).toList());
            summary.put("seconds", seconds);
            summary.put("scoreImagesPerSecond", rows.size() / Math.max(seconds, 1e-9));
            if (d.threshold().isPresent()) {
                summary.put("threshold", d.threshold().get().value());
                summary.put("flagged", rows.stream().filter(r -> r.decision() == 1).count());
            }
            if (json) {
                Json.print(spec.commandLine().getOut(), summary);
            } else {
                spec.commandLine().getOut().printf("wrote %s (%d scored, %d failed, %.1f images/s)%n", out, rows.size(),
                        result.failures().size(), rows.size() / Math.max(seconds, 1e-9));
            }
        }
        return 0;
    }

    private void writeHeatmap(Detection det) throws IOException {
        String name = det.sample().id().replaceAll("[^A-Za-z0-9._-]", "_");
        int dot = name.lastIndexOf('.');
        name = (dot > 0 ? name.substring(0, dot) : name) + ".png";
        HeatmapOverlay.writePng(det.preprocessed(), det.heatmap(), heatmaps.resolve(name));
    }
}
