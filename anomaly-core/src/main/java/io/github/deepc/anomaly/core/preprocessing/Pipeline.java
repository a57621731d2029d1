package io.github.deepc.anomaly.core.preprocessing;

import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.ProcessedImage;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of preprocessing stages, each named by a {@link PluginSpec}, so that the same pipeline can be
 * saved as JSON, stored with a detector and repeated exactly at scoring time. Thread-safe.
 */
public final class Pipeline {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final List<PluginSpec> specs;
    private final List<PreprocessingStage> stages;

    private Pipeline(List<PluginSpec> specs, List<PreprocessingStage> stages) {
        this.specs = List.copyOf(specs);
        this.stages = List.copyOf(stages);
    }

    /**
     * Creates the stages named by the specs.
     *
     * @param specs    stage ids and parameters, in order
     * @param registry where the stage providers are found
     * @return the pipeline
     * @throws io.github.deepc.anomaly.core.spi.PluginException for an unknown stage or a bad parameter
     */
    public static Pipeline create(List<PluginSpec> specs, PluginRegistry registry) {
        List<PreprocessingStage> stages = new ArrayList<>();
        for (PluginSpec s : specs) {
            stages.add(registry.stages().create(s));
        }
        return new Pipeline(specs, stages);
    }

    /**
     * Creates the stages from specs already validated (what a detector does when it is built: its parameters are
     * parsed and range-checked once, in {@link ValidatedStage#of}).
     *
     * @param stages the validated stages, in order
     * @return the pipeline
     * @throws PluginException when a provider refuses its parameters
     */
    public static Pipeline create(List<ValidatedStage> stages) {
        List<PreprocessingStage> created = new ArrayList<>(stages.size());
        for (ValidatedStage s : stages) {
            try {
                created.add(s.provider().create(s.params()));
            } catch (PluginException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new PluginException(e.getMessage(), e); // as PluginCatalog.create reports it
            }
        }
        return new Pipeline(stages.stream().map(ValidatedStage::spec).toList(), created);
    }

    /**
     * Reads a pipeline file: {@code {"stages":[{"id":"resize","params":{"size":"64"}}, ...]}}.
     *
     * @param file the JSON file
     * @return the stage specs
     * @throws IOException when the file is missing or not of that form; the message names the file
     */
    public static List<PluginSpec> readSpecs(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("pipeline file not found: " + file);
        }
        try {
            Config c = JSON.readValue(file.toFile(), Config.class);
            if (c.stages == null) {
                throw new IOException("pipeline file " + file + " has no \"stages\" list");
            }
            return c.stages;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("pipeline file " + file + " is not valid pipeline JSON "
                    + "({\"stages\":[{\"id\":...,\"params\":{...}}]}): " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param specs stage specs
     * @return the pipeline JSON
     */
    public static String toJson(List<PluginSpec> specs) {
        try {
            return JSON.writeValueAsString(new Config(specs));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param file where to write the pipeline JSON
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(specs));
    }

    /** @return the stage specs, in order */
    public List<PluginSpec> specs() {
        return specs;
    }

    /**
     * Runs every stage in order.
     *
     * @param image    the input
     * @param training whether augmentation applies
     * @param seed     the image's seed; each stage gets its own seed derived from it
     * @return the processed image and the stages' notes
     */
    public ProcessedImage apply(GrayImage image, boolean training, long seed) {
        List<String> notes = new ArrayList<>();
        GrayImage current = image;
        for (int i = 0; i < stages.size(); i++) {
            StageContext ctx = new StageContext(training, Seeds.mix(seed, i), specs.get(i).id(), notes);
            try {
                current = stages.get(i).apply(current, ctx);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("stage '" + specs.get(i).id() + "' failed: " + e.getMessage(), e);
            }
        }
        return new ProcessedImage(current, notes);
    }

    /** JSON form of a pipeline. */
    static final class Config {
        @JsonProperty("stages")
        List<PluginSpec> stages;

        Config() {
        }

        Config(List<PluginSpec> stages) {
            this.stages = stages;
        }
    }
}
