package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;

/** Service interface for {@link PreprocessingStage} plugins. */
public interface StageProvider extends PluginProvider<PreprocessingStage> {
}
