package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;

/** Provides the {@code standardize} stage ({@link StandardizeStage}); no parameters. */
public final class StandardizeStageProvider implements StageProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public StandardizeStageProvider() {
    }

    @Override
    public String id() {
        return StandardizeStage.ID;
    }

    @Override
    public String description() {
        return "Standardises each image inside its valid mask: (v - mean) / sd; invalid pixels become 0.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new StandardizeStage();
    }
}
