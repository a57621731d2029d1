package io.github.deepc.anomaly.core.preprocessing;

import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline stage with its provider and its parameters parsed and range-checked once, so that what a detector reads
 * from its pipeline before any image (the image size, {@link ImageSizes}; the value range, {@link ValueRanges}) does
 * not parse and check the same strings again.
 *
 * @param spec     the stage as configured
 * @param provider its provider
 * @param params   its validated parameters (defaults filled in)
 */
public record ValidatedStage(PluginSpec spec, StageProvider provider, Parameters params) {
    /**
     * @param stages   pipeline stages
     * @param registry where their providers are found
     * @return the stages, validated, in order
     * @throws io.github.deepc.anomaly.core.spi.PluginException for an unknown id or invalid parameters
     */
    public static List<ValidatedStage> of(List<PluginSpec> stages, PluginRegistry registry) {
        List<ValidatedStage> out = new ArrayList<>(stages.size());
        for (PluginSpec s : stages) {
            Parameters p = registry.stages().validate(s);
            out.add(new ValidatedStage(s, registry.stages().get(s.id()), p));
        }
        return List.copyOf(out);
    }
}
