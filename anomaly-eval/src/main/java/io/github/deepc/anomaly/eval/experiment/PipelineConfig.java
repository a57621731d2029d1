package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.pipeline.Pipeline;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One preprocessing pipeline of an experiment: either inline stages, a pipeline file, or only a name that
 * {@link NamedPipelines} knows.
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
        if (stages != null) {
            return List.copyOf(stages);
        }
        if (file != null) {
            return Pipeline.readSpecs(baseDir.resolve(file));
        }
        return NamedPipelines.resolve(name);
    }
}
