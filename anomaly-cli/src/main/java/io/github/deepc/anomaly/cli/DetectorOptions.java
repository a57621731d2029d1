package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.detector.DetectorPreset;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ExcludeRoot;
import io.github.deepc.anomaly.core.spi.PluginRegistry;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import io.github.deepc.anomaly.preprocess.Pipelines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The options that configure a detector, shared by {@code train} and {@code demo}. */
final class DetectorOptions {
    @Option(names = "--pipeline", paramLabel = "FILE|NAME", description = "Pipeline JSON file ({\"stages\":[{\"id\":...,\"params\":{...}}]}) or a named pipeline: default, chest, hand; default: equalize, resize, pad, normalize.")
    String pipeline;

    @Option(names = "--preset", paramLabel = "NAME", description = "Ready-made detector whose pipeline, model and scorer are used when --pipeline/--model/--scorer are not given: general (default, radiographs: equalised pca + cosine kNN), chest (ensemble: the general detector + 16x16 thumbnail kNN), hand (pca + cosine 1-NN), non-xray (images that are not radiographs: pca + Euclidean kNN).")
    String preset;

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: the preset's).")
    String model;

    @Option(names = "--scorer", paramLabel = "ID", description = "Scorer id (default: the preset's when it fits the model, else one that does).")
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
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        DetectorPreset chosen = preset == null ? DetectorPreset.GENERAL : DetectorPreset.of(preset);
        List<PluginSpec> stages = pipeline == null ? chosen.pipeline(size == null ? DetectorDefaults.SIZE : size)
                : pipelineSpecs(pipeline, size);
        PluginSpec m = model == null ? chosen.model() : new PluginSpec(model, Map.of());
        for (Map.Entry<String, String> p : modelParams.entrySet()) {
            m = m.with(p.getKey(), p.getValue());
        }
        m = ExcludeRoot.apply(m, dataRoot, registry);
        if (epochs != null) {
            String id = m.id();
            if (registry.models().get(id).parameters().stream().anyMatch(p -> p.name().equals("epochs"))) {
                m = m.with("epochs", Integer.toString(epochs));
            } else {
                // the README's commands name --epochs for every model: one that fits in closed form has none
                LoggerFactory.getLogger(DetectorOptions.class).warn(
                        "--epochs {} ignored: model '{}' is not trained in epochs", epochs, id);
            }
        }
        PluginSpec s = scorer != null ? new PluginSpec(scorer, scorerParams)
                : defaultScorer(m.id(), chosen, registry).orElseThrow(() -> new IllegalArgumentException(
                        "no scorer fits model '" + model + "'; name one with --scorer (see 'anomaly plugins')"));
        if (scorer == null) {
            for (Map.Entry<String, String> p : scorerParams.entrySet()) {
                s = s.with(p.getKey(), p.getValue());
            }
        }
        AnomalyDetector.Builder builder = AnomalyDetector.builder();
        if (pipeline == null && model == null && scorer == null && modelParams.isEmpty() && scorerParams.isEmpty()) {
            // the preset as it is, an ensemble preset's other members included
            builder.preset(chosen, size == null ? DetectorDefaults.SIZE : size);
        }
        return builder.pipeline(stages).model(m).scorer(s)
                .seed(seed).normalClass(normalClass).registry(registry).build();
    }

    /**
     * The scorer used when none is named: the preset's when it fits the model, else the first of a fixed
     * preference list whose required outputs the model provides.
     */
    static Optional<PluginSpec> defaultScorer(String modelId, DetectorPreset preset, PluginRegistry registry) {
        Set<OutputKind> outputs = registry.models().get(modelId).outputs();
        List<PluginSpec> preference = List.of(preset.scorer(), PluginSpec.of("masked-mse"),
                PluginSpec.of("vae-loss"), PluginSpec.of("discriminator"), PluginSpec.of("distance"));
        return preference.stream().filter(p -> registry.scorers().find(p.id())
                .map(sp -> outputs.containsAll(sp.requiredOutputs())).orElse(false)).findFirst();
    }

    /**
     * @param pipeline a pipeline file, or the name of a shipped pipeline ({@link Pipelines}), or {@code null}
     * @param size     the square side to set on every stage with a 'size' parameter, or {@code null}
     * @return the pipeline's stages
     * @throws IOException when the value is neither an existing file nor a known name, or the file is not pipeline JSON
     */
    static List<PluginSpec> pipelineSpecs(String pipeline, Integer size) throws IOException {
        if (pipeline == null) {
            return DetectorDefaults.recommendedPipeline(size == null ? DetectorDefaults.SIZE : size);
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
