package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.pipeline.Pipeline;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that configure a detector, shared by {@code train} and {@code demo}. */
final class DetectorOptions {
    @Option(names = "--pipeline", paramLabel = "FILE", description = "Pipeline JSON ({\"stages\":[{\"id\":...,\"params\":{...}}]}); default: resize, pad, normalize.")
    Path pipeline;

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: ${DEFAULT-VALUE}).", defaultValue = "cae")
    String model;

    @Option(names = "--scorer", paramLabel = "ID", description = "Scorer id (default: ${DEFAULT-VALUE}).", defaultValue = "masked-mse")
    String scorer;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Model parameter (repeatable); see 'anomaly plugins'.")
    Map<String, String> modelParams = new java.util.LinkedHashMap<>();

    @Option(names = "--scorer-param", paramLabel = "KEY=VALUE", description = "Scorer parameter (repeatable).")
    Map<String, String> scorerParams = new java.util.LinkedHashMap<>();

    @Option(names = "--size", paramLabel = "N", description = "Square image side; sets every stage's 'size' parameter (default: " + DetectorDefaults.SIZE + ").")
    Integer size;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (the model's 'epochs' parameter).")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Master seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    AnomalyDetector build(String normalClass) throws IOException {
        List<PluginSpec> stages = pipeline == null ? DetectorDefaults.pipeline(size == null ? DetectorDefaults.SIZE : size)
                : withSize(Pipeline.readSpecs(pipeline));
        PluginSpec m = new PluginSpec(model, modelParams);
        if (epochs != null) {
            m = m.with("epochs", Integer.toString(epochs));
        }
        return AnomalyDetector.builder().pipeline(stages).model(m).scorer(new PluginSpec(scorer, scorerParams))
                .seed(seed).normalClass(normalClass).registry(PluginRegistry.defaultRegistry()).build();
    }

    private List<PluginSpec> withSize(List<PluginSpec> specs) {
        if (size == null) {
            return specs;
        }
        PluginRegistry r = PluginRegistry.defaultRegistry();
        List<PluginSpec> out = new ArrayList<>();
        for (PluginSpec s : specs) {
            boolean hasSize = r.stages().get(s.id()).parameters().stream().anyMatch(p -> p.name().equals("size"));
            out.add(hasSize ? s.with("size", Integer.toString(size)) : s);
        }
        return out;
    }
}
