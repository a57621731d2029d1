package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Optional;

/**
 * Provides the {@code median} stage ({@link MedianStage}). Parameter: {@code kernel} (odd integer in [3, 15],
 * default 3), the side of the square neighbourhood.
 */
public final class MedianStageProvider implements StageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("kernel", 3, MedianStage.MIN_KERNEL, MedianStage.MAX_KERNEL,
                    "Side of the square neighbourhood, odd; kernels above 5 filter 16-bit or float images on 256 levels."));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MedianStageProvider() {
    }

    /** The input's range: a median is one of its inputs (kernels above 5 map back onto the valid range). */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        return input;
    }

    @Override
    public String id() {
        return MedianStage.ID;
    }

    @Override
    public String description() {
        return "Median filter (removes salt-and-pepper noise and dead or hot pixels, keeps edges); the mask is unchanged.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        return new MedianStage(params.getInt("kernel"));
    }
}
