package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.detector.DetectorConfig;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.detector.TrainingReport;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.scores.Evaluation;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.split.DataSplit;
import io.github.deepc.anomaly.eval.split.PatientSplit;
import io.github.deepc.anomaly.eval.split.SplitCsv;
import io.github.deepc.anomaly.eval.threshold.ThresholdReport;
import io.github.deepc.anomaly.eval.threshold.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ExperimentConfig}: splits the data once ({@code split.csv}), then trains every (pipeline, model,
 * scorer) combination once per seed on the training normals, scores validation and test, and records the figures.
 *
 * <p>Output folder:
 * <pre>
 * experiment.json            the configuration as read (defaults filled in)
 * split.csv                  every sample's split ({@link SplitCsv})
 * results.csv                one row per finished run ({@link ResultsCsv})
 * summary.csv, summary.md    mean ± std per combination ({@link Summary})
 * runs/&lt;run id&gt;/run.json       the run's result; written last, atomically: it marks the run as finished
 * runs/&lt;run id&gt;/validation-scores.csv, test-scores.csv   per-image scores ({@link ScoresCsv})
 * runs/&lt;run id&gt;/heatmaps/top-NN.png, bottom-NN.png      heat maps of the most and least abnormal test images
 * runs/&lt;run id&gt;/detector.detector   the trained detector with its F1 threshold (only with saveDetectors)
 * </pre>
 *
 * <p><b>Grouped cross-validation.</b> With the {@code grouped-cv} protocol the data are split into folds
 * ({@link io.github.deepc.anomaly.eval.split.GroupedFolds}), saved as {@code splits/r<repetition>-f<fold>.csv} instead
 * of {@code split.csv}, and every (pipeline, model, scorer, seed) runs once per fold of every repetition: fold and
 * repetition are part of the run id, of {@code run.json} and of {@code results.csv}. There is no validation part (no
 * F1 threshold); {@code summary.csv}/{@code .md} hold the {@link CrossValidationSummary} (mean, fold std and seed std;
 * with {@code selection}, the numbers chosen on and confirmed on). Runs go fold by fold, so an interrupted experiment
 * has every method on the first folds.
 *
 * <p><b>Train limits.</b> Each entry of {@code trainLimits} repeats the runs with at most that many training normals:
 * whole patients drawn from the fold's training normals with a seed derived from the protocol seed, repetition and
 * fold (not the training seed), so every method trains on the same images and a smaller limit's images are a subset
 * of a larger one's.
 *
 * <p><b>Resuming.</b> A run whose {@code run.json} exists is not redone, so an interrupted experiment continues where it
 * stopped when started again with the same output folder; a run without one (interrupted) is redone from scratch.
 * Failed and skipped runs count as finished unless {@link #retryFailed(boolean)} is set. Run ids hash the stages,
 * model, scorer, parameters and seed, so a changed parameter makes a new run rather than reusing a stale result. The
 * split is recomputed and compared with the saved {@code split.csv}: a difference (changed data or protocol) is an
 * error rather than a silent mix of two splits.
 *
 * <p><b>Failures.</b> A run that throws (unknown plugin id, invalid parameter, training failure, ...) is recorded as
 * failed with the exception's message and the next run starts; a run whose scorer needs model outputs that the
 * model does not produce is recorded as skipped with the reason, without training.
 *
 * <p><b>Shared training.</b> Runs that differ only in the scorer share one trained model: scorers are the innermost
 * loop, and a run whose pipeline, model and seed match the previous run's takes that fitted model with its own
 * scorer ({@link AnomalyDetector#withScorer}); its training figures are those of the shared training.
 *
 * <p>Runs go one after another; each model uses the cores as it sees fit.
 */
public final class ExperimentRunner {
    /** The copy of the configuration in the output folder. */
    public static final String CONFIG_FILE = "experiment.json";
    /** The split file in the output folder. */
    public static final String SPLIT_FILE = "split.csv";
    /** Grouped-cv: the folder of the folds' split files ({@code r<repetition>-f<fold>.csv}) in the output folder. */
    public static final String SPLITS_DIR = "splits";
    /** The results table in the output folder. */
    public static final String RESULTS_FILE = "results.csv";
    /** The summary table (CSV) in the output folder. */
    public static final String SUMMARY_CSV = "summary.csv";
    /** The summary table (Markdown) in the output folder. */
    public static final String SUMMARY_MD = "summary.md";
    /** The folder of the runs in the output folder. */
    public static final String RUNS_DIR = "runs";
    /** Validation scores inside a run's folder. */
    public static final String VALIDATION_SCORES = "validation-scores.csv";
    /** Test scores inside a run's folder. */
    public static final String TEST_SCORES = "test-scores.csv";
    /** The saved detector inside a run's folder. */
    public static final String DETECTOR_FILE = "detector.detector";

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final int SCORE_CHUNK = 256;

    private final PluginRegistry registry;
    private boolean retryFailed;

    /** @param registry where the stages, models and scorers are found */
    public ExperimentRunner(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** A runner using {@link PluginRegistry#defaultRegistry()}. */
    public ExperimentRunner() {
        this(PluginRegistry.defaultRegistry());
    }

    /**
     * @param retry whether failed and skipped runs of an earlier invocation are attempted again (default false)
     * @return this
     */
    public ExperimentRunner retryFailed(boolean retry) {
        this.retryFailed = retry;
        return this;
    }

    /**
     * What {@link #run} did.
     *
     * @param outDir  the output folder
     * @param split   the data split (grouped-cv: the first fold's)
     * @param results every run's result, in run order
     * @param ran     runs done by this invocation
     * @param reused  runs finished earlier and not redone
     * @param config  the experiment
     * @param folds   grouped-cv: per repetition, the folds' splits; empty for the single-split protocols
     */
    public record Outcome(Path outDir, DataSplit split, List<RunResult> results, int ran, int reused,
                          ExperimentConfig config, List<List<DataSplit>> folds) {
        /** Copies the results. */
        public Outcome {
            results = List.copyOf(results);
            folds = List.copyOf(folds);
        }

        /** @return the summary table of the results (grouped-cv: pooled over folds; see {@link #crossValidation()}) */
        public Summary summary() {
            return Summary.of(results);
        }

        /** @return grouped-cv: the summary with fold and seed spreads and the selection, else empty */
        public Optional<CrossValidationSummary> crossValidation() {
            return folds.isEmpty() ? Optional.empty() : Optional.of(crossValidationSummary(config, results));
        }

        /** @return the split in words (grouped-cv: folds and repetitions, and the first fold's split) */
        public String splitDescription() {
            if (folds.isEmpty()) {
                return split.describe();
            }
            return folds.get(0).size() + " patient-grouped folds x " + folds.size() + " repetition(s); fold 1: "
                    + split.describe();
        }

        /**
         * @param title a heading
         * @return the summary table in Markdown (grouped-cv: {@link CrossValidationSummary})
         */
        public String summaryMarkdown(String title) {
            return crossValidation().map(c -> c.toMarkdown(title)).orElseGet(() -> summary().toMarkdown(title));
        }

        /** @return how many runs failed or were skipped */
        public long failed() {
            return results.stream().filter(r -> !r.isOk()).count();
        }
    }

    /**
     * The runs of an experiment, in order: pipelines, then models, then seeds, then scorers.
     *
     * @param config  the experiment
     * @param baseDir folder relative paths are resolved against
     * @return the runs
     * @throws IOException              when a pipeline file cannot be read
     * @throws IllegalArgumentException for an unknown named pipeline
     */
    public static List<RunSpec> runs(ExperimentConfig config, Path baseDir) throws IOException {
        List<List<PluginSpec>> stages = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            try {
                stages.add(p.resolveStages(baseDir));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pipeline '" + p.name() + "': " + e.getMessage(), e);
            }
        }
        boolean cv = config.protocol().isCrossValidation();
        List<RunSpec> out = new ArrayList<>();
        // folds outermost: an interrupted cross-validation has every method on the first folds
        for (int r = cv ? 1 : 0; r <= (cv ? config.protocol().repeatsOrDefault() : 0); r++) {
            for (int f = cv ? 1 : 0; f <= (cv ? config.protocol().foldsOrDefault() : 0); f++) {
                for (TrainLimit limit : config.trainLimits()) {
                    for (int p = 0; p < config.pipelines().size(); p++) {
                        for (ComponentConfig m : config.models()) {
                            // scorers innermost: consecutive runs of one (pipeline, model, seed) share one trained model
                            for (long seed : config.seeds()) {
                                for (ComponentConfig s : config.scorers()) {
                                    out.add(new RunSpec(config.pipelines().get(p).name(), stages.get(p),
                                            ExperimentConfig.label(m, config.models()), m.spec(),
                                            ExperimentConfig.label(s, config.scorers()), s.spec(), seed, r, f, limit));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs (or resumes) an experiment.
     *
     * @param config   the experiment
     * @param baseDir  folder relative paths are resolved against (the experiment file's folder)
     * @param outDir   the output folder (created; reused to resume)
     * @param listener progress; an {@link ExperimentListener} also hears about each run
     * @return the results
     * @throws IOException              when the output cannot be written or the split differs from the saved one
     * @throws IllegalArgumentException when the data cannot be loaded or split usefully
     */
    public Outcome run(ExperimentConfig config, Path baseDir, Path outDir, ProgressListener listener) throws IOException {
        config.validate();
        Path base = baseDir.toAbsolutePath().normalize();
        List<RunSpec> runs = runs(config, base);
        Files.createDirectories(outDir);
        Csv.writeAtomically(outDir.resolve(CONFIG_FILE), config.toJson());
        List<List<DataSplit>> folds = config.protocol().isCrossValidation() ? folds(config, base, outDir) : List.of();
        DataSplit split = folds.isEmpty() ? split(config, base, outDir) : folds.get(0).get(0);
        ExperimentListener events = listener instanceof ExperimentListener el ? el : null;
        List<RunResult> results = new ArrayList<>();
        int ran = 0;
        int reused = 0;
        try (TrainedModels trained = new TrainedModels()) {
        for (int i = 0; i < runs.size(); i++) {
            RunSpec spec = runs.get(i);
            Path runDir = outDir.resolve(RUNS_DIR).resolve(spec.id());
            Optional<RunResult> earlier = RunResult.readIfPresent(runDir);
            if (earlier.isPresent() && (earlier.get().isOk() || !retryFailed)) {
                results.add(earlier.get());
                reused++;
                if (events != null) {
                    events.onRunReused(earlier.get());
                }
                LOG.info("run {} finished earlier ({}), not redone", spec.id(), earlier.get().status());
            } else {
                if (events != null) {
                    events.onRunStarted(spec, i + 1, runs.size());
                }
                LOG.info("run {}/{}: {}", i + 1, runs.size(), spec);
                DataSplit runSplit = folds.isEmpty() ? split : folds.get(spec.repetition() - 1).get(spec.fold() - 1);
                RunResult r = runOne(config, spec, runSplit, limitedTraining(config, spec, runSplit), runDir, listener,
                        trained, config.data().resolve(base));
                r.write(runDir);
                results.add(r);
                ran++;
                if (events != null) {
                    events.onRunFinished(r);
                }
                if (!r.isOk()) {
                    LOG.warn("run {} {}: {}", spec.id(), r.status(), r.reason());
                    listener.onItemFailed(spec.id(), r.status() + ": " + r.reason());
                }
            }
            writeTables(config, outDir, results);
            listener.onProgress("experiment", i + 1, runs.size());
        }
        }
        return new Outcome(outDir, split, results, ran, reused, config, folds);
    }

    /** The training normals of a run: the split's, or a seeded choice of whole patients from them (train limit). */
    private static List<Sample> limitedTraining(ExperimentConfig config, RunSpec spec, DataSplit split) {
        if (spec.trainLimit().isAll()) {
            return split.train();
        }
        // one seed per fold, whatever the limit: smaller limits take a prefix of the same patient order
        long seed = Seeds.mix(config.protocol().seedOrDefault(), "train-limit-r" + spec.repetition() + "-f" + spec.fold());
        return PatientSplit.ofCount(split.train(), spec.trainLimit().images(), seed).first();
    }

    /** Grouped-cv: the folds of every repetition, checked and saved (or compared with the saved ones). */
    private List<List<DataSplit>> folds(ExperimentConfig config, Path base, Path outDir) throws IOException {
        List<List<DataSplit>> folds = config.protocol().splitIntoFolds(config.data(), base);
        for (int r = 0; r < folds.size(); r++) {
            for (int f = 0; f < folds.get(r).size(); f++) {
                String name = "r" + (r + 1) + "-f" + (f + 1);
                DataSplit split = folds.get(r).get(f);
                LOG.info("fold {} (grouped-cv, seed {}): {}", name, config.protocol().seedOrDefault(), split.describe());
                checkAndSave(split, outDir.resolve(SPLITS_DIR).resolve(name + ".csv"));
            }
        }
        return folds;
    }

    private DataSplit split(ExperimentConfig config, Path base, Path outDir) throws IOException {
        DataSplit split = config.protocol().split(config.data(), base);
        LOG.info("split ({} protocol, seed {}): {}", config.protocol().typeOrDefault(), config.protocol().seedOrDefault(),
                split.describe());
        checkAndSave(split, outDir.resolve(SPLIT_FILE));
        return split;
    }

    /** Refuses a split without training normals or without both classes in test; saves it or compares it. */
    private static void checkAndSave(DataSplit split, Path file) throws IOException {
        if (split.train().isEmpty()) {
            throw new IllegalArgumentException("the split leaves no normal image for training (" + split.describe()
                    + "); check 'data.normalClass' and the protocol's fractions");
        }
        long abnormal = split.test().stream().filter(Sample::isAbnormal).count();
        long normal = split.test().stream().filter(s -> s.label() == Label.NORMAL).count();
        if (abnormal == 0 || normal == 0) {
            throw new IllegalArgumentException("the test part needs normal and abnormal images, got " + normal + " normal and "
                    + abnormal + " abnormal (" + split.describe() + ")");
        }
        if (Files.exists(file)) {
            DataSplit saved = SplitCsv.read(file);
            if (!saved.equals(split)) {
                throw new IOException("the split the experiment gives now differs from the one saved in " + file
                        + " (the data, its location or the protocol changed); resume only with unchanged data, or use another output folder");
            }
        } else {
            Files.createDirectories(file.getParent());
            SplitCsv.write(file, split);
        }
    }

    private void writeTables(ExperimentConfig config, Path outDir, List<RunResult> results) throws IOException {
        ResultsCsv.write(outDir.resolve(RESULTS_FILE), results);
        if (config.protocol().isCrossValidation()) {
            CrossValidationSummary cv = crossValidationSummary(config, results);
            cv.writeCsv(outDir.resolve(SUMMARY_CSV));
            Csv.writeAtomically(outDir.resolve(SUMMARY_MD), cv.toMarkdown(config.name()));
            return;
        }
        Summary summary = Summary.of(results);
        summary.writeCsv(outDir.resolve(SUMMARY_CSV));
        Csv.writeAtomically(outDir.resolve(SUMMARY_MD), summary.toMarkdown(config.name()));
    }

    /**
     * @param config  a grouped-cv experiment
     * @param results its runs' results
     * @return the summary with fold and seed spreads apart and the configured selection
     */
    public static CrossValidationSummary crossValidationSummary(ExperimentConfig config, List<RunResult> results) {
        int confirm = config.selection() == null ? 0 : config.selection().confirmFolds();
        return CrossValidationSummary.of(results, config.protocol().foldsOrDefault(), confirm);
    }

    /**
     * The last trained detector, kept so that the next run with the same pipeline, model and seed only swaps the
     * scorer ({@link AnomalyDetector#withScorer}) instead of training again.
     */
    private static final class TrainedModels implements AutoCloseable {
        private String key;
        private AnomalyDetector detector;
        private TrainingReport report;
        private double trainSeconds;

        static String key(RunSpec spec) {
            return spec.stages() + "|" + spec.model() + "|" + spec.seed() + "|r" + spec.repetition() + "|f" + spec.fold()
                    + "|n" + spec.trainLimit();
        }

        boolean has(RunSpec spec) {
            return detector != null && key(spec).equals(key);
        }

        void keep(RunSpec spec, AnomalyDetector d, TrainingReport r, double seconds) {
            close();
            key = key(spec);
            detector = d;
            report = r;
            trainSeconds = seconds;
        }

        @Override
        public void close() {
            if (detector != null) {
                detector.close();
                detector = null;
            }
        }
    }

    private RunResult runOne(ExperimentConfig config, RunSpec spec, DataSplit split, List<Sample> train, Path runDir,
                             ProgressListener listener, TrainedModels trained, Path dataRoot) throws IOException {
        deleteRecursively(runDir);
        Files.createDirectories(runDir);
        Optional<String> mismatch = outputMismatch(spec);
        if (mismatch.isPresent()) {
            return result(spec, RunStatus.SKIPPED, mismatch.get(), null, List.of());
        }
        long start = System.nanoTime();
        AnomalyDetector d = null;
        boolean derived = trained.has(spec);
        try {
            TrainingReport training;
            double trainSeconds;
            if (derived) {
                d = trained.detector.withScorer(spec.scorer(), train, listener);
                training = trained.report;
                trainSeconds = trained.trainSeconds;
            } else {
                trained.close();
                d = AnomalyDetector.create(new DetectorConfig(spec.stages(), spec.model(), spec.scorer(),
                        spec.seed(), config.data().normalClassOrDefault()), registry);
                d.setDataRoot(dataRoot); // the run context: deep-one-class refuses a reference set under it
                long trainStart = System.nanoTime();
                try {
                    training = d.fit(train, forwardEpochs(listener));
                } catch (RuntimeException | LinkageError e) {
                    d.close();
                    d = null;
                    throw e;
                }
                trainSeconds = seconds(trainStart);
                trained.keep(spec, d, training, trainSeconds);
            }
            long scoreStart = System.nanoTime();
            Scored validation = score(d, split.validation(), 0, listener, "score validation");
            Scored test = score(d, split.test(), config.heatmaps(), listener, "score test");
            double scoreSeconds = seconds(scoreStart);
            ScoresCsv.write(runDir.resolve(VALIDATION_SCORES), validation.rows);
            ScoresCsv.write(runDir.resolve(TEST_SCORES), test.rows);
            Evaluation testEval = Evaluation.of(test.rows);
            Evaluation valEval = bothClasses(validation.rows) ? Evaluation.of(validation.rows) : null;
            ThresholdReport report = null;
            if (validation.rows.stream().anyMatch(r -> r.label() == Label.ABNORMAL)) {
                Threshold t = Thresholds.maxF1(validation.rows);
                report = ThresholdReport.of(t, test.rows);
                d.setThreshold(t);
            }
            if (config.saveDetectors()) {
                d.save(runDir.resolve(DETECTOR_FILE));
            }
            List<RunResult.HeatmapEntry> heatmaps = writeHeatmaps(runDir, test);
            int scored = validation.rows.size() + test.rows.size();
            RunResult.Figures f = new RunResult.Figures(
                    valEval == null ? null : valEval.rocAuc(), valEval == null ? null : valEval.averagePrecision(),
                    testEval.rocAuc(), testEval.averagePrecision(),
                    report == null ? null : report.threshold().value(), report == null ? null : report.precision(),
                    report == null ? null : report.recall(), report == null ? null : report.specificity(),
                    report == null ? null : report.f1(),
                    report == null ? null : List.of(report.matrix().truePositives(), report.matrix().falsePositives(),
                            report.matrix().trueNegatives(), report.matrix().falseNegatives()),
                    training.summary().images(), validation.rows.size(), test.rows.size(),
                    training.failures().size() + validation.failed + test.failed, training.summary().epochs(),
                    finite(training.summary().finalLoss()), trainSeconds, finite(training.summary().imagesPerSecond()),
                    scored / Math.max(scoreSeconds, 1e-9), seconds(start));
            return result(spec, RunStatus.OK, null, f, heatmaps);
        } catch (Exception | LinkageError e) {
            LOG.debug("run {} failed", spec.id(), e);
            return result(spec, RunStatus.FAILED, oneLine(e), null, List.of());
        } finally {
            if (derived && d != null) {
                d.close();
            }
        }
    }

    /** The reason to skip a run whose scorer needs outputs the model lacks (both ids known), if so. */
    private Optional<String> outputMismatch(RunSpec spec) {
        return registry.incompatibility(spec.model(), spec.scorer());
    }

    private static RunResult result(RunSpec spec, RunStatus status, String reason, RunResult.Figures figures,
                                    List<RunResult.HeatmapEntry> heatmaps) {
        return new RunResult(spec.id(), spec.pipeline(), spec.modelLabel(), spec.scorerLabel(), spec.seed(), status.word(),
                reason, figures, heatmaps, Instant.now().toString(), spec.fold() == 0 ? null : spec.repetition(),
                spec.fold() == 0 ? null : spec.fold(), spec.trainLimit().images());
    }

    /** Scores of one part, and the detections kept for heat maps. */
    private static final class Scored {
        final List<ScoreRow> rows = new ArrayList<>();
        final List<Detection> top = new ArrayList<>();
        final List<Detection> bottom = new ArrayList<>();
        int failed;
    }

    private static final Comparator<Detection> BY_SCORE = Comparator.comparingDouble(Detection::score)
            .thenComparing(d -> d.sample().path().toString());

    private static Scored score(AnomalyDetector d, List<Sample> samples, int keep, ProgressListener listener, String task) {
        Scored out = new Scored();
        PriorityQueue<Detection> top = new PriorityQueue<>(BY_SCORE);
        PriorityQueue<Detection> bottom = new PriorityQueue<>(BY_SCORE.reversed());
        ProgressListener failuresOnly = new ProgressListener() {
            @Override
            public void onItemFailed(String item, String reason) {
                listener.onItemFailed(item, reason);
            }
        };
        for (int from = 0; from < samples.size(); from += SCORE_CHUNK) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + SCORE_CHUNK));
            BatchResult<Detection> r = d.scoreAll(chunk, failuresOnly);
            out.failed += r.failures().size();
            for (Detection det : r.results()) {
                Sample s = det.sample();
                out.rows.add(new ScoreRow(s.path().toString(), s.patientId(), s.label(), det.score()));
                if (keep > 0) {
                    top.add(det);
                    if (top.size() > keep) {
                        top.poll();
                    }
                    bottom.add(det);
                    if (bottom.size() > keep) {
                        bottom.poll();
                    }
                }
            }
            listener.onProgress(task, Math.min(samples.size(), from + SCORE_CHUNK), samples.size());
        }
        out.top.addAll(top);
        out.top.sort(BY_SCORE.reversed());
        out.bottom.addAll(bottom);
        out.bottom.sort(BY_SCORE);
        return out;
    }

    private static List<RunResult.HeatmapEntry> writeHeatmaps(Path runDir, Scored test) throws IOException {
        List<RunResult.HeatmapEntry> out = new ArrayList<>();
        write(runDir, "top", test.top, out);
        write(runDir, "bottom", test.bottom, out);
        return out;
    }

    private static void write(Path runDir, String end, List<Detection> detections, List<RunResult.HeatmapEntry> out)
            throws IOException {
        for (int k = 0; k < detections.size(); k++) {
            Detection det = detections.get(k);
            String rank = String.format("%s-%02d", end, k + 1);
            String file = "heatmaps/" + rank + ".png";
            if (det.heatmap() != null) {
                HeatmapOverlay.writePng(det.preprocessed(), det.heatmap(), runDir.resolve(file));
            } else {
                HeatmapOverlay.writeGrayPng(det.preprocessed(), runDir.resolve(file));
            }
            out.add(new RunResult.HeatmapEntry(file, rank, det.sample().path().toString(), det.sample().label().code(),
                    det.score()));
        }
    }

    private static ProgressListener forwardEpochs(ProgressListener listener) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                listener.onEpoch(report);
            }

            @Override
            public void onItemFailed(String item, String reason) {
                listener.onItemFailed(item, reason);
            }
        };
    }

    private static boolean bothClasses(List<ScoreRow> rows) {
        return rows.stream().anyMatch(r -> r.label() == Label.ABNORMAL) && rows.stream().anyMatch(r -> r.label() == Label.NORMAL);
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        } else if (!(e instanceof IllegalArgumentException) && !(e instanceof IOException)) {
            m = e.getClass().getSimpleName() + ": " + m;
        }
        return m.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
