package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a detector is made of, typed, before it is resolved: image size, pipeline (by name, file or inline), preset,
 * model, scorer, their extra parameters, and the seed. {@link #resolve} is the one place where these become a
 * detector's configuration, for the CLI ({@code train}, {@code demo}), the API and anything else that starts from
 * names and numbers rather than complete plugin specs.
 *
 * <p>Rules: parts not given come from the preset (the catalogue's default preset when none is named); the size is
 * set on the stages that declare a size parameter; naming a model without a scorer keeps the preset's scorer when it
 * fits the model, else the registry's default for the model ({@link PluginRegistry#defaultScorer}); a preset used
 * as it is (no pipeline, model, scorer or extra parameter named) keeps its ensemble members. Immutable.
 *
 * @param size         square image side, or {@code null} for the default ({@link #DEFAULT_SIZE}; a file or inline
 *                     pipeline then stays as written)
 * @param pipeline     the pipeline, or {@code null} for the preset's
 * @param preset       a preset's name, or {@code null} for the default preset
 * @param model        the model, or {@code null} for the preset's
 * @param modelParams  parameters set on the model (whichever it is)
 * @param epochs       training epochs, set on models that declare {@code epochs} (others are trained otherwise), or
 *                     {@code null}
 * @param scorer       the scorer, or {@code null} for the default one (see above)
 * @param scorerParams parameters set on the scorer (whichever it is)
 * @param seed         master seed of every stochastic step
 */
public record DetectorRecipe(Integer size, PipelineRef pipeline, String preset, PluginSpec model,
                             Map<String, String> modelParams, Integer epochs, PluginSpec scorer,
                             Map<String, String> scorerParams, long seed) {
    /** Default square image side in pixels. */
    public static final int DEFAULT_SIZE = 64;
    /** The model parameter {@link #epochs} is set on. */
    public static final String EPOCHS = "epochs";

    /** Copies the parameter maps. */
    public DetectorRecipe {
        modelParams = Map.copyOf(modelParams == null ? Map.of() : modelParams);
        scorerParams = Map.copyOf(scorerParams == null ? Map.of() : scorerParams);
    }

    /** @return the recipe of the default detector: everything from the default preset, seed {@link Seeds#DEFAULT_SEED} */
    public static DetectorRecipe defaults() {
        return new DetectorRecipe(null, null, null, null, Map.of(), null, null, Map.of(), Seeds.DEFAULT_SEED);
    }

    /**
     * @param side square image side
     * @return a copy with that size
     */
    public DetectorRecipe withSize(Integer side) {
        return new DetectorRecipe(side, pipeline, preset, model, modelParams, epochs, scorer, scorerParams, seed);
    }

    /**
     * @param ref the pipeline
     * @return a copy with that pipeline
     */
    public DetectorRecipe withPipeline(PipelineRef ref) {
        return new DetectorRecipe(size, ref, preset, model, modelParams, epochs, scorer, scorerParams, seed);
    }

    /**
     * @param name a preset's name
     * @return a copy with that preset
     */
    public DetectorRecipe withPreset(String name) {
        return new DetectorRecipe(size, pipeline, name, model, modelParams, epochs, scorer, scorerParams, seed);
    }

    /**
     * @param spec the model
     * @return a copy with that model
     */
    public DetectorRecipe withModel(PluginSpec spec) {
        return new DetectorRecipe(size, pipeline, preset, spec, modelParams, epochs, scorer, scorerParams, seed);
    }

    /**
     * @param n training epochs
     * @return a copy with that number of epochs
     */
    public DetectorRecipe withEpochs(Integer n) {
        return new DetectorRecipe(size, pipeline, preset, model, modelParams, n, scorer, scorerParams, seed);
    }

    /**
     * @param spec the scorer
     * @return a copy with that scorer
     */
    public DetectorRecipe withScorer(PluginSpec spec) {
        return new DetectorRecipe(size, pipeline, preset, model, modelParams, epochs, spec, scorerParams, seed);
    }

    /**
     * @param s master seed
     * @return a copy with that seed
     */
    public DetectorRecipe withSeed(long s) {
        return new DetectorRecipe(size, pipeline, preset, model, modelParams, epochs, scorer, scorerParams, s);
    }

    /**
     * @param modelExtras  parameters for the model
     * @param scorerExtras parameters for the scorer
     * @return a copy with those extra parameters
     */
    public DetectorRecipe withParams(Map<String, String> modelExtras, Map<String, String> scorerExtras) {
        return new DetectorRecipe(size, pipeline, preset, model, modelExtras, epochs, scorer, scorerExtras, seed);
    }

    /**
     * Resolves the recipe into a builder (registry and seed set; normal class and the like are the caller's).
     *
     * @param registry where plugins are found
     * @param dataRoot the training data's root, or {@code null}: the run context the models get in their
     *                 {@link io.github.deepc.anomaly.core.model.TrainingContext} (a model that reads reference images
     *                 refuses to read them from there)
     * @return the builder
     * @throws IOException     for a pipeline file that cannot be read or an unknown pipeline name
     * @throws PluginException for an unknown preset or model, or a model no scorer fits
     */
    public AnomalyDetector.Builder resolve(PluginRegistry registry, Path dataRoot) throws IOException {
        Preset chosen = preset == null ? DetectorCatalogs.defaultPreset() : DetectorCatalogs.preset(preset);
        int side = size == null ? DEFAULT_SIZE : size;
        List<DetectorParts> parts = chosen.detectors(side);
        DetectorParts primary = parts.get(0);
        List<PluginSpec> stages = pipeline == null ? primary.pipeline() : pipeline.resolve(size, registry);
        PluginSpec m = with(model == null ? primary.model() : model, modelParams);
        if (epochs != null) {
            m = registry.models().withIfDeclared(m, EPOCHS, Integer.toString(epochs));
        }
        PluginSpec chosenModel = m;
        PluginSpec s = scorer != null ? scorer : registry.defaultScorer(m.id(), primary.scorer())
                .orElseThrow(() -> new PluginException("no scorer fits model '" + chosenModel.id()
                        + "'; name one (see 'anomaly plugins')"));
        s = with(s, scorerParams);
        AnomalyDetector.Builder builder = AnomalyDetector.builder().registry(registry).seed(seed).dataRoot(dataRoot);
        if (pipeline == null && model == null && scorer == null && modelParams.isEmpty() && scorerParams.isEmpty()) {
            builder.parts(parts); // the preset as it is, an ensemble preset's other members included
        }
        return builder.pipeline(stages).model(m).scorer(s);
    }

    private static PluginSpec with(PluginSpec spec, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return spec;
        }
        Map<String, String> all = new LinkedHashMap<>(spec.params());
        all.putAll(extra);
        return new PluginSpec(spec.id(), all);
    }
}
