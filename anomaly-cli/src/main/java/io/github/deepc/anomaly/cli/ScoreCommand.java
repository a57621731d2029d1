package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.ItemFailure;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.core.io.OutputLock;
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

    @picocli.CommandLine.Mixin
    DicomOptions dicomOptions;

    @Override
    public Integer call() throws Exception {
        // every check on the outputs comes before the work, so a mistake costs nothing
        OutputPaths.requireLimit(limit);
        OutputPaths.requireDistinct(out, "--out", detectorFile, "--detector");
        OutputPaths.requireWritableFile(out, "--out");
        if (heatmaps != null) {
            OutputPaths.requireFolder(heatmaps, "--heatmaps");
        }
        try (AnomalyDetector d = AnomalyDetector.load(detectorFile)) {
            DataSet ds = dicomOptions.load(data, d.config().normalClass(), spec.commandLine().getErr());
            if (ds.size() == 0) {
                throw new IllegalArgumentException("no images (png/jpg/jpeg/tif) in " + data);
            }
            List<Sample> samples = limit == null ? ds.samples() : ds.limit(limit).samples();
            ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr(), json);
            HeatmapNames names = new HeatmapNames();
            List<ItemFailure> failures = new ArrayList<>();
            long[] flagged = {0};
            // only a report keeps the detections (its gallery needs the images): memory then grows with the data
            List<Detection> reportDetections = new ArrayList<>();
            List<ScoreRow> reportRows = new ArrayList<>();
            long start = System.nanoTime();
            long scored;
            try (OutputLock lock = OutputLock.forFile(out);
                 ScoresCsv.Writer writer = ScoresCsv.open(out, d.threshold().isPresent())) {
                // results go to the file as they come: memory does not grow with the number of images
                d.scoreEach(samples, progress, new AnomalyDetector.DetectionSink() {
                    @Override
                    public void scored(Detection det) throws IOException {
                        Sample s = det.sample();
                        ScoreRow row = new ScoreRow(s.path().toString(), s.patientId(), s.label(), det.score(),
                                det.decision().orElse(ScoreRow.NO_DECISION));
                        writer.add(row);
                        if (report != null) {
                            reportDetections.add(det);
                            reportRows.add(row);
                        }
                        if (det.decision().orElse(0) == 1) {
                            flagged[0]++;
                        }
                        if (heatmaps != null && det.heatmap() != null) {
                            HeatmapOverlay.writePng(det.preprocessed(), det.heatmap(),
                                    heatmaps.resolve(names.nameFor(s.path())));
                        }
                    }

                    @Override
                    public void failed(ItemFailure f) {
                        spec.commandLine().getErr().println("failed: " + f.item() + ": " + f.reason());
                        if (failures.size() < MAX_LISTED_FAILURES) {
                            failures.add(f);
                        }
                    }
                });
                scored = writer.rows();
                writer.commit();
            }
            long failed = samples.size() - scored;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (report != null) {
                ScoreReportWriter.write(report, d, reportDetections, reportRows);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("scores", out.toString());
            summary.put("scored", scored);
            summary.put("failed", failed);
            summary.put("failures", failures.stream().map(ItemFailure::item).toList());
            summary.put("seconds", seconds);
            summary.put("scoreImagesPerSecond", scored / Math.max(seconds, 1e-9));
            if (d.threshold().isPresent()) {
                summary.put("threshold", d.threshold().get().value());
                summary.put("flagged", flagged[0]);
            }
            if (json) {
                Json.print(spec.commandLine().getOut(), summary);
            } else {
                spec.commandLine().getOut().printf("wrote %s (%d scored, %d failed, %.1f images/s)%n", out, scored,
                        failed, scored / Math.max(seconds, 1e-9));
            }
            if (scored == 0) {
                spec.commandLine().getErr().println("error: none of the " + samples.size() + " images could be scored");
                return AnomalyCli.ALL_FAILED;
            }
            return failed > 0 ? AnomalyCli.SOME_FAILED : 0;
        }
    }

    /** Failures listed by name in the JSON summary (all of them are printed on standard error as they happen). */
    private static final int MAX_LISTED_FAILURES = 1000;
}
