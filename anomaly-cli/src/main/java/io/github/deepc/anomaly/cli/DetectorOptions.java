package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.DetectorRecipe;
import io.github.deepc.anomaly.core.detector.PipelineRef;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The options that configure a detector, shared by {@code train} and {@code demo}: a {@link DetectorRecipe}. */
final class DetectorOptions {
    @Option(names = "--pipeline", paramLabel = "FILE|NAME", description = "Pipeline JSON file ({\"stages\":[{\"id\":...,\"params\":{...}}]}) or a named pipeline: default, recommended, chest, hand, none, each also as NAME-SIZE; default: the preset's (recommended: equalize, resize, pad, normalize).")
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

    @Option(names = "--size", paramLabel = "N", description = "Square image side; set on every stage that declares an image size (default: " + DetectorRecipe.DEFAULT_SIZE + ").")
    Integer size;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (the model's 'epochs' parameter).")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Master seed (default: ${DEFAULT-VALUE}).", defaultValue = "" + Seeds.DEFAULT_SEED)
    long seed;

    AnomalyDetector build(String normalClass, Path dataRoot) throws IOException {
        AnomalyDetector detector = recipe().resolve(PluginRegistry.defaultRegistry(), dataRoot).normalClass(normalClass).build();
        PluginSpec m = detector.config().model();
        if (epochs != null && !m.params().containsKey(DetectorRecipe.EPOCHS)) {
            // the README's commands name --epochs for every model: one that fits in closed form has none
            LoggerFactory.getLogger(DetectorOptions.class).warn("--epochs {} ignored: model '{}' is not trained in epochs",
                    epochs, m.id());
        }
        return detector;
    }

    /** @return the options as a typed recipe, resolved by the library in one place */
    DetectorRecipe recipe() {
        return new DetectorRecipe(size, pipeline == null ? null : PipelineRef.parse(pipeline), preset,
                model == null ? null : PluginSpec.of(model), modelParams, epochs,
                scorer == null ? null : PluginSpec.of(scorer), scorerParams, seed);
    }

    /**
     * @param pipeline a pipeline file, or the name of a named pipeline, or {@code null} for the recommended one
     * @param size     the square side to set on every stage that declares one, or {@code null}
     * @return the pipeline's stages
     * @throws IOException when the value is neither an existing file nor a known name, or the file is not pipeline JSON
     */
    static List<PluginSpec> pipelineSpecs(String pipeline, Integer size) throws IOException {
        return PipelineRef.parse(pipeline == null ? "recommended" : pipeline).resolve(size, PluginRegistry.defaultRegistry());
    }
}
