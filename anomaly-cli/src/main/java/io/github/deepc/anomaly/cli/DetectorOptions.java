package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import io.github.deepc.anomaly.preprocess.Pipelines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that configure a detector, shared by {@code train} and {@code demo}. */
final class DetectorOptions {
    @Option(names = "--pipeline", paramLabel = "FILE|NAME", description = "Pipeline JSON file ({\"stages\":[{\"id\":...,\"params\":{...}}]}) or a named pipeline: default, chest, hand; default: resize, pad, normalize.")
    String pipeline;

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

    AnomalyDetector build(String normalClass, Path dataRoot) throws IOException {
        List<PluginSpec> stages = pipelineSpecs(pipeline, size);
        PluginSpec m = io.github.deepc.anomaly.core.spi.ExcludeRoot.apply(new PluginSpec(model, modelParams), dataRoot, PluginRegistry.defaultRegistry());
        if (epochs != null) {
            m = m.with("epochs", Integer.toString(epochs));
        }
        return AnomalyDetector.builder().pipeline(stages).model(m).scorer(new PluginSpec(scorer, scorerParams))
                .seed(seed).normalClass(normalClass).registry(PluginRegistry.defaultRegistry()).build();
    }

    /**
     * @param pipeline a pipeline file, or the name of a shipped pipeline ({@link Pipelines}), or {@code null}
     * @param size     the square side to set on every stage with a 'size' parameter, or {@code null}
     * @return the pipeline's stages
     * @throws IOException when the value is neither an existing file nor a known name, or the file is not pipeline JSON
     */
    static List<PluginSpec> pipelineSpecs(String pipeline, Integer size) throws IOException {
        if (pipeline == null) {
            return DetectorDefaults.pipeline(size == null ? DetectorDefaults.SIZE : size);
        }
        return withSize(Pipelines.load(pipeline), size);
    }

    private static List<PluginSpec> withSize(List<PluginSpec> specs, Integer size) {
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
