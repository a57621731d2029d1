package io.github.deepc.anomaly.models;

import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.PluginProvider;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.testkit.ModelContract;
import io.github.deepc.anomaly.testkit.ScorerContract;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every model and scorer of this module keeps the plugin contract of the test kit, on 16 x 16 images with the
 * smallest settings (one epoch, small batches, few components) so that the whole run stays short.
 */
class BuiltInPluginsContractTest {
    /** The small settings, applied where a provider declares the parameter. */
    private static final Map<String, String> SMALL = Map.of("epochs", "1", "batch-size", "4", "components", "4",
            "latent", "8", "bank", "256", "max-iterations", "20", "reference-per-class", "8");

    private final PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());

    static Map<String, String> small(PluginProvider<?> p) {
        Map<String, String> params = new HashMap<>();
        boolean fixedArchitecture = p.parameters().stream().anyMatch(s -> s.name().equals("architecture"));
        for (ParameterSpec s : p.parameters()) {
            if (SMALL.containsKey(s.name())) {
                params.put(s.name(), SMALL.get(s.name()));
            }
            if (s.name().equals("channels") && !fixedArchitecture) {
                params.put("channels", "4"); // the reference CAE architecture fixes its own channels
            }
        }
        return params;
    }

    @TestFactory
    Stream<DynamicNode> everyModelKeepsTheModelContract() {
        // what a closed model keeps of the native memory JavaCPP counts must stay small. Limitation: JavaCPP counts
        // only what it allocates itself; ND4J's array buffers come from libnd4j and are not counted (measured: a
        // 16 MB INDArray leaves Pointer.totalBytes unchanged, only the process's resident size moves), so for the
        // ND4J models this checks the JavaCPP side only; the resident size is too noisy (JIT, heap) to assert on.
        return ModelContract.forAll(registry.models(), b -> b.params(small(b.provider()))
                .nativeMemory(Pointer::totalBytes, 16L << 20));
    }

    @TestFactory
    Stream<DynamicNode> everyScorerKeepsTheScorerContract() {
        return ScorerContract.forAll(registry.scorers(), b -> b.params(small(b.provider())));
    }
}
