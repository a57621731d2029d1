package io.github.deepc.anomaly.models;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The two pipelines the model tests run, written out: the named catalogue lives in {@code anomaly-presets}, which
 * depends on this module and so cannot be a dependency of its tests.
 */
public final class TestPipelines {
    private TestPipelines() {
    }

    /**
     * @param size square side
     * @return resize, pad and min-max normalise (the catalogue's {@code default})
     */
    public static List<PluginSpec> basic(int size) {
        String n = Integer.toString(size);
        return List.of(PluginSpec.of("resize", "size", n), PluginSpec.of("pad", "size", n), PluginSpec.of("normalize"));
    }

    /**
     * @param size square side
     * @return histogram equalisation, then {@link #basic(int)} (the catalogue's {@code recommended})
     */
    public static List<PluginSpec> equalized(int size) {
        List<PluginSpec> stages = new ArrayList<>();
        stages.add(PluginSpec.of("equalize"));
        stages.addAll(basic(size));
        return List.copyOf(stages);
    }
}
