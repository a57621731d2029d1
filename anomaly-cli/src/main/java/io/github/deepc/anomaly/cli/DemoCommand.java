package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.detector.TrainingReport;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.report.ScoreReport;
import io.github.deepc.anomaly.eval.scores.Evaluation;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.threshold.Thresholds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly demo}: the whole workflow on generated hand phantoms (no data to download): writes a data set,
 * trains a detector on normals, chooses a threshold on held-out normals, scores held-out normals and abnormals,
 * evaluates by anomaly kind and writes a report people can read.
 *
 * <p>The detector was chosen by measurement among the library's models on these phantoms (see the README): PCA
 * with 64 components reconstructs the normal hand, and the mean of the 10 largest per-pixel squared errors
 * ({@code top-k-se}) scores what it cannot reconstruct. A global score such as the mean error over all pixels
 * drowns a small fracture in the normal variation of thousands of pixels; the largest errors do not, and their
 * heat map points at the anomaly. The phantoms are positioned as on a positioning aid (pose varies by about a
 * degree and a pixel); anatomy, exposure, noise and the side marker vary as in {@link HandPhantomGenerator}, and
 * the anomalies vary in size (1-4x their default) and contrast (0.7-2x).
 */
@Command(name = "demo", description = "Train, score and evaluate on generated hand-radiograph phantoms; writes an HTML report.")
final class DemoCommand implements Callable<Integer> {
    private static final long TRAIN_SEED = 1_000L;
    private static final long VALIDATION_SEED = 300_000L;
    private static final long TEST_NORMAL_SEED = 500_000L;
    private static final long TEST_ABNORMAL_SEED = 900_000L;
    /** Share of normal images the demo's threshold may call abnormal. */
    private static final double TARGET_FALSE_POSITIVE_RATE = 0.05;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train", paramLabel = "N", defaultValue = "300", description = "Normal training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "90", description = "Test images per class (default: ${DEFAULT-VALUE}); the abnormals cycle through fracture, implant, lesion.")
    int test;

    @Option(names = "--size", paramLabel = "N", defaultValue = "64", description = "Image side in pixels, at least 32 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Seeds.DEFAULT_SEED, description = "Master seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    /**
     * The demo's phantoms: standardised positioning, anomalies of varying size and contrast.
     *
     * @param size image side
     * @return the generator
     */
    static HandPhantomGenerator generator(int size) {
        return HandPhantomGenerator.builder(size).rotation(1).translation(0.002).fingerSpread(0.5).scale(0.99, 1.01)
                .anomalySize(1, 4).anomalyContrast(0.7, 2).build();
    }

    /**
     * The demo's detector.
     *
     * @param size image side
     * @param seed master seed
     * @return a detector, not fitted
     */
    static AnomalyDetector detector(int size, long seed) {
        return AnomalyDetector.builder().pipeline(DetectorDefaults.pipeline(size))
                .model(PluginSpec.of("pca", "components", "64")).scorer(PluginSpec.of("top-k-se", "k", "10"))
                .seed(seed).build();
    }

    @Override
    public Integer call() throws Exception {
        if (train < 2 || test < 3) {
            throw new IllegalArgumentException("--train must be at least 2 and --test at least 3, got " + train + " and " + test);
        }
        if (size < HandPhantomGenerator.MIN_SIZE || size > 1024) {
            throw new IllegalArgumentException("--size must be in [" + HandPhantomGenerator.MIN_SIZE + ", 1024], got " + size);
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        HandPhantomGenerator generator = generator(size);
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
        try (AnomalyDetector detector = detector(size, seed)) {
            say(err, "training " + detector.config().model() + " with " + detector.config().scorer() + " on " + normals.size() + " normals");
            TrainingReport report = detector.fit(normals, progress);
            Threshold threshold = threshold(detector, generator);
            detector.setThreshold(threshold);
            detector.save(out.resolve("demo.detector"));
            long scoreStart = System.nanoTime();
            BatchResult<Detection> scored = detector.scoreAll(testSet.samples(), progress);
            double scoreSeconds = (System.nanoTime() - scoreStart) / 1e9;
            List<ScoreRow> rows = new ArrayList<>();
            List<ScoreReport.Item> items = new ArrayList<>();
            Map<String, List<ScoreRow>> byKind = new TreeMap<>();
            for (Detection d : scored.results()) {
                ScoreRow row = new ScoreRow(d.sample().path().toString(), d.sample().patientId(), d.sample().label(),
                        d.score(), threshold.decision(d.score()));
                rows.add(row);
                Phantom p = truth.get(d.sample().path().toAbsolutePath().normalize());
                String kind = p == null ? "normal" : p.kind().name().toLowerCase(Locale.ROOT);
                if (p != null) {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(row);
                }
                boolean[] mask = p != null && p.image().size() == d.preprocessed().size() ? p.anomalyMask() : null;
                items.add(new ScoreReport.Item(row, kind, d.preprocessed(), d.heatmap(), mask));
            }
            ScoresCsv.write(out.resolve("scores.csv"), rows);
            Evaluation eval = Evaluation.of(rows);
            List<ScoreRow> normalRows = rows.stream().filter(r -> r.label() == Label.NORMAL).toList();
            Map<String, Double> aucByKind = new LinkedHashMap<>();
            for (Map.Entry<String, List<ScoreRow>> e : byKind.entrySet()) {
                List<ScoreRow> both = new ArrayList<>(normalRows);
                both.addAll(e.getValue());
                aucByKind.put(e.getKey(), Evaluation.of(both).rocAuc());
            }
            Localisation loc = localisation(scored.results(), truth);
            long flagged = rows.stream().filter(r -> r.label() == Label.ABNORMAL && r.decision() == 1).count();
            long falseAlarms = normalRows.stream().filter(r -> r.decision() == 1).count();
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("out", out.toString());
            summary.put("model", detector.config().model().toString());
            summary.put("scorer", detector.config().scorer().toString());
            summary.put("trainImages", report.summary().images());
            summary.put("testImages", rows.size());
            summary.put("trainSeconds", report.summary().seconds());
            summary.put("scoreImagesPerSecond", rows.size() / Math.max(scoreSeconds, 1e-9));
            summary.put("rocAuc", eval.rocAuc());
            summary.put("averagePrecision", eval.averagePrecision());
            summary.put("rocAucByKind", aucByKind);
            summary.put("threshold", threshold.value());
            summary.put("sensitivity", flagged / (double) Math.max(1, rows.size() - normalRows.size()));
            summary.put("falsePositiveRate", falseAlarms / (double) Math.max(1, normalRows.size()));
            summary.put("heatmapMassInsideAnomaly", loc.massInside());
            summary.put("anomalyAreaFraction", loc.areaFraction());
            summary.put("heatmapInsideOutsideRatio", loc.insideOutsideRatio());
            summary.put("seconds", seconds);
            Csv.writeAtomically(out.resolve("summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            ScoreReport.write(out.resolve("report.html"), "Anomaly detection demo: generated hand radiographs",
                    detector.config().model() + " with " + detector.config().scorer() + ", trained on " + normals.size()
                            + " normal phantoms of " + size + " x " + size + " px, seed " + seed,
                    items, threshold, List.of(String.format(Locale.ROOT, "The heat maps put %.0f %% of their mass inside the"
                            + " ground-truth anomalies, which cover %.1f %% of the image (mean over the abnormal test images).",
                            100 * loc.massInside(), 100 * loc.areaFraction()),
                            "Test phantoms were generated with seeds never used for training or for the threshold."));
            if (json) {
                Json.print(spec.commandLine().getOut(), summary);
            } else {
                StringBuilder kinds = new StringBuilder();
                aucByKind.forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", v)));
                spec.commandLine().getOut().printf(Locale.ROOT, "ROC-AUC %.2f (%s): a random abnormal test image scores higher than"
                        + " a random normal one %.0f %% of the time%n"
                        + "at the threshold: %d of %d abnormal images flagged, %d of %d normal images false alarms%n"
                        + "heat maps: %.0f %% of their mass inside the anomalies (which cover %.1f %% of the image)%n"
                        + "%d test images, %.0f s; report: %s%n", eval.rocAuc(), kinds, 100 * eval.rocAuc(), flagged,
                        rows.size() - normalRows.size(), falseAlarms, normalRows.size(), 100 * loc.massInside(),
                        100 * loc.areaFraction(), rows.size(), seconds, out.resolve("report.html"));
            }
        }
        return 0;
    }

    /** The threshold calling about 5 % of held-out normal phantoms (never used for training or testing) abnormal. */
    private Threshold threshold(AnomalyDetector detector, HandPhantomGenerator generator) {
        List<ScoreRow> validation = new ArrayList<>();
        for (Phantom p : generator.normals(VALIDATION_SEED, Math.max(20, test))) {
            validation.add(new ScoreRow("validation-" + p.seed(), "validation", Label.NORMAL, detector.score(p.image()).score()));
        }
        return Thresholds.forFalsePositiveRate(validation, TARGET_FALSE_POSITIVE_RATE);
    }

    private void say(PrintWriter err, String message) {
        if (!json) {
            err.println(message);
            err.flush();
        }
    }

    /**
     * How well heat maps point at the ground truth, over the abnormal images whose heat map has the phantom's size.
     *
     * @param massInside         mean share of an image's heat that lies inside its anomaly mask
     * @param areaFraction       mean share of the valid pixels the mask covers (what {@code massInside} would be by chance)
     * @param insideOutsideRatio mean heat inside the masks divided by the mean heat on the other valid pixels
     */
    record Localisation(double massInside, double areaFraction, double insideOutsideRatio) {
    }

    static Localisation localisation(List<Detection> detections, Map<Path, Phantom> truth) {
        double inside = 0;
        double outside = 0;
        long nIn = 0;
        long nOut = 0;
        double mass = 0;
        double area = 0;
        int images = 0;
        for (Detection d : detections) {
            Phantom p = truth.get(d.sample().path().toAbsolutePath().normalize());
            GrayImage h = d.heatmap();
            if (p == null || h == null || h.size() != p.image().size()) {
                continue;
            }
            boolean[] m = p.anomalyMask();
            float[] v = h.unsafePixels();
            boolean[] valid = h.unsafeMask();
            double in = 0;
            double all = 0;
            int pixIn = 0;
            int pix = 0;
            for (int i = 0; i < v.length; i++) {
                if (!valid[i]) {
                    continue;
                }
                all += v[i];
                pix++;
                if (m[i]) {
                    in += v[i];
                    pixIn++;
                }
            }
            inside += in;
            outside += all - in;
            nIn += pixIn;
            nOut += pix - pixIn;
            if (all > 0 && pix > 0) {
                mass += in / all;
                area += pixIn / (double) pix;
                images++;
            }
        }
        double ratio = nIn == 0 || nOut == 0 || outside == 0 ? Double.NaN : (inside / nIn) / (outside / nOut);
        return images == 0 ? new Localisation(Double.NaN, Double.NaN, ratio)
                : new Localisation(mass / images, area / images, ratio);
    }
}
