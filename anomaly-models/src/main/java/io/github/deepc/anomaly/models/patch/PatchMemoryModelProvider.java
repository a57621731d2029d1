package io.github.deepc.anomaly.models.patch;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code patch-memory} model ({@link PatchMemoryModel}): a coreset memory bank of encoded windows of the
 * normal images at several scales; outputs a per-pixel anomaly map (score it with {@code anomaly-map}).
 *
 * <p>Parameters: {@code patch} (8), {@code stride} (4), {@code scales} (2), {@code components} (16), {@code bank}
 * (4096 windows per scale), {@code candidates} (100000 windows per scale the bank is chosen from).
 */
public final class PatchMemoryModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("patch", 8, 2, 64, "window side in pixels at each scale"),
            ParameterSpec.ofInt("stride", 4, 1, 64, "window step in pixels at each scale"),
            ParameterSpec.ofInt("scales", 2, 1, 5, "number of scales: 1 = full size, 2 = also half size, ..."),
            ParameterSpec.ofInt("components", 16, 1, 1024, "code length of a window (principal directions kept)"),
            ParameterSpec.ofInt("bank", 4096, 1, 1 << 20, "memory bank size per scale (greedy k-center coreset)"),
            ParameterSpec.ofInt("candidates", 100_000, 1, 1 << 24,
                    "most training windows per scale the bank is chosen from (a seeded sample)"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public PatchMemoryModelProvider() {
    }

    @Override
    public String id() {
        return PatchMemoryModel.ID;
    }

    @Override
    public String description() {
        return "patch memory bank (PatchCore-like): distance of each image window to a coreset of normal windows at"
                + " several scales; outputs an anomaly map";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.ANOMALY_MAP);
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("anomaly-map");
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new PatchMemoryModel(new PatchMemoryModel.Settings(params.getInt("patch"), params.getInt("stride"),
                params.getInt("scales"), params.getInt("components"), params.getInt("bank"), params.getInt("candidates")));
    }
}
