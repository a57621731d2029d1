package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.testkit.ScorerContract;
import io.github.deepc.anomaly.testkit.StageContract;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** The example plugins keep the plugin contracts, checked with the test kit as a plugin author would. */
class ExamplePluginsContractTest {
    @TestFactory
    Stream<DynamicNode> theGammaStageKeepsTheStageContract() {
        return Stream.concat(StageContract.of(new GammaStageProvider(), Map.of()),
                StageContract.of(new GammaStageProvider(), Map.of("gamma", "2.5")));
    }

    @TestFactory
    Stream<DynamicNode> theMaxErrorScorerKeepsTheScorerContract() {
        return ScorerContract.of(new MaxErrorScorerProvider()).params(Map.of("power", "2")).tests();
    }

    @TestFactory
    Stream<DynamicNode> theFittedMeanDistanceScorerKeepsTheScorerContract() {
        return ScorerContract.of(new MeanDistanceScorerProvider()).tests();
    }
}
