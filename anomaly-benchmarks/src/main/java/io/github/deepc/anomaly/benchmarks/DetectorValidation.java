package io.github.deepc.anomaly.benchmarks;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.presets.DetectorPreset;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.eval.metrics.RankingMetrics;
import io.github.deepc.anomaly.eval.split.DataSplit;
import io.github.deepc.anomaly.eval.split.GroupedFolds;
import io.github.deepc.anomaly.eval.split.SplitName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the presets were chosen (a benchmark, not a test): patient-grouped 5-fold cross-validation of named detector
 * candidates on the shared data sets, each fold's test part scored as it is and after a simulated change of
 * acquisition ({@link AcquisitionShift}). Prints, per data set and candidate, the mean ROC-AUC +- the standard
 * deviation over folds, on folds 1-3 (where presets are chosen) and on folds 4-5 (where the choice is confirmed),
 * clean and shifted, and the training and scoring time.
 *
 * <p>Usage: {@code DetectorValidation DATA_DIR OUT.md SET[,SET...] CANDIDATE[,CANDIDATE...]} with sets
 * {@code chest}, {@code hand}, {@code adult} (the shared data sets) or any class-folder set below {@code DATA_DIR}
 * with a {@code NORMAL} class, and candidates from {@link #CANDIDATES}.
 */
public final class DetectorValidation {
    private static final int FOLDS = 5;
    private static final int SELECTION_FOLDS = 3;
    private static final long SPLIT_SEED = 42;

    /** The candidates by name. */
    static final Map<String, Supplier<AnomalyDetector.Builder>> CANDIDATES = new LinkedHashMap<>();

    static {
        for (DetectorPreset p : DetectorPreset.values()) {
            CANDIDATES.put("preset-" + p.word(), () -> AnomalyDetector.builder().preset(p));
        }
        List<PluginSpec> plain = DetectorDefaults.pipeline(64);
        List<PluginSpec> equalised = DetectorDefaults.recommendedPipeline(64);
        List<PluginSpec> matched = List.of(PluginSpec.of("histogram-match"), PluginSpec.of("resize", "size", "64"),
                PluginSpec.of("pad", "size", "64"), PluginSpec.of("normalize"));
        PluginSpec raw16 = PluginSpec.of("raw-pixels", "size", "16");
        PluginSpec pca = PluginSpec.of("pca", "components", "64");
        PluginSpec knn5 = PluginSpec.of("knn", "k", "5");
        PluginSpec knn3 = PluginSpec.of("knn", "k", "3", "standardize", "false");
        PluginSpec cos3 = PluginSpec.of("knn", "k", "3", "metric", "cosine", "standardize", "false");
        CANDIDATES.put("preset-general-tta4", () -> AnomalyDetector.builder().preset(DetectorPreset.GENERAL)
                .testTimeAugmentation(4));
        PluginSpec raw8 = PluginSpec.of("raw-pixels", "size", "8");
        CANDIDATES.put("equalised-raw8-knn5", () -> AnomalyDetector.builder().pipeline(equalised).model(raw8).scorer(knn5));
        CANDIDATES.put("equalised-raw8-knn5-tta4", () -> AnomalyDetector.builder().pipeline(equalised).model(raw8)
                .scorer(knn5).testTimeAugmentation(4));
        CANDIDATES.put("preset-chest-tta4", () -> AnomalyDetector.builder().preset(DetectorPreset.CHEST)
                .testTimeAugmentation(4));
        CANDIDATES.put("ensemble-general+equalised-raw8", () -> AnomalyDetector.builder().pipeline(equalised).model(pca)
                .scorer(cos3).member(equalised, raw8, knn5));
        CANDIDATES.put("ensemble-general+equalised-raw8+minmax-raw16", () -> AnomalyDetector.builder().pipeline(equalised)
                .model(pca).scorer(cos3).member(equalised, raw8, knn5).member(plain, raw16, knn5));
        List<PluginSpec> clahe = List.of(PluginSpec.of("clahe"), PluginSpec.of("resize", "size", "64"),
                PluginSpec.of("pad", "size", "64"), PluginSpec.of("normalize"));
        CANDIDATES.put("clahe-pca64-cos3", () -> AnomalyDetector.builder().pipeline(clahe).model(pca).scorer(cos3));
        CANDIDATES.put("clahe-raw16-knn5", () -> AnomalyDetector.builder().pipeline(clahe).model(raw16).scorer(knn5));
        CANDIDATES.put("ensemble-general+clahe-raw16", () -> AnomalyDetector.builder().pipeline(equalised).model(pca)
                .scorer(cos3).member(clahe, raw16, knn5));
        CANDIDATES.put("ensemble-clahe-pca64-cos3+clahe-raw16", () -> AnomalyDetector.builder().pipeline(clahe).model(pca)
                .scorer(cos3).member(clahe, raw16, knn5));
        CANDIDATES.put("minmax-raw16-knn5", () -> AnomalyDetector.builder().pipeline(plain).model(raw16).scorer(knn5));
        CANDIDATES.put("matched-raw16-knn5", () -> AnomalyDetector.builder().pipeline(matched).model(raw16).scorer(knn5));
        CANDIDATES.put("minmax-pca64-knn3", () -> AnomalyDetector.builder().pipeline(plain).model(pca).scorer(knn3));
        CANDIDATES.put("matched-pca64-cos3", () -> AnomalyDetector.builder().pipeline(matched).model(pca).scorer(cos3));
        CANDIDATES.put("minmax-pca64-knn3-tta4", () -> AnomalyDetector.builder().pipeline(plain).model(pca).scorer(knn3)
                .testTimeAugmentation(4));
        CANDIDATES.put("minmax-pca64-cos3", () -> AnomalyDetector.builder().pipeline(plain).model(pca).scorer(cos3));
        CANDIDATES.put("ensemble-general+minmax-raw16", () -> AnomalyDetector.builder().pipeline(equalised).model(pca)
                .scorer(cos3).member(plain, raw16, knn5));
        CANDIDATES.put("ensemble-general+minmax-pca64-cos3", () -> AnomalyDetector.builder().pipeline(equalised)
                .model(pca).scorer(cos3).member(plain, pca, cos3));
        CANDIDATES.put("patch-memory-128", () -> AnomalyDetector.builder()
                .pipeline(DetectorDefaults.recommendedPipeline(128)).model(PluginSpec.of("patch-memory"))
                .scorer(PluginSpec.of("anomaly-map")));
        CANDIDATES.put("defect-localizer-64", () -> AnomalyDetector.builder().pipeline(equalised)
                .model(PluginSpec.of("defect-localizer")).scorer(PluginSpec.of("anomaly-map")));
        PluginSpec bottleneckCae = PluginSpec.of("bottleneck-cae", "epochs", "20");
        CANDIDATES.put("bottleneck-cae-cos3", () -> AnomalyDetector.builder().pipeline(equalised).model(bottleneckCae)
                .scorer(cos3));
        CANDIDATES.put("ensemble-general+bottleneck-cae-cos3", () -> AnomalyDetector.builder().pipeline(equalised)
                .model(pca).scorer(cos3).member(equalised, bottleneckCae, cos3));
        CANDIDATES.put("ensemble-general+minmax-raw16+bottleneck-cae-cos3", () -> AnomalyDetector.builder()
                .pipeline(equalised).model(pca).scorer(cos3).member(plain, raw16, knn5).member(equalised, bottleneckCae, cos3));
        CANDIDATES.put("ensemble-minmax-raw16+bottleneck-cae-cos3", () -> AnomalyDetector.builder()
                .pipeline(plain).model(raw16).scorer(knn5).member(equalised, bottleneckCae, cos3));
    }

    private DetectorValidation() {
    }

    /**
     * @param args shared data folder, output markdown file (appended), sets, candidates
     * @throws IOException when the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: DetectorValidation SHARED_DATA_DIR OUT.md SETS CANDIDATES; candidates: "
                    + CANDIDATES.keySet());
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        for (String set : args[2].split(",")) {
            DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(data.resolve(folder(set)));
            List<DataSplit> folds = GroupedFolds.of(ds.samples(), FOLDS, 1, SPLIT_SEED);
            for (String name : args[3].split(",")) {
                Supplier<AnomalyDetector.Builder> candidate = CANDIDATES.get(name);
                if (candidate == null) {
                    throw new IllegalArgumentException("unknown candidate '" + name + "'; known: " + CANDIDATES.keySet());
                }
                String line = evaluate(set, name, candidate, folds);
                System.out.println(line);
                Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    private static String folder(String set) {
        return switch (set) {
            case "chest" -> "chest-xray/train";
            case "hand" -> "hand-xray";
            case "adult" -> "adult-chest-xray";
            default -> set; // any other class-folder set below the data folder (e.g. a one-class benchmark)
        };
    }

    private static String evaluate(String set, String name, Supplier<AnomalyDetector.Builder> candidate,
                                   List<DataSplit> folds) throws IOException {
        double[] clean = new double[folds.size()];
        double[] shifted = new double[folds.size()];
        double trainSeconds = 0;
        double scoreSeconds = 0;
        int scored = 0;
        for (int f = 0; f < folds.size(); f++) {
            DataSplit split = folds.get(f);
            List<Sample> test = split.samples(SplitName.TEST);
            try (AnomalyDetector d = candidate.get().seed(1).build()) {
                long t0 = System.nanoTime();
                d.fit(split.train(), ProgressListener.NONE);
                long t1 = System.nanoTime();
                List<Detection> results = d.scoreAll(test, ProgressListener.NONE).results();
                long t2 = System.nanoTime();
                trainSeconds += (t1 - t0) / 1e9;
                scoreSeconds += (t2 - t1) / 1e9;
                scored += results.size();
                int[] y = new int[results.size()];
                double[] s = new double[results.size()];
                double[] sShift = new double[results.size()];
                for (int i = 0; i < results.size(); i++) {
                    Sample sample = results.get(i).sample();
                    y[i] = sample.isAbnormal() ? 1 : 0;
                    s[i] = results.get(i).score();
                    sShift[i] = d.score(AcquisitionShift.apply(DataSet.load(sample), Seeds.mix(7, sample.id()))).score();
                }
                clean[f] = RankingMetrics.rocAuc(y, s);
                shifted[f] = RankingMetrics.rocAuc(y, sShift);
            }
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f |", set, name,
                stat(clean, 0, FOLDS), stat(shifted, 0, FOLDS), stat(clean, 0, SELECTION_FOLDS),
                stat(clean, SELECTION_FOLDS, FOLDS), stat(shifted, SELECTION_FOLDS, FOLDS), trainSeconds / folds.size(),
                scored / Math.max(1e-9, scoreSeconds));
    }

    /** @return mean +- sample standard deviation of {@code v[from..to)} */
    private static String stat(double[] v, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += v[i];
        }
        m /= to - from;
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += (v[i] - m) * (v[i] - m);
        }
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, Math.sqrt(ss / (to - from - 1)));
    }
}
