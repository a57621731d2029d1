package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.preprocessing.ImageSizes;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A recipe's pipeline: a name of the catalogue ({@link DetectorCatalogs}), a pipeline JSON file, or stages given
 * inline. Resolved, with the recipe's image size, only in {@link #resolve}.
 */
public sealed interface PipelineRef {
    /**
     * @param name a named pipeline, optionally with a size suffix ({@code chest}, {@code recommended-32})
     */
    record Named(String name) implements PipelineRef {
        /** Requires a name. */
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * @param file a pipeline JSON file ({@code {"stages":[{"id":...,"params":{...}}]}})
     */
    record FromFile(Path file) implements PipelineRef {
        /** Requires a file. */
        public FromFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * @param stages the stages, in order
     */
    record Inline(List<PluginSpec> stages) implements PipelineRef {
        /** Copies the stages. */
        public Inline {
            stages = List.copyOf(stages);
        }
    }

    /**
     * A value as the CLI takes it: an existing file wins, anything else is a name.
     *
     * @param fileOrName a pipeline file or a pipeline name
     * @return the reference
     */
    static PipelineRef parse(String fileOrName) {
        try {
            Path file = Path.of(fileOrName);
            if (Files.exists(file)) {
                return new FromFile(file);
            }
        } catch (InvalidPathException e) {
            // not a usable path: can still be a name
        }
        return new Named(fileOrName);
    }

    /**
     * @param size     the square side to set on every stage that declares a size parameter; {@code null} keeps a file's
     *                 or inline pipeline as written and gives a named one its default size (a name's suffix wins)
     * @param registry where the stages' size parameters are looked up
     * @return the stages
     * @throws IOException for a file that is missing or not pipeline JSON, or a name that is neither a file nor a
     *                     named pipeline (the message lists the names)
     */
    default List<PluginSpec> resolve(Integer size, PluginRegistry registry) throws IOException {
        List<PluginSpec> stages;
        if (this instanceof Named n) {
            var found = DetectorCatalogs.find(n.name(), size == null ? DetectorRecipe.DEFAULT_SIZE : size);
            if (found.isEmpty()) {
                throw new IOException("pipeline '" + n.name() + "' is neither a pipeline file (not found) nor a named"
                        + " pipeline; named pipelines: " + String.join(", ", DetectorCatalogs.pipelineNames())
                        + " (or NAME-SIZE, e.g. recommended-32)");
            }
            return found.get();
        } else if (this instanceof FromFile f) {
            stages = Pipeline.readSpecs(f.file());
        } else {
            stages = ((Inline) this).stages();
        }
        return size == null ? stages : ImageSizes.withSize(stages, size, registry);
    }
}
