package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.List;
import java.util.Optional;

/**
 * Named pipelines and ready-made detectors, found with {@link java.util.ServiceLoader} ({@code META-INF/services/
 * io.github.deepc.anomaly.core.detector.DetectorCatalog}). {@code anomaly-presets} ships the library's; read them
 * through {@link DetectorCatalogs}, which also resolves size suffixes ({@code recommended-32}).
 */
public interface DetectorCatalog {
    /** @return the names of the pipelines this catalog knows, in display order */
    List<String> pipelineNames();

    /**
     * @param name a pipeline name (without a size suffix)
     * @param size square side the images are brought to
     * @return the named pipeline's stages at that size, or empty when this catalog has no pipeline of that name
     */
    Optional<List<PluginSpec>> pipeline(String name, int size);

    /** @return the ready-made detectors, in display order */
    List<? extends Preset> presets();

    /** @return the preset a builder uses for the parts it is not given */
    Preset defaultPreset();
}
