package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.testkit.DecoderContract;
import io.github.deepc.anomaly.testkit.StageContract;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** Every stage and decoder of this module keeps the plugin contract of the test kit. */
class BuiltInPluginsContractTest {
    private final PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());

    @TestFactory
    Stream<DynamicNode> everyStageKeepsTheStageContract() {
        return StageContract.forAll(registry.stages(), p -> Map.of());
    }

    @TestFactory
    Stream<DynamicNode> everyDecoderKeepsTheDecoderContract() {
        return DecoderContract.forAll(registry.decoders(), b -> b);
    }
}
