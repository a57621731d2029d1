package io.github.deepc.anomaly.preprocess;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.pipeline.Pipeline;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Named preprocessing pipelines shipped with the library, so that a pipeline can be chosen by name
 * ({@code --pipeline chest}) as well as by file.
 *
 * <p>Each is a pipeline JSON resource ({@code {"stages":[{"id":...,"params":{...}}]}}, the format of
 * {@link Pipeline#readSpecs(Path)}) under {@code io/github/deepc/anomaly/preprocess/pipelines/NAME.json}:
 * <ul>
 *   <li>{@code default}: {@code resize}, {@code pad}, {@code normalize} to 64 x 64, the same as
 *       {@link io.github.deepc.anomaly.core.detector.DetectorDefaults#pipeline(int)};</li>
 *   <li>{@code chest}: {@code clahe} (clip limit 2, 8 x 8 tiles, at the image's own resolution), then the default
 *       stages;</li>
 *   <li>{@code hand}: {@code median} (3 x 3) and {@code clahe}, then the default stages.</li>
 * </ul>
 * The names are stable; the stages behind {@code chest} and {@code hand} may change as measurements choose better
 * ones. Stateless and thread-safe.
 */
public final class Pipelines {
    /** The default pipeline's name. */
    public static final String DEFAULT = "default";
    /** The chest radiograph pipeline's name. */
    public static final String CHEST = "chest";
    /** The hand radiograph pipeline's name. */
    public static final String HAND = "hand";

    private static final List<String> NAMES = List.of(DEFAULT, CHEST, HAND);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Pipelines() {
    }

    /** @return the names of the shipped pipelines, in display order */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param name a name
     * @return whether a shipped pipeline has this name
     */
    public static boolean isNamed(String name) {
        return NAMES.contains(name);
    }

    /**
     * The stages of a shipped pipeline.
     *
     * @param name one of {@link #names()}
     * @return its stage specs, in order
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static List<PluginSpec> named(String name) {
        if (!isNamed(name)) {
            throw new IllegalArgumentException("unknown pipeline name '" + name + "'; named pipelines: " + String.join(", ", NAMES));
        }
        String resource = "pipelines/" + name + ".json";
        try (InputStream in = Pipelines.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the named pipeline resource " + resource + " is missing from the class path");
            }
            JsonNode stages = JSON.readTree(in).get("stages");
            if (stages == null || !stages.isArray()) {
                throw new IllegalStateException("the named pipeline resource " + resource + " has no \"stages\" list");
            }
            return List.copyOf(JSON.convertValue(stages, new TypeReference<List<PluginSpec>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the named pipeline resource " + resource, e);
        }
    }

    /**
     * Reads a pipeline given either as a file or by name: an existing file wins; otherwise the value must be one of
     * {@link #names()}.
     *
     * @param fileOrName a pipeline JSON file, or the name of a shipped pipeline
     * @return the stage specs, in order
     * @throws IOException when the value is neither an existing file nor a known name (the message lists the names),
     *                     or the file is not pipeline JSON
     */
    public static List<PluginSpec> load(String fileOrName) throws IOException {
        Path file = null;
        try {
            file = Path.of(fileOrName);
        } catch (InvalidPathException e) {
            // not a usable path: can still be a name
        }
        if (file != null && Files.exists(file)) {
            return Pipeline.readSpecs(file);
        }
        if (isNamed(fileOrName)) {
            return named(fileOrName);
        }
        throw new IOException("pipeline '" + fileOrName + "' is neither a pipeline file (not found) nor a named pipeline; "
                + "named pipelines: " + String.join(", ", NAMES));
    }

    /**
     * @param name one of {@link #names()}
     * @return the shipped pipeline's JSON text
     * @throws IllegalArgumentException for an unknown name
     */
    public static String json(String name) {
        return Pipeline.toJson(named(name));
    }
}
