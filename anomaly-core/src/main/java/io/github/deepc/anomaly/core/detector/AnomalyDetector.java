package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.preprocessing.ImageSizes;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.preprocessing.ValidatedStage;
import io.github.deepc.anomaly.core.preprocessing.ValueRanges;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.FittedStageProvider;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete anomaly detector: preprocessing pipeline + model + outlier scorer.
 *
 * <pre>{@code
 * AnomalyDetector detector = AnomalyDetector.builder().build();   // the recommended detector (anomaly-presets)
 * AnomalyDetector cae = AnomalyDetector.builder().model(PluginSpec.of("cae", "epochs", "5"))
 *         .scorer(PluginSpec.of("masked-mse")).build();
 * detector.fit(dataSet.normals(), ProgressListener.NONE);
 * Detection d = detector.score(sample);
 * detector.save(Path.of("hand.detector"));
 * }</pre>
 *
 * <p>Every part is named by a plugin id and parameters ({@link DetectorConfig}), so a detector can be saved to one
 * file and loaded elsewhere; loading and scoring gives bit-identical scores. Batch methods report the items that
 * fail and go on. An optional decision {@link Threshold} ({@link #setThreshold}) is saved with the detector and turns
 * scores into 0/1 decisions ({@link Detection#decision()}). Not thread-safe while fitting; scoring methods may be called concurrently once fitted.
 */
public final class AnomalyDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);
    /** Images per inference call when scoring. */
    static final int SCORE_BATCH = 64;

    /** Training images a fitted stage (e.g. a reference histogram) learns from, at most; a seeded sample. */
    static final int STAGE_FIT_SAMPLE = 256;
    /** Salt of the scorer's seed, derived from the master seed. */
    private static final String SCORER_SEED = "scorer";
    /** The part of an ensemble's training normals held out to calibrate its members' scores. */
    static final double CALIBRATION_FRACTION = 0.2;

    /** The pipeline as configured, before fitted stages learned their parameters. */
    private final List<PluginSpec> configuredPipeline;
    /** Replaced once by {@link #fit} when the pipeline has fitted stages (their learned parameters added). */
    private volatile DetectorConfig config;
    /** {@code null} until fitted stages have learned their parameters. */
    private volatile Pipeline pipeline;
    private final AnomalyModel model;
    private final OutlierScorer scorer;
    private final PluginRegistry registry;
    /** False for detectors made by {@link #withScorer}: they share another detector's model and must not close it. */
    private final boolean ownsModel;
    /** The run's data root for the models' {@link TrainingContext}; not part of the configuration, not saved. */
    private volatile Path dataRoot;
    private volatile Provenance provenance;
    private volatile Threshold threshold;
    /** An ensemble's other members (single detectors); empty for a single detector. */
    private final List<AnomalyDetector> members;
    /** Where the model saves per-epoch checkpoints during {@link #fit} (see {@link #checkpoints}). */
    private Checkpointing checkpoints = Checkpointing.NONE;
    /** An ensemble's score calibrations, this detector's first, then the members'; {@code null} before fitting. */
    private volatile List<ScoreCalibration> calibrations;
    private volatile boolean closed;

    /**
     * @param loaded whether the configuration comes from a saved detector: a value range that does not fit the model is
     *               then only a warning, so that detector files saved before ranges were checked still load
     */
    private AnomalyDetector(DetectorConfig config, PluginRegistry registry, boolean loaded) {
        this.config = config;
        List<ValidatedStage> stages = checkCompatible(config, registry, loaded);
        this.registry = registry;
        this.members = config.members().stream().map(m -> new AnomalyDetector(m, registry, loaded)).toList();
        this.configuredPipeline = config.pipeline();
        this.pipeline = stagesToFit(config.pipeline(), registry) ? null : Pipeline.create(stages);
        this.model = registry.models().create(config.model());
        this.scorer = registry.scorers().create(config.scorer());
        this.ownsModel = true;
    }

    private AnomalyDetector(AnomalyDetector fitted, PluginSpec scorerSpec) {
        this.config = fitted.config.withScorer(scorerSpec);
        checkCompatible(config, fitted.registry, true);
        this.registry = fitted.registry;
        this.configuredPipeline = fitted.configuredPipeline;
        this.pipeline = fitted.pipeline;
        this.model = fitted.model;
        this.scorer = registry.scorers().create(scorerSpec);
        this.members = List.of();
        this.ownsModel = false;
        this.provenance = fitted.provenance;
    }

    /**
     * A detector that shares this fitted detector's pipeline and model but scores with another scorer, so that
     * comparing scorers needs no retraining. The new scorer is fitted on {@code normals} when it needs fitting.
     * The returned detector does not own the model: close this one last.
     *
     * @param scorerSpec the other scorer
     * @param normals    the training normals (read only when the scorer needs fitting)
     * @param listener   progress and per-item failures
     * @return the new detector, fitted
     * @throws PluginException when the scorer is unknown or needs outputs the model lacks
     */
    public AnomalyDetector withScorer(PluginSpec scorerSpec, List<Sample> normals, ProgressListener listener) {
        requireFitted();
        if (isEnsemble()) {
            throw new IllegalStateException("withScorer is for single detectors, not ensembles: its members' scores are"
                    + " calibrated together");
        }
        AnomalyDetector d = new AnomalyDetector(this, scorerSpec);
        if (d.scorer.needsFit()) {
            d.scorer.fit(model.infer(prepare(normals, false, listener).results()), Seeds.mix(config.seed(), SCORER_SEED));
        }
        return d;
    }

    /** @return the pipeline's stages, validated (parsed and range-checked once, here) */
    private static List<ValidatedStage> checkCompatible(DetectorConfig config, PluginRegistry registry, boolean loaded) {
        // parsed and range-checked once; the size and value-range checks below read these
        List<ValidatedStage> stages = ValidatedStage.of(config.pipeline(), registry);
        Parameters modelParams = registry.models().validate(config.model());
        registry.scorers().validate(config.scorer());
        registry.incompatibility(config.model(), config.scorer()).ifPresent(why -> {
            throw new PluginException(why);
        });
        ModelProvider mp = registry.models().get(config.model().id());
        InputRequirements needs;
        try {
            needs = mp.inputRequirements(modelParams);
        } catch (IllegalArgumentException e) {
            throw new PluginException("model '" + mp.id() + "': " + e.getMessage(), e);
        }
        ImageSizes.side(stages).ifPresent(side -> needs.violation(side.side()).ifPresent(why -> {
            throw new PluginException("model '" + mp.id() + "' cannot take the pipeline's images: " + why
                    + " (stage '" + side.stage() + "' sets " + side.parameter() + "=" + side.side() + ")");
        }));
        if (needs.valueRange() != null) {
            checkRange(mp.id(), needs, stages, registry, loaded);
        }
        return stages;
    }

    /** Refuses (or, for a loaded detector, warns about) a pipeline whose declared output range the model cannot take. */
    private static void checkRange(String model, InputRequirements needs, List<ValidatedStage> pipeline,
            PluginRegistry registry, boolean loaded) {
        Optional<ValueRanges.Output> out = ValueRanges.output(pipeline);
        if (out.isEmpty()) {
            LOG.debug("model '{}' needs pixel values in {}; the pipeline's range is unknown (a stage does not declare it):"
                    + " not checked", model, needs.valueRange());
            return;
        }
        needs.rangeViolation(out.get().range()).ifPresent(why -> {
            List<String> fixes = ValueRanges.fixes(needs.valueRange(), registry);
            String message = "model '" + model + "' " + why + " (set by stage '" + out.get().stage() + "')"
                    + (fixes.isEmpty() ? "" : "; end the pipeline with stage " + String.join(" or ", fixes.stream()
                            .map(f -> "'" + f + "'").toList()));
            if (!loaded) {
                throw new PluginException(message);
            }
            LOG.warn("{} (a saved detector: loaded as it was trained)", message);
        });
    }

    /**
     * @return a builder; the parts it is not given come from the default preset of {@code anomaly-presets}
     *         ({@link DetectorCatalogs#defaultPreset()}), which must then be on the class path
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a detector from a complete configuration.
     *
     * @param config   the configuration
     * @param registry where plugins are found
     * @return an unfitted detector
     * @throws PluginException for unknown ids, invalid parameters or a scorer the model cannot feed
     */
    public static AnomalyDetector create(DetectorConfig config, PluginRegistry registry) {
        return new AnomalyDetector(config, registry, false);
    }

    /** @return the configuration (for an ensemble with its members' current configurations) */
    public DetectorConfig config() {
        DetectorConfig c = config;
        return members.isEmpty() ? c : c.withMembers(members.stream().map(AnomalyDetector::config).toList());
    }

    /** @return whether this detector is an ensemble of several */
    public boolean isEnsemble() {
        return !members.isEmpty();
    }

    /**
     * @return the preprocessing pipeline; {@code null} before {@link #fit} when a stage learns its parameters from the
     *         training images (e.g. {@code histogram-match})
     */
    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * Tells the models the root folder of the data this run trains on and evaluates (their {@link TrainingContext}), so
     * that a model reading other images, such as {@code deep-one-class}'s reference set, can refuse to read them from
     * there. Part of the run, not of the configuration: it is not saved.
     *
     * @param root the data root, or {@code null} when unknown
     */
    public void setDataRoot(Path root) {
        this.dataRoot = root == null ? null : root.toAbsolutePath().normalize();
        members.forEach(m -> m.setDataRoot(root));
    }

    /** @return provenance of the fitted detector, or {@code null} before fitting */
    public Provenance provenance() {
        return provenance;
    }

    /** @return the decision threshold, if one was set or loaded */
    public Optional<Threshold> threshold() {
        return Optional.ofNullable(threshold);
    }

    /**
     * Sets the decision threshold that is saved with the detector and applied to its detections.
     *
     * @param threshold the threshold, or {@code null} to remove it
     */
    public void setThreshold(Threshold threshold) {
        this.threshold = threshold;
    }

    /**
     * @param score an outlier score of this detector
     * @return 1 (abnormal) or 0 (normal) by the threshold; empty when the detector has none
     */
    public OptionalInt decision(double score) {
        Threshold t = threshold;
        return t == null ? OptionalInt.empty() : OptionalInt.of(t.decision(score));
    }

    /**
     * Sets where the models save per-epoch checkpoints during the next {@link #fit} (models that train in epochs:
     * the autoencoders, the one-class networks, the GANs and the defect localizer on the direct engine) and whether they resume from them; an ensemble's members use {@link Checkpointing#part}s
     * {@code member-1}, {@code member-2}, ... Default: {@link Checkpointing#NONE}.
     *
     * @param checkpoints where checkpoints go
     */
    public void checkpoints(Checkpointing checkpoints) {
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        for (int i = 0; i < members.size(); i++) {
            members.get(i).checkpoints(checkpoints.part("member-" + (i + 1)));
        }
    }

    /** @return whether {@link #fit} has run (or the detector was loaded) */
    public boolean isFitted() {
        return provenance != null;
    }

    /**
     * Fits the model (and scorer) on normal samples. Samples that cannot be loaded or preprocessed are reported
     * to the listener and skipped; training fails only when none is usable.
     *
     * @param normals  normal samples (their labels are not checked: pass only normals)
     * @param listener progress
     * @return training figures and skipped samples
     */
    public TrainingReport fit(List<Sample> normals, ProgressListener listener) {
        requireOpen();
        if (normals.isEmpty()) {
            throw new IllegalArgumentException("no training images: fit needs at least one normal image");
        }
        return isEnsemble() ? fitEnsemble(normals, (d, part) -> d.fitSingle(part, listener), AnomalyDetector::ownScores)
                : fitSingle(normals, listener);
    }

    private TrainingReport fitSingle(List<Sample> normals, ProgressListener listener) {
        fitStages(normals.size(), i -> {
            try {
                return DataSet.load(normals.get(i));
            } catch (IOException | RuntimeException e) {
                return null; // reported by the preprocessing pass below
            }
        }, i -> Seeds.mix(config.seed(), normals.get(i).id()));
        BatchResult<GrayImage> prepared = prepare(normals, true, listener);
        if (prepared.results().isEmpty()) {
            throw new IllegalArgumentException("none of the " + normals.size() + " training images could be used; first failure: "
                    + prepared.failures().get(0));
        }
        String data = normals.get(0).path().toAbsolutePath().getParent() + " (" + normals.size() + " samples)";
        // the scorer sees the images as scoring will: without training-only stages such as augmentation
        TrainingSummary summary = fitPrepared(prepared.results(),
                () -> prepare(normals, false, ProgressListener.NONE).results(), data, listener);
        return new TrainingReport(summary, prepared.failures());
    }

    /**
     * Fits on images already in memory (e.g. generated ones); they go through the pipeline like files do.
     *
     * @param normals  normal images
     * @param listener progress
     * @return training figures, as {@link #fit} reports them (in-memory images cannot fail to load: no failures)
     */
    public TrainingReport fitImages(List<GrayImage> normals, ProgressListener listener) {
        requireOpen();
        if (normals.isEmpty()) {
            throw new IllegalArgumentException("no training images: fit needs at least one normal image");
        }
        return isEnsemble() ? fitEnsemble(normals, (d, part) -> d.fitImagesSingle(part, listener),
                (d, part) -> part.stream().mapToDouble(img -> d.scoreSingle(img).score()).toArray())
                : fitImagesSingle(normals, listener);
    }

    private TrainingReport fitImagesSingle(List<GrayImage> normals, ProgressListener listener) {
        fitStages(normals.size(), normals::get, i -> Seeds.mix(config.seed(), i));
        return new TrainingReport(fitPrepared(prepareImages(normals, true), () -> prepareImages(normals, false),
                "in-memory images", listener), List.of());
    }

    /** @return this detector and its members: the ensemble's branches, in calibration order */
    private List<AnomalyDetector> branches() {
        List<AnomalyDetector> all = new ArrayList<>(members.size() + 1);
        all.add(this);
        all.addAll(members);
        return all;
    }

    /**
     * Splits an ensemble's training normals, seeded, into the part its members train on and the held-out part
     * ({@link #CALIBRATION_FRACTION}, at least one) their scores are calibrated on.
     */
    private <T> List<List<T>> calibrationSplit(List<T> normals) {
        if (normals.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 training images (some are held out to"
                    + " calibrate its members' scores), got " + normals.size());
        }
        List<T> shuffled = new ArrayList<>(normals);
        Collections.shuffle(shuffled, new Random(Seeds.mix(config.seed(), "ensemble-calibration")));
        int held = Math.max(1, (int) Math.round(normals.size() * CALIBRATION_FRACTION));
        return List.of(List.copyOf(shuffled.subList(held, shuffled.size())), List.copyOf(shuffled.subList(0, held)));
    }

    /**
     * Fits an ensemble: every branch on the same seeded training part, then each branch's scores of the held-out
     * part calibrate it.
     *
     * @param normals     samples or images
     * @param fitOne      fits one branch on a part, as a single detector
     * @param scoresOf    one branch's own scores of a part
     * @return this detector's own training result
     */
    private <T, R> R fitEnsemble(List<T> normals, BiFunction<AnomalyDetector, List<T>, R> fitOne,
                                 BiFunction<AnomalyDetector, List<T>, double[]> scoresOf) {
        List<List<T>> parts = calibrationSplit(normals);
        R own = fitOne.apply(this, parts.get(0));
        for (AnomalyDetector m : members) {
            fitOne.apply(m, parts.get(0));
        }
        List<ScoreCalibration> cal = new ArrayList<>();
        for (AnomalyDetector b : branches()) {
            cal.add(ScoreCalibration.of(scoresOf.apply(b, parts.get(1))));
        }
        for (AnomalyDetector m : members) {
            m.provenance = provenance;
        }
        calibrations = List.copyOf(cal);
        LOG.info("ensemble of {} detectors calibrated ({}) on {} held-out normals", cal.size(), config.combine(),
                cal.get(0).sorted().length);
        return own;
    }

    /** @return the mean of the branches' calibrated scores */
    private double combined(double[] branchScores) {
        ScoreCalibration.Method method = ScoreCalibration.Method.of(config.combine());
        List<ScoreCalibration> cal = calibrations;
        double sum = 0;
        for (int b = 0; b < branchScores.length; b++) {
            sum += cal.get(b).normalise(branchScores[b], method);
        }
        return sum / branchScores.length;
    }

    private static boolean stagesToFit(List<PluginSpec> specs, PluginRegistry registry) {
        return specs.stream().anyMatch(s -> registry.stages().get(s.id()) instanceof FittedStageProvider f
                && f.needsFit(s.params()));
    }

    /**
     * Lets each fitted stage of the configured pipeline learn from a seeded sample of the training images as they
     * arrive at it, then rebuilds configuration and pipeline with the learned parameters.
     *
     * @param count  training images
     * @param raw    loads image {@code i}, or returns {@code null} when it cannot be read (left out here)
     * @param seedOf the per-image seed of image {@code i}
     */
    private void fitStages(int count, IntFunction<GrayImage> raw, IntFunction<Long> seedOf) {
        List<PluginSpec> specs = new ArrayList<>(configuredPipeline);
        if (!stagesToFit(specs, registry)) {
            return;
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, count).boxed().toList());
        Collections.shuffle(order, new Random(Seeds.mix(config.seed(), "fitted-stages")));
        List<Integer> sample = order.subList(0, Math.min(count, STAGE_FIT_SAMPLE));
        for (int s = 0; s < specs.size(); s++) {
            PluginSpec spec = specs.get(s);
            if (registry.stages().get(spec.id()) instanceof FittedStageProvider f && f.needsFit(spec.params())) {
                Pipeline prefix = Pipeline.create(specs.subList(0, s), registry);
                List<GrayImage> images = sample.parallelStream().map(i -> {
                    GrayImage img = raw.apply(i);
                    return img == null ? null : prefix.apply(img, false, seedOf.apply(i)).image();
                }).filter(Objects::nonNull).toList();
                if (images.isEmpty()) {
                    throw new IllegalArgumentException("stage '" + spec.id() + "' learns from the training images, but"
                            + " none of the sampled ones could be read");
                }
                specs.set(s, new PluginSpec(spec.id(), f.fit(spec.params(), images)));
                LOG.info("stage '{}' learned its parameters from {} training images", spec.id(), images.size());
            }
        }
        config = config.withPipeline(specs);
        pipeline = Pipeline.create(specs, registry);
    }

    private List<GrayImage> prepareImages(List<GrayImage> images, boolean training) {
        return IntStream.range(0, images.size()).parallel()
                .mapToObj(i -> pipeline.apply(images.get(i), training, Seeds.mix(config.seed(), i)).image()).toList();
    }

    private TrainingSummary fitPrepared(List<GrayImage> images, Supplier<List<GrayImage>> scoringImages, String data,
                                        ProgressListener listener) {
        TrainingSummary summary = model.fit(images, new TrainingContext(config.seed(), listener, dataRoot, checkpoints));
        if (scorer.needsFit()) {
            scorer.fit(model.infer(scoringImages.get()), Seeds.mix(config.seed(), SCORER_SEED));
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("epochs", (double) summary.epochs());
        figures.put("finalLoss", summary.finalLoss());
        figures.put("imagesPerSecond", summary.imagesPerSecond());
        figures.put("seconds", summary.seconds());
        // deep models' float results can depend on the thread count (BLAS splits sums by thread): recorded here
        figures.put("cpuThreads", (double) Runtime.getRuntime().availableProcessors());
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && omp.trim().matches("[0-9]{1,4}")) {
            figures.put("ompNumThreads", Double.parseDouble(omp.trim()));
        }
        provenance = Provenance.now(config.seed(), images.size(), data, figures);
        LOG.info("trained {} on {} images: {} epochs, loss {}, {} images/s", config.model().id(), images.size(),
                summary.epochs(), summary.finalLoss(), String.format("%.1f", summary.imagesPerSecond()));
        return summary;
    }

    /**
     * Scores one sample.
     *
     * @param sample the sample
     * @return score, heat map and preprocessed image
     * @throws IOException when the image cannot be read, or is blank or constant
     */
    public Detection score(Sample sample) throws IOException {
        requireFitted();
        Detection own = scoreSingle(sample);
        if (!isEnsemble()) {
            return own;
        }
        double[] scores = new double[members.size() + 1];
        scores[0] = own.score();
        for (int m = 0; m < members.size(); m++) {
            scores[m + 1] = members.get(m).scoreSingle(sample).score();
        }
        return Detection.of(sample, new Score(combined(scores), own.heatmap()), own.preprocessed(), own.notes(), threshold);
    }

    private Detection scoreSingle(Sample sample) throws IOException {
        GrayImage raw = DataSet.load(sample);
        String degenerate = degenerate(raw);
        if (degenerate != null) {
            throw new IOException(sample.path() + ": " + degenerate);
        }
        ProcessedImage p = pipeline.apply(raw, false, Seeds.mix(config.seed(), sample.id()));
        return Detection.of(sample, scoreImages(List.of(p.image())).get(0), p.image(), p.notes(), threshold);
    }

    /**
     * Scores an image in memory (it goes through the pipeline first): the same kind of result as
     * {@link #score(Sample)}, without a sample.
     *
     * @param image the raw image
     * @return score, heat map, preprocessed image, stage notes and decision threshold; {@link Detection#sample()} is
     *         {@code null}
     */
    public Detection score(GrayImage image) {
        requireFitted();
        Detection own = scoreSingle(image);
        if (!isEnsemble()) {
            return own;
        }
        double[] scores = new double[members.size() + 1];
        scores[0] = own.score();
        for (int m = 0; m < members.size(); m++) {
            scores[m + 1] = members.get(m).scoreSingle(image).score();
        }
        return Detection.of(null, new Score(combined(scores), own.heatmap()), own.preprocessed(), own.notes(), threshold);
    }

    private Detection scoreSingle(GrayImage image) {
        ProcessedImage p = pipeline.apply(image, false, config.seed());
        return Detection.of(null, scoreImages(List.of(p.image())).get(0), p.image(), p.notes(), threshold);
    }

    /**
     * Scores many samples, batching inference. Unreadable samples are reported and skipped.
     *
     * @param samples  the samples
     * @param listener progress and per-item failures
     * @return detections in input order, and the failures
     */
    public BatchResult<Detection> scoreAll(List<Sample> samples, ProgressListener listener) {
        List<Detection> results = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        try {
            scoreEach(samples, listener, new DetectionSink() {
                @Override
                public void scored(Detection detection) {
                    results.add(detection);
                }

                @Override
                public void failed(ItemFailure failure) {
                    failures.add(failure);
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not thrown: this sink only collects
        }
        return new BatchResult<>(results, failures);
    }

    /**
     * Receives the outcome of each sample as soon as its batch is scored, so that a caller can write the results
     * out and keep memory independent of the number of samples.
     */
    public interface DetectionSink {
        /**
         * @param detection a scored sample
         * @throws IOException when the caller cannot store it (scoring stops)
         */
        void scored(Detection detection) throws IOException;

        /**
         * @param failure a sample that could not be scored
         * @throws IOException when the caller cannot store it (scoring stops)
         */
        void failed(ItemFailure failure) throws IOException;
    }

    /**
     * Scores many samples batch by batch, handing each outcome to {@code sink} in input order and keeping nothing:
     * memory depends on the batch size, not on the number of samples. A sample's score does not depend on which
     * other samples share its batch (each image is preprocessed and scored on its own).
     *
     * @param samples  the samples
     * @param listener progress and per-item failures
     * @param sink     receives each detection or failure
     * @throws IOException when the sink fails (the outcomes handed over so far stay with the sink)
     */
    public void scoreEach(List<Sample> samples, ProgressListener listener, DetectionSink sink) throws IOException {
        requireFitted();
        for (int from = 0; from < samples.size(); from += SCORE_BATCH) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + SCORE_BATCH));
            Detection[] own = new Detection[chunk.size()];
            ItemFailure[] failed = new ItemFailure[chunk.size()];
            scoreChunk(chunk, own, failed);
            // an ensemble: every member scores the chunk too; a sample any member cannot score fails
            double[][] memberScores = new double[members.size()][];
            for (int m = 0; m < members.size(); m++) {
                Detection[] theirs = new Detection[chunk.size()];
                ItemFailure[] theirFailures = new ItemFailure[chunk.size()];
                members.get(m).scoreChunk(chunk, theirs, theirFailures);
                memberScores[m] = new double[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    if (failed[i] == null && theirFailures[i] != null) {
                        failed[i] = new ItemFailure(theirFailures[i].item(), "ensemble member " + (m + 1)
                                + " could not score it: " + theirFailures[i].reason());
                    }
                    memberScores[m][i] = theirs[i] == null ? Double.NaN : theirs[i].score();
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                if (failed[i] != null) {
                    listener.onItemFailed(failed[i].item(), failed[i].reason());
                    sink.failed(failed[i]);
                } else if (isEnsemble()) {
                    double[] scores = new double[members.size() + 1];
                    scores[0] = own[i].score();
                    for (int m = 0; m < members.size(); m++) {
                        scores[m + 1] = memberScores[m][i];
                    }
                    sink.scored(Detection.of(chunk.get(i), new Score(combined(scores), own[i].heatmap()),
                            own[i].preprocessed(), own[i].notes(), threshold));
                } else {
                    sink.scored(own[i]);
                }
            }
            listener.onProgress("score", Math.min(samples.size(), from + SCORE_BATCH), samples.size());
        }
    }

    /** @return this detector's own scores of the samples it can score (for an ensemble's calibration) */
    private double[] ownScores(List<Sample> samples) {
        List<Double> out = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += SCORE_BATCH) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + SCORE_BATCH));
            Detection[] d = new Detection[chunk.size()];
            scoreChunk(chunk, d, new ItemFailure[chunk.size()]);
            for (Detection x : d) {
                if (x != null) {
                    out.add(x.score());
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** This detector's own detections (not combined with an ensemble's members) of one chunk, or its failures. */
    private void scoreChunk(List<Sample> chunk, Detection[] detections, ItemFailure[] failures) {
        Prepared[] prepared = prepareEach(chunk, false);
        List<GrayImage> batch = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++) {
            if (prepared[i].failure == null) {
                batch.add(prepared[i].image.image());
                index.add(i);
            } else {
                failures[i] = prepared[i].failure;
            }
        }
        List<Score> scores = batch.isEmpty() ? List.of() : scoreImages(batch);
        for (int k = 0; k < scores.size(); k++) {
            int i = index.get(k);
            Prepared p = prepared[i];
            detections[i] = Detection.of(chunk.get(i), scores.get(k), p.image.image(), p.image.notes(), threshold);
        }
    }

    /**
     * Model and scorer over preprocessed images. With test-time augmentation each image is also scored shifted by
     * the fixed {@link TestTimeShifts} and its score is the mean over the shifts and itself; the heat map is the
     * unshifted image's. Each image's score depends on that image alone, never on the rest of the batch.
     */
    private List<Score> scoreImages(List<GrayImage> images) {
        int shifts = config.testTimeShifts();
        if (shifts == 0) {
            return model.infer(images).stream().map(scorer::score).toList();
        }
        List<GrayImage> all = new ArrayList<>(images.size() * (shifts + 1));
        for (GrayImage img : images) {
            all.add(img);
            all.addAll(TestTimeShifts.of(img, shifts));
        }
        List<ModelOutput> outs = model.infer(all);
        List<Score> scores = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            Score own = scorer.score(outs.get(i * (shifts + 1)));
            double sum = own.value();
            for (int k = 1; k <= shifts; k++) {
                sum += scorer.score(outs.get(i * (shifts + 1) + k)).value();
            }
            scores.add(new Score(sum / (shifts + 1), own.heatmap()));
        }
        return scores;
    }

    private BatchResult<GrayImage> prepare(List<Sample> samples, boolean training, ProgressListener listener) {
        Prepared[] prepared = prepareEach(samples, training);
        List<GrayImage> images = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p.failure != null) {
                failures.add(p.failure);
                listener.onItemFailed(p.failure.item(), p.failure.reason());
            } else {
                images.add(p.image.image());
            }
        }
        listener.onProgress("preprocess", samples.size(), samples.size());
        return new BatchResult<>(images, failures);
    }

    private Prepared[] prepareEach(List<Sample> samples, boolean training) {
        Prepared[] out = new Prepared[samples.size()];
        IntStream.range(0, samples.size()).parallel().forEach(i -> {
            Sample s = samples.get(i);
            try {
                GrayImage raw = DataSet.load(s);
                String degenerate = degenerate(raw);
                if (degenerate != null) {
                    out[i] = new Prepared(null, new ItemFailure(s.path().toString(), degenerate));
                    return;
                }
                out[i] = new Prepared(pipeline.apply(raw, training, Seeds.mix(config.seed(), s.id())), null);
            } catch (IOException | RuntimeException e) {
                out[i] = new Prepared(null, new ItemFailure(s.path().toString(), String.valueOf(e.getMessage())));
            }
        });
        return out;
    }

    /**
     * @return why the image carries no information (blank, constant or without valid pixels), or {@code null}. Such
     *         an image would otherwise be scored as the most normal of all (a constant image reconstructs perfectly
     *         and sits at the centre of the normalised data), so it is neither trained on nor ranked.
     */
    static String degenerate(GrayImage image) {
        float[] range = image.validRange();
        if (image.validCount() == 0) {
            return "degenerate image: no valid pixel; not used";
        }
        if (!(range[1] > range[0])) {
            return "degenerate image: all " + image.validCount() + " pixels have the value " + range[0]
                    + " (blank or constant); not used, not ranked";
        }
        return null;
    }

    private record Prepared(ProcessedImage image, ItemFailure failure) {
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("detector is closed: create or load a new one");
        }
    }

    private void requireFitted() {
        requireOpen();
        if (!isFitted()) {
            throw new IllegalStateException("detector is not fitted: call fit(...) or load a saved detector");
        }
    }

    /**
     * Saves configuration, model state, scorer state, provenance and the threshold (if any) to one file (written
     * atomically).
     *
     * @param file the detector file
     * @throws IOException when writing fails
     */
    public void save(Path file) throws IOException {
        requireFitted();
        Map<String, DetectorFile.PartWriter> parts = new LinkedHashMap<>();
        parts.put(DetectorFile.MODEL, model::writeState);
        parts.put(DetectorFile.SCORER, scorer::writeState);
        for (int m = 0; m < members.size(); m++) {
            parts.put(DetectorFile.memberModel(m + 1), members.get(m).model::writeState);
            parts.put(DetectorFile.memberScorer(m + 1), members.get(m).scorer::writeState);
        }
        // format 2 for what a format-1 reader would silently score differently (ensembles, test-time shifts)
        boolean needs2 = isEnsemble() || config.testTimeShifts() > 0;
        DetectorFile.write(file, new DetectorFile.Manifest(needs2 ? DetectorFile.ENSEMBLE_FORMAT : DetectorFile.FORMAT,
                config(), provenance, threshold, calibrations), parts);
    }

    /**
     * Loads a detector saved with {@link #save(Path)}, using the default plugin registry.
     *
     * @param file the detector file
     * @return the fitted detector
     * @throws IOException when the file is missing, corrupt or of an incompatible format
     */
    public static AnomalyDetector load(Path file) throws IOException {
        return load(file, PluginRegistry.defaultRegistry());
    }

    /**
     * @param file     the detector file
     * @param registry where plugins are found
     * @return the fitted detector
     * @throws IOException when the file is missing, corrupt or of an incompatible format
     */
    public static AnomalyDetector load(Path file, PluginRegistry registry) throws IOException {
        DetectorFile.Parts parts = DetectorFile.read(file);
        AnomalyDetector d;
        try {
            d = new AnomalyDetector(parts.manifest().config(), registry, true);
        } catch (PluginException e) {
            throw new IOException("detector file " + file + " cannot be used here: " + e.getMessage(), e);
        }
        try {
            d.model.readState(new ByteArrayInputStream(parts.require(file, DetectorFile.MODEL)));
            d.scorer.readState(new ByteArrayInputStream(parts.require(file, DetectorFile.SCORER)));
            for (int m = 0; m < d.members.size(); m++) {
                AnomalyDetector member = d.members.get(m);
                member.model.readState(new ByteArrayInputStream(parts.require(file, DetectorFile.memberModel(m + 1))));
                member.scorer.readState(new ByteArrayInputStream(parts.require(file, DetectorFile.memberScorer(m + 1))));
            }
        } catch (IOException | RuntimeException e) {
            d.close();
            throw new IOException("detector file " + file + " has unreadable model or scorer state: " + e.getMessage(), e);
        }
        d.provenance = Objects.requireNonNullElseGet(parts.manifest().provenance(),
                () -> Provenance.now(d.config.seed(), 0, "unknown", Map.of()));
        d.threshold = parts.manifest().threshold();
        for (AnomalyDetector m : d.members) {
            m.provenance = d.provenance;
        }
        d.calibrations = parts.manifest().calibrations();
        return d;
    }

    @Override
    public void close() {
        closed = true;
        if (ownsModel) {
            model.close();
        }
        members.forEach(AnomalyDetector::close);
    }

    /**
     * Builds an {@link AnomalyDetector}. Parts that are not set come from the default preset of the
     * {@link DetectorCatalog} on the class path ({@code anomaly-presets}); without one, set all three.
     */
    public static final class Builder {
        private List<PluginSpec> pipeline;
        private PluginSpec model;
        private PluginSpec scorer;
        private long seed = Seeds.DEFAULT_SEED;
        private String normalClass = "NORMAL";
        private PluginRegistry registry;
        private Path dataRoot;
        private final List<Member> members = new ArrayList<>();
        private ScoreCalibration.Method combine = ScoreCalibration.Method.ROBUST_Z;
        private int testTimeShifts;

        private record Member(List<PluginSpec> pipeline, PluginSpec model, PluginSpec scorer) {
        }

        private Builder() {
        }

        /**
         * Adds another detector and so makes an ensemble: every member is trained on the same normals (less a
         * seeded {@value AnomalyDetector#CALIBRATION_FRACTION} held out), each member's scores are calibrated on the
         * held-out normals ({@link #combine}), and an image's score is the mean of its calibrated scores. The heat
         * map is the first detector's (the one set by {@link #pipeline}, {@link #model} and {@link #scorer}).
         *
         * @param stages the member's pipeline
         * @param model  its model
         * @param scorer its scorer
         * @return this
         */
        public Builder member(List<PluginSpec> stages, PluginSpec model, PluginSpec scorer) {
            members.add(new Member(List.copyOf(stages), Objects.requireNonNull(model, "model"),
                    Objects.requireNonNull(scorer, "scorer")));
            return this;
        }

        /**
         * @param shifts test-time augmentation: how many shifted copies of each preprocessed image are scored too
         *               (0 to {@value TestTimeShifts#MAX}, default 0); the score is the mean over them and the image
         * @return this
         */
        public Builder testTimeAugmentation(int shifts) {
            this.testTimeShifts = TestTimeShifts.check(shifts);
            return this;
        }

        /**
         * @param method how an ensemble's member scores are normalised before averaging (default robust z-score)
         * @return this
         */
        public Builder combine(ScoreCalibration.Method method) {
            this.combine = Objects.requireNonNull(method, "combine");
            return this;
        }

        /**
         * Sets the pipeline (at {@link DetectorRecipe#DEFAULT_SIZE}), the model and the scorer of a preset; later
         * calls may still change each of them.
         *
         * @param preset a ready-made detector, e.g. {@code DetectorPreset.CHEST} of {@code anomaly-presets}
         * @return this
         */
        public Builder preset(Preset preset) {
            return preset(preset, DetectorRecipe.DEFAULT_SIZE);
        }

        /**
         * Sets the pipeline (at {@code size}), the model and the scorer of a preset, and for an ensemble preset its
         * other members (replacing any added before); later calls may still change the first detector's parts.
         *
         * @param preset a ready-made detector
         * @param size   square side the images are brought to
         * @return this
         */
        public Builder preset(Preset preset, int size) {
            Objects.requireNonNull(preset, "preset");
            return parts(preset.detectors(size));
        }

        /**
         * @param parts a preset's detectors at one size (the first the primary one), as {@link Preset#detectors}
         *              gives them: set here once resolved, so a recipe does not resolve its preset twice
         * @return this
         */
        Builder parts(List<DetectorParts> parts) {
            members.clear();
            DetectorParts primary = parts.get(0);
            pipeline(primary.pipeline()).model(primary.model()).scorer(primary.scorer());
            for (DetectorParts m : parts.subList(1, parts.size())) {
                member(m.pipeline(), m.model(), m.scorer());
            }
            return this;
        }

        /**
         * @param stages preprocessing stages in order
         * @return this
         */
        public Builder pipeline(List<PluginSpec> stages) {
            this.pipeline = List.copyOf(stages);
            return this;
        }

        /**
         * @param spec model id and parameters
         * @return this
         */
        public Builder model(PluginSpec spec) {
            this.model = Objects.requireNonNull(spec, "model");
            return this;
        }

        /**
         * @param spec scorer id and parameters
         * @return this
         */
        public Builder scorer(PluginSpec spec) {
            this.scorer = Objects.requireNonNull(spec, "scorer");
            return this;
        }

        /**
         * @param seed master seed of every stochastic step
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param name the normal class folder name (recorded for scoring labelled folders later)
         * @return this
         */
        public Builder normalClass(String name) {
            this.normalClass = Objects.requireNonNull(name, "normalClass");
            return this;
        }

        /**
         * @param root the root folder of the training data, passed to the models in their {@link TrainingContext}
         *             ({@link AnomalyDetector#setDataRoot}); not saved
         * @return this
         */
        public Builder dataRoot(Path root) {
            this.dataRoot = root;
            return this;
        }

        /**
         * @param registry where plugins are looked up (default: {@link PluginRegistry#defaultRegistry()})
         * @return this
         */
        public Builder registry(PluginRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * @return the unfitted detector
         * @throws PluginException for unknown ids, invalid parameters or a scorer the model cannot feed
         */
        public AnomalyDetector build() {
            AnomalyDetector d = create(buildConfig(), registry == null ? PluginRegistry.defaultRegistry() : registry);
            d.setDataRoot(dataRoot);
            return d;
        }

        /** @return the configuration {@link #build()} creates a detector from */
        DetectorConfig buildConfig() {
            List<PluginSpec> pipeline = this.pipeline;
            PluginSpec model = this.model;
            PluginSpec scorer = this.scorer;
            if (pipeline == null || model == null || scorer == null) {
                DetectorParts fallback = DetectorCatalogs.defaultPreset().detectors(DetectorRecipe.DEFAULT_SIZE).get(0);
                pipeline = pipeline == null ? fallback.pipeline() : pipeline;
                model = model == null ? fallback.model() : model;
                scorer = scorer == null ? fallback.scorer() : scorer;
            }
            List<DetectorConfig> others = members.stream()
                    .map(m -> new DetectorConfig(m.pipeline(), m.model(), m.scorer(), seed, normalClass, List.of(), null,
                            testTimeShifts)).toList();
            return new DetectorConfig(pipeline, model, scorer, seed, normalClass, others,
                    others.isEmpty() ? null : combine.word(), testTimeShifts);
        }
    }
}
