package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.detector.DetectorCatalogs;
import io.github.deepc.anomaly.core.detector.DetectorRecipe;
import io.github.deepc.anomaly.core.detector.PipelineRef;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One preprocessing pipeline of an experiment: either inline stages, a pipeline file, or only a name of the library's
 * one catalogue of named pipelines ({@link DetectorCatalogs}: {@code default}, {@code recommended}, {@code chest},
 * {@code hand}, {@code none}, each also as {@code NAME-SIZE}; needs {@code anomaly-presets} on the class path).
 *
 * @param name   the pipeline's name in tables and reports (unique within the experiment)
 * @param stages the stages, in order (inline form), or {@code null}
 * @param file   a pipeline JSON file ({@code {"stages":[...]}}, relative to the experiment file), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineConfig(String name, List<PluginSpec> stages, String file) {
    /**
     * @param name a named pipeline
     * @return a reference to it
     */
    public static PipelineConfig named(String name) {
        return new PipelineConfig(name, null, null);
    }

    void validate(int index) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("'pipelines[" + index + "].name' is required");
        }
        if (stages != null && file != null) {
            throw new IllegalArgumentException("pipeline '" + name + "' gives both 'stages' and 'file': give one");
        }
    }

    /**
     * @param baseDir folder a relative {@code file} is resolved against
     * @return the stage specs
     * @throws IOException              when the pipeline file cannot be read
     * @throws IllegalArgumentException for an unknown pipeline name
     */
    public List<PluginSpec> resolveStages(Path baseDir) throws IOException {
        return ref(baseDir).resolve(null, PluginRegistry.defaultRegistry());
    }

    /**
     * @param baseDir folder a relative {@code file} is resolved against
     * @return this pipeline as a detector recipe's pipeline reference (inline, file or name)
     * @throws IllegalArgumentException for a name that is not a named pipeline, listing the names
     */
    public PipelineRef ref(Path baseDir) {
        if (stages != null) {
            return new PipelineRef.Inline(stages);
        }
        if (file != null) {
            return new PipelineRef.FromFile(baseDir.resolve(file));
        }
        if (DetectorCatalogs.find(name, DetectorRecipe.DEFAULT_SIZE).isEmpty()) {
            throw new IllegalArgumentException("unknown pipeline '" + name + "': give its 'stages' or a 'file', or use a"
                    + " named pipeline: " + String.join(", ", DetectorCatalogs.pipelineNames())
                    + " (each also as NAME-SIZE, e.g. recommended-32)");
        }
        return new PipelineRef.Named(name);
    }
}
