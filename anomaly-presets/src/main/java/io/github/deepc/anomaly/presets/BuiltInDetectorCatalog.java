package io.github.deepc.anomaly.presets;

import io.github.deepc.anomaly.core.detector.DetectorCatalog;
import io.github.deepc.anomaly.presets.DetectorPreset;
import io.github.deepc.anomaly.core.detector.Preset;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.presets.Pipelines;
import java.util.List;
import java.util.Optional;

/**
 * The library's named pipelines ({@link Pipelines}) and presets ({@link DetectorPreset}), registered with
 * {@link java.util.ServiceLoader} so that the core's builder and recipe resolution find them without depending on
 * this module.
 */
public final class BuiltInDetectorCatalog implements DetectorCatalog {
    /** For {@link java.util.ServiceLoader}. */
    public BuiltInDetectorCatalog() {
    }

    @Override
    public List<String> pipelineNames() {
        return Pipelines.names();
    }

    @Override
    public Optional<List<PluginSpec>> pipeline(String name, int size) {
        return Pipelines.isNamed(name) ? Optional.of(Pipelines.named(name, size)) : Optional.empty();
    }

    @Override
    public List<? extends Preset> presets() {
        return List.of(DetectorPreset.values());
    }

    @Override
    public Preset defaultPreset() {
        return DetectorPreset.GENERAL;
    }
}
