package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.detector.TrainingReport;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.HeatmapOverlay;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import io.github.deepc.anomaly.eval.scores.Evaluation;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly demo}: the whole workflow on generated hand phantoms (no data to download): writes a data set,
 * trains a detector on normals, scores held-out normals and abnormals, evaluates, and writes a report.
 *
 * <p>It uses the reference CAE with masked MSE rather than the recommended kNN detector: the phantoms' anomalies are
 * small and local, and a reconstruction model shows where they are in its heat maps, which is what the demo is for.
 */
@Command(name = "demo", description = "Train, score and evaluate on generated hand-radiograph phantoms; writes a small report.")
final class DemoCommand implements Callable<Integer> {
    private static final long TRAIN_SEED = 1_000L;
    private static final long TEST_NORMAL_SEED = 500_000L;
    private static final long TEST_ABNORMAL_SEED = 900_000L;
    private static final int GALLERY = 8;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train", paramLabel = "N", defaultValue = "400", description = "Normal training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "60", description = "Test images per class (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--size", paramLabel = "N", defaultValue = "64", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Master seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("--train and --test must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        HandPhantomGenerator generator = HandPhantomGenerator.ofSize(Math.max(size, HandPhantomGenerator.MIN_SIZE));
        PhantomDataSetWriter writer = new PhantomDataSetWriter(generator);
        Path data = out.resolve("data");
        say(err, "writing " + train + " normal training phantoms and " + 2 * test + " test phantoms to " + data);
        writer.write(data.resolve("train"), train, 0, TRAIN_SEED);
        writer.write(data.resolve("test"), test, 0, TEST_NORMAL_SEED);
        PhantomDataSetWriter.Result abnormal = writer.write(data.resolve("test"), 0, test, TEST_ABNORMAL_SEED);
        Map<Path, Phantom> truth = new HashMap<>();
        List<Phantom> abnormalPhantoms = generator.abnormals(TEST_ABNORMAL_SEED, test);
        for (int i = 0; i < abnormalPhantoms.size(); i++) {
            truth.put(abnormal.abnormalFiles().get(i).toAbsolutePath().normalize(), abnormalPhantoms.get(i));
        }

        List<Sample> normals = ClassFolderLayout.withNormalClass("NORMAL").loadForTraining(data.resolve("train")).normals();
        DataSet testSet = ClassFolderLayout.withNormalClass("NORMAL").load(data.resolve("test"));
        ConsoleProgress progress = new ConsoleProgress(err, json);
        try (AnomalyDetector detector = AnomalyDetector.builder().pipeline(DetectorDefaults.pipeline(size))
                .model(PluginSpec.of("cae", "epochs", Integer.toString(epochs))).scorer(PluginSpec.of("masked-mse"))
                .seed(seed).build()) {
            say(err, "training " + detector.config().model() + " with " + detector.config().scorer() + " on " + normals.size() + " normals");
            TrainingReport report = detector.fit(normals, progress);
            detector.save(out.resolve("demo.detector"));
            long scoreStart = System.nanoTime();
            BatchResult<Detection> scored = detector.scoreAll(testSet.samples(), progress);
            double scoreSeconds = (System.nanoTime() - scoreStart) / 1e9;
            List<ScoreRow> rows = new ArrayList<>();
            for (Detection d : scored.results()) {
                rows.add(new ScoreRow(d.sample().path().toString(), d.sample().patientId(), d.sample().label(), d.score()));
            }
            ScoresCsv.write(out.resolve("scores.csv"), rows);
            Evaluation eval = Evaluation.of(rows);
            double localisation = localisationRatio(scored.results(), truth);
            List<String> gallery = writeGallery(scored.results());

            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("out", out.toString());
            summary.put("trainImages", report.summary().images());
            summary.put("testImages", rows.size());
            summary.put("epochs", report.summary().epochs());
            summary.put("finalLoss", report.summary().finalLoss());
            summary.put("trainImagesPerSecond", report.summary().imagesPerSecond());
            summary.put("scoreImagesPerSecond", rows.size() / Math.max(scoreSeconds, 1e-9));
            summary.put("rocAuc", eval.rocAuc());
            summary.put("averagePrecision", eval.averagePrecision());
            summary.put("heatmapInsideOutsideRatio", localisation);
            summary.put("seconds", (System.nanoTime() - start) / 1e9);
            Files.writeString(out.resolve("summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            DemoReport.write(out.resolve("report.html"), summary, gallery);
            if (json) {
                Json.print(spec.commandLine().getOut(), summary);
            } else {
                spec.commandLine().getOut().printf("ROC-AUC %.3f  AP %.3f  heat inside/outside anomaly %.2fx  (%d test images, %.0fs)%n"
                        + "report: %s%n", eval.rocAuc(), eval.averagePrecision(), localisation, rows.size(),
                        (System.nanoTime() - start) / 1e9, out.resolve("report.html"));
            }
        }
        return 0;
    }

    private void say(PrintWriter err, String message) {
        if (!json) {
            err.println(message);
            err.flush();
        }
    }

    /** Mean heat inside the ground-truth anomaly masks divided by the mean heat on the other valid pixels. */
    static double localisationRatio(List<Detection> detections, Map<Path, Phantom> truth) {
        double inside = 0;
        double outside = 0;
        long nIn = 0;
        long nOut = 0;
        for (Detection d : detections) {
            Phantom p = truth.get(d.sample().path().toAbsolutePath().normalize());
            GrayImage h = d.heatmap();
            if (p == null || h == null || h.size() != p.image().size()) {
                continue;
            }
            boolean[] m = p.anomalyMask();
            float[] v = h.unsafePixels();
            boolean[] valid = h.unsafeMask();
            for (int i = 0; i < v.length; i++) {
                if (!valid[i]) {
                    continue;
                }
                if (m[i]) {
                    inside += v[i];
                    nIn++;
                } else {
                    outside += v[i];
                    nOut++;
                }
            }
        }
        return nIn == 0 || nOut == 0 || outside == 0 ? Double.NaN : (inside / nIn) / (outside / nOut);
    }

    private List<String> writeGallery(List<Detection> detections) throws IOException {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> picks = new ArrayList<>(sorted.subList(0, Math.min(GALLERY, sorted.size())));
        picks.addAll(sorted.subList(Math.max(GALLERY, sorted.size() - GALLERY), sorted.size()));
        List<String> names = new ArrayList<>();
        for (Detection d : picks) {
            if (d.heatmap() == null) {
                continue;
            }
            String name = "heatmaps/" + d.sample().className() + "-" + d.sample().path().getFileName().toString();
            HeatmapOverlay.writePng(d.preprocessed(), d.heatmap(), out.resolve(name));
            names.add(name + "|" + String.format("%s %.5f", d.sample().className(), d.score()));
        }
        return names;
    }
}
