package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place named pipelines and presets are looked up, by the builder, the CLI, experiments and benchmarks alike:
 * the {@link DetectorCatalog}s on the class path ({@code anomaly-presets}).
 *
 * <p>A pipeline name may carry a size suffix, {@code NAME-SIZE} ({@code recommended-32}); without one the size is
 * the caller's (by default {@link DetectorRecipe#DEFAULT_SIZE}).
 */
public final class DetectorCatalogs {
    /** Smallest size a suffix may give (a smaller image leaves nothing for the models to learn). */
    public static final int MIN_SIZE = 8;
    private static final Pattern SIZED = Pattern.compile("(.+)-(\\d{1,4})");
    private static volatile List<DetectorCatalog> loaded;

    private DetectorCatalogs() {
    }

    /** @return the catalogs visible to the class loader that loaded the library, discovered once */
    public static List<DetectorCatalog> all() {
        List<DetectorCatalog> c = loaded;
        if (c == null) {
            List<DetectorCatalog> found = new ArrayList<>();
            ServiceLoader.load(DetectorCatalog.class, DetectorCatalogs.class.getClassLoader()).forEach(found::add);
            c = List.copyOf(found);
            loaded = c;
        }
        return c;
    }

    /**
     * @return the default preset (of the first catalog)
     * @throws PluginException when no catalog is on the class path, saying what to add
     */
    public static Preset defaultPreset() {
        return require("a detector without an explicit pipeline, model and scorer").get(0).defaultPreset();
    }

    /** @return every named pipeline, in display order */
    public static List<String> pipelineNames() {
        return all().stream().flatMap(c -> c.pipelineNames().stream()).distinct().toList();
    }

    /** @return every preset's name, in display order */
    public static List<String> presetNames() {
        return all().stream().flatMap(c -> c.presets().stream()).map(Preset::word).distinct().toList();
    }

    /**
     * @param word a preset's name, case-insensitive
     * @return the preset
     * @throws PluginException for an unknown name, listing the known ones
     */
    public static Preset preset(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(java.util.Locale.ROOT);
        for (DetectorCatalog c : require("preset '" + word + "'")) {
            for (Preset p : c.presets()) {
                if (p.word().equals(w)) {
                    return p;
                }
            }
        }
        throw new PluginException("unknown detector preset '" + word + "'; expected one of "
                + String.join(", ", presetNames()));
    }

    /**
     * @param name a pipeline name, optionally with a size suffix ({@code chest}, {@code recommended-32})
     * @param size the size when the name has no suffix
     * @return the stages, or empty when no catalog knows the name
     */
    public static Optional<List<PluginSpec>> find(String name, int size) {
        Matcher m = SIZED.matcher(name);
        if (m.matches() && !isKnown(name)) {
            int suffix = Integer.parseInt(m.group(2));
            if (suffix < MIN_SIZE) {
                return Optional.empty();
            }
            return lookUp(m.group(1), suffix);
        }
        return lookUp(name, size);
    }

    /**
     * @param name a pipeline name, optionally with a size suffix
     * @param size the size when the name has no suffix
     * @return the stages
     * @throws PluginException for an unknown name, listing the known ones
     */
    public static List<PluginSpec> pipeline(String name, int size) {
        require("pipeline '" + name + "'");
        return find(name, size).orElseThrow(() -> new PluginException("unknown pipeline name '" + name
                + "'; named pipelines: " + String.join(", ", pipelineNames()) + " (each also as NAME-SIZE, size >= "
                + MIN_SIZE + ", e.g. recommended-32)"));
    }

    private static boolean isKnown(String name) {
        return pipelineNames().contains(name);
    }

    private static Optional<List<PluginSpec>> lookUp(String name, int size) {
        for (DetectorCatalog c : all()) {
            Optional<List<PluginSpec>> p = c.pipeline(name, size);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static List<DetectorCatalog> require(String what) {
        List<DetectorCatalog> c = all();
        if (c.isEmpty()) {
            throw new PluginException(what + " needs the library's named pipelines and presets, which are in"
                    + " io.github.deepc.anomaly:anomaly-presets: add it to the class path, or give the pipeline,"
                    + " model and scorer explicitly");
        }
        return c;
    }
}
