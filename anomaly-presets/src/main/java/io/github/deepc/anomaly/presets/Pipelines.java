package io.github.deepc.anomaly.presets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.detector.DetectorCatalogs;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.detector.DetectorRecipe;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one catalogue of named preprocessing pipelines, so that a pipeline can be chosen by name
 * ({@code --pipeline chest}, an experiment's {@code "pipeline": {"name": "hand"}}) as well as by file. The CLI,
 * experiments, benchmarks and the builder all reach it through {@link DetectorCatalogs} (this module's
 * {@code BuiltInDetectorCatalog}).
 *
 * <ul>
 *   <li>{@code default}: {@code resize}, {@code pad}, {@code normalize}: {@link DetectorDefaults#pipeline(int)};</li>
 *   <li>{@code recommended}: {@code equalize}, then the default stages: {@link DetectorDefaults#recommendedPipeline(int)},
 *       what {@code train} and the builder use when given no pipeline;</li>
 *   <li>{@code chest}: {@code clahe} (clip limit 2, 8 x 8 tiles, at the image's own resolution), then the default
 *       stages;</li>
 *   <li>{@code hand}: {@code median} (3 x 3) and {@code clahe}, then the default stages;</li>
 *   <li>{@code none}: no stage (the images must already share one size).</li>
 * </ul>
 * Every pipeline is available at any size (every stage with a {@code size} parameter gets it; 64 by default), and
 * by {@code NAME-SIZE} ({@code recommended-32}) where a name is read. {@code default}, {@code chest} and {@code hand}
 * are pipeline JSON resources ({@code {"stages":[{"id":...,"params":{...}}]}}, the format of
 * {@link Pipeline#readSpecs(Path)}) under {@code io/github/deepc/anomaly/presets/pipelines/NAME.json}. The names
 * are stable; the stages behind {@code chest} and {@code hand} may change as measurements choose better ones.
 * Stateless and thread-safe.
 */
public final class Pipelines {
    /** The default pipeline's name. */
    public static final String DEFAULT = "default";
    /** The chest radiograph pipeline's name. */
    public static final String CHEST = "chest";
    /** The hand radiograph pipeline's name. */
    public static final String HAND = "hand";
    /** The recommended pipeline's name (histogram equalisation, then the default stages). */
    public static final String RECOMMENDED = "recommended";
    /** The empty pipeline's name. */
    public static final String NONE = "none";

    private static final List<String> NAMES = List.of(DEFAULT, RECOMMENDED, CHEST, HAND, NONE);
    private static final String SIZE = "size";
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
     * The stages of a shipped pipeline at the default size ({@link DetectorRecipe#DEFAULT_SIZE}).
     *
     * @param name one of {@link #names()}
     * @return its stage specs, in order
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static List<PluginSpec> named(String name) {
        return named(name, DetectorRecipe.DEFAULT_SIZE);
    }

    /**
     * The stages of a shipped pipeline at a size.
     *
     * @param name one of {@link #names()}
     * @param size square side the images are brought to: set on every stage with a {@code size} parameter
     * @return its stage specs, in order
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static List<PluginSpec> named(String name, int size) {
        if (!isNamed(name)) {
            throw new IllegalArgumentException("unknown pipeline name '" + name + "'; named pipelines: " + String.join(", ", NAMES));
        }
        return switch (name) {
            case RECOMMENDED -> DetectorDefaults.recommendedPipeline(size);
            case NONE -> List.of();
            default -> withSize(resource(name), size);
        };
    }

    private static List<PluginSpec> withSize(List<PluginSpec> stages, int size) {
        List<PluginSpec> out = new ArrayList<>(stages.size());
        for (PluginSpec s : stages) {
            out.add(s.params().containsKey(SIZE) ? s.with(SIZE, Integer.toString(size)) : s);
        }
        return List.copyOf(out);
    }

    private static List<PluginSpec> resource(String name) {
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
     * {@link #names()}, optionally with a size suffix ({@code recommended-32}).
     *
     * @param fileOrName a pipeline JSON file, or the name of a shipped pipeline
     * @return the stage specs, in order
     * @throws IOException when the value is neither an existing file nor a known name (the message lists the names),
     *                     or the file is not pipeline JSON
     */
    public static List<PluginSpec> load(String fileOrName) throws IOException {
        return load(fileOrName, DetectorRecipe.DEFAULT_SIZE);
    }

    /**
     * Like {@link #load(String)}, with the size a name without suffix is brought to (a file is read as it is).
     *
     * @param fileOrName a pipeline JSON file, or the name of a shipped pipeline
     * @param size       square side for a named pipeline
     * @return the stage specs, in order
     * @throws IOException when the value is neither an existing file nor a known name, or the file is not pipeline JSON
     */
    public static List<PluginSpec> load(String fileOrName, int size) throws IOException {
        Path file = null;
        try {
            file = Path.of(fileOrName);
        } catch (InvalidPathException e) {
            // not a usable path: can still be a name
        }
        if (file != null && Files.exists(file)) {
            return Pipeline.readSpecs(file);
        }
        var named = DetectorCatalogs.find(fileOrName, size);
        if (named.isPresent()) {
            return named.get();
        }
        throw new IOException("pipeline '" + fileOrName + "' is neither a pipeline file (not found) nor a named pipeline; "
                + "named pipelines: " + String.join(", ", NAMES) + " (or NAME-SIZE, e.g. recommended-32)");
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
