package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.deepc.anomaly.eval.io.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one run produced; saved as {@code runs/<id>/run.json}, written atomically as the run's last step, so its
 * presence marks a finished run. Figures that do not apply (a failed run, a validation part with one class) are
 * {@code null}.
 *
 * @param id       the run id ({@link RunSpec#id()})
 * @param pipeline pipeline name
 * @param model    model label
 * @param scorer   scorer label
 * @param seed     training seed
 * @param status   {@code ok}, {@code failed} or {@code skipped}
 * @param reason   why it failed or was skipped, else {@code null}
 * @param figures  the measured figures ({@code null} unless ok)
 * @param heatmaps the heat-map images written for the test part, most abnormal first, then least abnormal
 * @param finishedAt ISO-8601 instant the run finished
 * @param repetition grouped-cv: the repetition (from 1), else {@code null} (and absent from older files)
 * @param fold       grouped-cv: the fold (from 1), else {@code null}
 * @param trainLimit the cap on the training normals, {@code null} for all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String id, String pipeline, String model, String scorer, long seed, String status,
                        String reason, Figures figures, List<HeatmapEntry> heatmaps, String finishedAt,
                        Integer repetition, Integer fold, Integer trainLimit) {
    /** The marker file name inside a run's folder. */
    public static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Copies the heat-map list. */
    public RunResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        heatmaps = heatmaps == null ? List.of() : List.copyOf(heatmaps);
    }

    /**
     * A single-split run on all training normals.
     *
     * @param id         the run id
     * @param pipeline   pipeline name
     * @param model      model label
     * @param scorer     scorer label
     * @param seed       training seed
     * @param status     status word
     * @param reason     failure reason or {@code null}
     * @param figures    figures or {@code null}
     * @param heatmaps   heat maps
     * @param finishedAt finishing instant
     */
    public RunResult(String id, String pipeline, String model, String scorer, long seed, String status, String reason,
                     Figures figures, List<HeatmapEntry> heatmaps, String finishedAt) {
        this(id, pipeline, model, scorer, seed, status, reason, figures, heatmaps, finishedAt, null, null, null);
    }

    /**
     * Training, scoring and evaluation figures of a finished run.
     *
     * @param validationRocAuc      ROC-AUC on validation ({@code null} without both classes there)
     * @param validationAp          average precision on validation
     * @param testRocAuc            ROC-AUC on test
     * @param testAp                average precision on test
     * @param threshold             the F1-maximising threshold on validation ({@code null} without an abnormal
     *                              validation image)
     * @param testPrecision         precision on test at that threshold
     * @param testRecall            recall on test at that threshold
     * @param testSpecificity       specificity on test at that threshold
     * @param testF1                F1 on test at that threshold
     * @param confusion             test confusion matrix at that threshold: tp, fp, tn, fn
     * @param trainImages           images the model was fitted on
     * @param validationImages      validation images scored
     * @param testImages            test images scored
     * @param failedImages          images that could not be read or preprocessed (skipped)
     * @param epochs                epochs run
     * @param finalLoss             mean loss of the last epoch
     * @param trainSeconds          wall time of fitting, preprocessing included
     * @param trainImagesPerSecond  images per second inside the training loop (the model's own figure)
     * @param scoreImagesPerSecond  validation and test images scored per second, preprocessing included
     * @param seconds               wall time of the whole run
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Figures(Double validationRocAuc, Double validationAp, Double testRocAuc, Double testAp,
                          Double threshold, Double testPrecision, Double testRecall, Double testSpecificity,
                          Double testF1, List<Integer> confusion, int trainImages, int validationImages,
                          int testImages, int failedImages, int epochs, Double finalLoss, double trainSeconds,
                          Double trainImagesPerSecond, double scoreImagesPerSecond, double seconds) {
    }

    /**
     * One heat-map image of a run.
     *
     * @param file  the PNG, relative to the run's folder
     * @param rank  {@code top-<k>} (k-th most abnormal) or {@code bottom-<k>} (k-th least abnormal)
     * @param image the scored image's path
     * @param label 1 abnormal, 0 normal
     * @param score its score
     */
    public record HeatmapEntry(String file, String rank, String image, int label, double score) {
    }

    /** @return the status as an enum */
    @JsonIgnore
    public RunStatus runStatus() {
        return RunStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT));
    }

    /** @return whether the run finished with figures */
    @JsonIgnore
    public boolean isOk() {
        return runStatus() == RunStatus.OK;
    }

    /** @return the combination this run belongs to */
    @JsonIgnore
    public RunSpec.Combination combination() {
        return new RunSpec.Combination(pipeline, model, scorer, new TrainLimit(trainLimit));
    }

    /**
     * Writes {@code dir/run.json} atomically.
     *
     * @param dir the run's folder
     * @throws IOException when writing fails
     */
    public void write(Path dir) throws IOException {
        Csv.writeAtomically(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /**
     * @param dir a run's folder
     * @return its result, if {@code run.json} exists and is readable (a torn or foreign file counts as absent)
     */
    public static java.util.Optional<RunResult> readIfPresent(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(JSON.readValue(f.toFile(), RunResult.class));
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunResult.class).warn("ignoring unreadable run marker {}: {}", f, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
