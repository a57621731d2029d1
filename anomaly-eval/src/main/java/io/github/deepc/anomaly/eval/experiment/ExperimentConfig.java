package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An experiment file (JSON): a data set, a split protocol, and the pipelines, models, scorers and seeds whose every
 * combination is trained and evaluated by {@link ExperimentRunner}.
 *
 * <pre>{@code
 * {
 *   "name": "hand-xray",
 *   "data": {"path": "../../shared/data/hand-xray", "layout": "class-folder", "normalClass": "NORMAL",
 *            "maxNormals": 400, "maxAbnormals": 150},
 *   "protocol": {"type": "research", "trainFraction": 0.7, "validationFraction": 0.5, "seed": 42},
 *   "pipelines": [{"name": "default-64"}],
 *   "models": [{"id": "cae", "params": {"epochs": 15}}],
 *   "scorers": [{"id": "masked-mse"}],
 *   "seeds": [1, 2, 3],
 *   "heatmaps": 8
 * }
 * }</pre>
 *
 * <p>Grouped cross-validation (see {@link io.github.deepc.anomaly.eval.split.GroupedFolds}) with selection on the
 * first three folds, confirmation on the last two, and a learning curve over the number of training normals:
 * <pre>{@code
 *   "protocol": {"type": "grouped-cv", "folds": 5, "repeats": 1, "seed": 42},
 *   "selection": {"confirmFolds": 2},
 *   "trainLimits": [100, 300, "all"]
 * }</pre>
 *
 * <p>Relative paths are resolved against the experiment file's folder. Unknown fields are an error (a typo would
 * otherwise silently fall back to a default).
 *
 * @param name          the experiment's name (default: the file name)
 * @param description   free text shown in the report, or {@code null}
 * @param data          the data set
 * @param protocol      the split protocol (default: research with its defaults)
 * @param pipelines     the preprocessing pipelines (default: {@code default})
 * @param models        the models, at least one
 * @param scorers       the scorers, at least one
 * @param seeds         the training seeds, at least one (default: {@code [42]})
 * @param heatmaps      heat maps written per run for the most and for the least abnormal test images (default 8)
 * @param saveDetectors whether each run's trained detector (with its F1 threshold) is saved (default false)
 * @param selection     grouped-cv: choose on some folds, confirm on the others ({@code null}: no selection)
 * @param trainLimits   caps on the training normals, each a separate set of runs (default: {@code ["all"]}; JSON
 *                      also {@code train-limit})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentConfig(String name, String description, DataConfig data, ProtocolConfig protocol,
                               List<PipelineConfig> pipelines, List<ComponentConfig> models,
                               List<ComponentConfig> scorers, List<Long> seeds, Integer heatmaps,
                               Boolean saveDetectors, SelectionConfig selection,
                               @JsonAlias({"trainLimit", "train-limit", "train-limits"}) List<TrainLimit> trainLimits) {
    /** Default number of heat maps per end of the ranking. */
    public static final int DEFAULT_HEATMAPS = 8;
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Fills defaults and copies the lists. */
    public ExperimentConfig {
        protocol = protocol == null ? ProtocolConfig.research() : protocol;
        pipelines = pipelines == null ? List.of(PipelineConfig.named("default")) : List.copyOf(pipelines);
        models = models == null ? List.of() : List.copyOf(models);
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
        seeds = seeds == null ? List.of(Seeds.DEFAULT_SEED) : List.copyOf(seeds);
        heatmaps = heatmaps == null ? DEFAULT_HEATMAPS : heatmaps;
        saveDetectors = saveDetectors != null && saveDetectors;
        trainLimits = trainLimits == null ? List.of(TrainLimit.ALL) : List.copyOf(trainLimits);
    }

    /**
     * The fields of experiments without selection or train limits.
     *
     * @param name          name
     * @param description   description
     * @param data          data set
     * @param protocol      split protocol
     * @param pipelines     pipelines
     * @param models        models
     * @param scorers       scorers
     * @param seeds         training seeds
     * @param heatmaps      heat maps per run and end
     * @param saveDetectors whether detectors are saved
     */
    public ExperimentConfig(String name, String description, DataConfig data, ProtocolConfig protocol,
                            List<PipelineConfig> pipelines, List<ComponentConfig> models, List<ComponentConfig> scorers,
                            List<Long> seeds, Integer heatmaps, Boolean saveDetectors) {
        this(name, description, data, protocol, pipelines, models, scorers, seeds, heatmaps, saveDetectors, null, null);
    }

    /**
     * Reads and checks an experiment file.
     *
     * @param file the JSON file
     * @return the configuration
     * @throws IOException when the file is missing, not JSON of this form, or has invalid values; the message names
     *                     the file and the field
     */
    public static ExperimentConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("experiment file not found: " + file);
        }
        ExperimentConfig c;
        try {
            c = READER.readValue(file.toFile(), ExperimentConfig.class);
        } catch (JsonMappingException e) {
            String where = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new IOException("experiment file " + file + " is not valid" + (where.isEmpty() ? "" : " at '" + where + "'")
                    + ": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new IOException("experiment file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (c == null) {
            throw new IOException("experiment file " + file + " is empty");
        }
        if (c.name() == null) {
            String n = file.getFileName().toString();
            c = c.withName(n.endsWith(".json") ? n.substring(0, n.length() - 5) : n);
        }
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IOException("experiment file " + file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * Checks the values (the plugin ids and parameters are checked per run, so that one bad combination does not
     * stop the others).
     *
     * @throws IllegalArgumentException naming the field
     */
    public void validate() {
        if (data == null) {
            throw new IllegalArgumentException("'data' is required ({\"path\": ..., \"layout\": ..., \"normalClass\": ...})");
        }
        data.validate("data");
        protocol.validate();
        if (pipelines.isEmpty() || models.isEmpty() || scorers.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("'pipelines', 'models', 'scorers' and 'seeds' must each list at least one entry");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pipelines.size(); i++) {
            pipelines.get(i).validate(i);
            if (!names.add(pipelines.get(i).name())) {
                throw new IllegalArgumentException("pipeline name '" + pipelines.get(i).name() + "' is used twice");
            }
        }
        for (int i = 0; i < models.size(); i++) {
            models.get(i).validate("models[" + i + "]");
        }
        for (int i = 0; i < scorers.size(); i++) {
            scorers.get(i).validate("scorers[" + i + "]");
        }
        if (new HashSet<>(seeds).size() != seeds.size()) {
            throw new IllegalArgumentException("'seeds' must be distinct numbers, got " + seeds);
        }
        if (heatmaps < 0) {
            throw new IllegalArgumentException("'heatmaps' must be >= 0, got " + heatmaps);
        }
        checkLabels("models", models);
        checkLabels("scorers", scorers);
        if (selection != null) {
            selection.validate(protocol);
        }
        if (trainLimits.isEmpty() || new HashSet<>(trainLimits).size() != trainLimits.size()) {
            throw new IllegalArgumentException("'trainLimits' must list distinct numbers of images or \"all\", got " + trainLimits);
        }
    }

    private static void checkLabels(String what, List<ComponentConfig> list) {
        Set<String> labels = new HashSet<>();
        for (ComponentConfig c : list) {
            if (!labels.add(label(c, list))) {
                throw new IllegalArgumentException("two '" + what + "' entries are both called '" + label(c, list)
                        + "': give them different params or names");
            }
        }
    }

    /**
     * @param c    a model or scorer of this experiment
     * @param list the list it belongs to
     * @return its name in tables: its {@code name}, else its id when no other unnamed entry has that id, else id and
     *         params
     */
    static String label(ComponentConfig c, List<ComponentConfig> list) {
        if (c.name() != null && !c.name().isBlank()) {
            return c.name();
        }
        long sameId = list.stream().filter(o -> o.id().equals(c.id()) && (o.name() == null || o.name().isBlank())).count();
        return sameId > 1 ? c.spec().toString() : c.id();
    }

    /**
     * @param newName a name
     * @return a copy with that name
     */
    public ExperimentConfig withName(String newName) {
        return new ExperimentConfig(newName, description, data, protocol, pipelines, models, scorers, seeds, heatmaps,
                saveDetectors, selection, trainLimits);
    }

    /** @return the configuration as indented JSON */
    public String toJson() {
        try {
            return WRITER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
