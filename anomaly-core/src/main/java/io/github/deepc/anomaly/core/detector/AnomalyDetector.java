package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.pipeline.Pipeline;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete anomaly detector: preprocessing pipeline + model + outlier scorer.
 *
 * <pre>{@code
 * AnomalyDetector detector = AnomalyDetector.builder().build();   // the recommended detector
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

    private final DetectorConfig config;
    private final Pipeline pipeline;
    private final AnomalyModel model;
    private final OutlierScorer scorer;
    private final PluginRegistry registry;
    /** False for detectors made by {@link #withScorer}: they share another detector's model and must not close it. */
    private final boolean ownsModel;
    private volatile Provenance provenance;
    private volatile Threshold threshold;
    private volatile boolean closed;

    private AnomalyDetector(DetectorConfig config, PluginRegistry registry) {
        this.config = config;
        checkCompatible(config, registry);
        this.registry = registry;
        this.pipeline = Pipeline.create(config.pipeline(), registry);
        this.model = registry.models().create(config.model());
        this.scorer = registry.scorers().create(config.scorer());
        this.ownsModel = true;
    }

    private AnomalyDetector(AnomalyDetector fitted, PluginSpec scorerSpec) {
        this.config = new DetectorConfig(fitted.config.pipeline(), fitted.config.model(), scorerSpec, fitted.config.seed(),
                fitted.config.normalClass());
        checkCompatible(config, fitted.registry);
        this.registry = fitted.registry;
        this.pipeline = fitted.pipeline;
        this.model = fitted.model;
        this.scorer = registry.scorers().create(scorerSpec);
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
        AnomalyDetector d = new AnomalyDetector(this, scorerSpec);
        if (d.scorer.needsFit()) {
            d.scorer.fit(model.infer(prepare(normals, false, listener).results()));
        }
        return d;
    }

    private static void checkCompatible(DetectorConfig config, PluginRegistry registry) {
        for (PluginSpec s : config.pipeline()) {
            registry.stages().validate(s);
        }
        registry.models().validate(config.model());
        registry.scorers().validate(config.scorer());
        ModelProvider mp = registry.models().get(config.model().id());
        ScorerProvider sp = registry.scorers().get(config.scorer().id());
        Set<OutputKind> missing = EnumSet.noneOf(OutputKind.class);
        missing.addAll(sp.requiredOutputs());
        missing.removeAll(mp.outputs());
        if (!missing.isEmpty()) {
            List<String> fitting = registry.scorers().providers().stream()
                    .filter(p -> mp.outputs().containsAll(p.requiredOutputs())).map(ScorerProvider::id).toList();
            throw new PluginException("scorer '" + sp.id() + "' needs " + sp.requiredOutputs() + " but model '" + mp.id()
                    + "' produces only " + mp.outputs() + "; scorers that fit this model: " + fitting);
        }
    }

    /** @return a builder with the library's recommended defaults ({@link DetectorDefaults}) */
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
        return new AnomalyDetector(config, registry);
    }

    /** @return the configuration */
    public DetectorConfig config() {
        return config;
    }

    /** @return the preprocessing pipeline */
    public Pipeline pipeline() {
        return pipeline;
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
     * @return training figures
     */
    public TrainingSummary fitImages(List<GrayImage> normals, ProgressListener listener) {
        requireOpen();
        if (normals.isEmpty()) {
            throw new IllegalArgumentException("no training images: fit needs at least one normal image");
        }
        return fitPrepared(prepareImages(normals, true), () -> prepareImages(normals, false), "in-memory images", listener);
    }

    private List<GrayImage> prepareImages(List<GrayImage> images, boolean training) {
        return IntStream.range(0, images.size()).parallel()
                .mapToObj(i -> pipeline.apply(images.get(i), training, Seeds.mix(config.seed(), i)).image()).toList();
    }

    private TrainingSummary fitPrepared(List<GrayImage> images, Supplier<List<GrayImage>> scoringImages, String data,
                                        ProgressListener listener) {
        TrainingSummary summary = model.fit(images, new TrainingContext(config.seed(), listener));
        if (scorer.needsFit()) {
            scorer.fit(model.infer(scoringImages.get()));
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("epochs", (double) summary.epochs());
        figures.put("finalLoss", summary.finalLoss());
        figures.put("imagesPerSecond", summary.imagesPerSecond());
        figures.put("seconds", summary.seconds());
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
     * @throws IOException when the image cannot be read
     */
    public Detection score(Sample sample) throws IOException {
        requireFitted();
        ProcessedImage p = pipeline.apply(DataSet.load(sample), false, Seeds.mix(config.seed(), sample.id()));
        ModelOutput out = model.infer(List.of(p.image())).get(0);
        return Detection.of(sample, scorer.score(out), p.image(), p.notes(), threshold);
    }

    /**
     * Scores an image in memory (it goes through the pipeline first).
     *
     * @param image the raw image
     * @return its score
     */
    public Score score(GrayImage image) {
        requireFitted();
        GrayImage p = pipeline.apply(image, false, config.seed()).image();
        return scorer.score(model.infer(List.of(p)).get(0));
    }

    /**
     * Scores many samples, batching inference. Unreadable samples are reported and skipped.
     *
     * @param samples  the samples
     * @param listener progress and per-item failures
     * @return detections in input order, and the failures
     */
    public BatchResult<Detection> scoreAll(List<Sample> samples, ProgressListener listener) {
        requireFitted();
        List<Detection> results = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += SCORE_BATCH) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + SCORE_BATCH));
            Prepared[] prepared = prepareEach(chunk, false);
            List<GrayImage> batch = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < prepared.length; i++) {
                if (prepared[i].failure != null) {
                    failures.add(prepared[i].failure);
                    listener.onItemFailed(prepared[i].failure.item(), prepared[i].failure.reason());
                } else {
                    batch.add(prepared[i].image.image());
                    index.add(i);
                }
            }
            if (!batch.isEmpty()) {
                List<ModelOutput> outs = model.infer(batch);
                for (int k = 0; k < outs.size(); k++) {
                    Prepared p = prepared[index.get(k)];
                    results.add(Detection.of(chunk.get(index.get(k)), scorer.score(outs.get(k)), p.image.image(), p.image.notes(),
                            threshold));
                }
            }
            listener.onProgress("score", Math.min(samples.size(), from + SCORE_BATCH), samples.size());
        }
        return new BatchResult<>(results, failures);
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
                out[i] = new Prepared(pipeline.apply(DataSet.load(s), training, Seeds.mix(config.seed(), s.id())), null);
            } catch (IOException | RuntimeException e) {
                out[i] = new Prepared(null, new ItemFailure(s.path().toString(), String.valueOf(e.getMessage())));
            }
        });
        return out;
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
        DetectorFile.write(file, new DetectorFile.Manifest(DetectorFile.FORMAT, config, provenance, threshold),
                model::writeState, scorer::writeState);
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
            d = new AnomalyDetector(parts.manifest().config(), registry);
        } catch (PluginException e) {
            throw new IOException("detector file " + file + " cannot be used here: " + e.getMessage(), e);
        }
        try {
            d.model.readState(new ByteArrayInputStream(parts.model()));
            d.scorer.readState(new ByteArrayInputStream(parts.scorer()));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw new IOException("detector file " + file + " has unreadable model or scorer state: " + e.getMessage(), e);
        }
        d.provenance = Objects.requireNonNullElseGet(parts.manifest().provenance(),
                () -> Provenance.now(d.config.seed(), 0, "unknown", Map.of()));
        d.threshold = parts.manifest().threshold();
        return d;
    }

    @Override
    public void close() {
        closed = true;
        if (ownsModel) {
            model.close();
        }
    }

    /** Builds an {@link AnomalyDetector}; unset parts take {@link DetectorDefaults}. */
    public static final class Builder {
        private List<PluginSpec> pipeline = DetectorDefaults.recommendedPipeline(DetectorDefaults.SIZE);
        private PluginSpec model = DetectorDefaults.model();
        private PluginSpec scorer = DetectorDefaults.scorer();
        private long seed = DetectorDefaults.SEED;
        private String normalClass = "NORMAL";
        private PluginRegistry registry;

        private Builder() {
        }

        /**
         * Sets the pipeline (at {@link DetectorDefaults#SIZE}), the model and the scorer of a preset; later calls
         * may still change each of them.
         *
         * @param preset a ready-made detector
         * @return this
         */
        public Builder preset(DetectorPreset preset) {
            Objects.requireNonNull(preset, "preset");
            return pipeline(preset.pipeline(DetectorDefaults.SIZE)).model(preset.model()).scorer(preset.scorer());
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
            return create(new DetectorConfig(pipeline, model, scorer, seed, normalClass),
                    registry == null ? PluginRegistry.defaultRegistry() : registry);
        }
    }
}
