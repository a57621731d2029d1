package io.github.deepc.anomaly.core.preprocessing;

import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image size of a pipeline, through the parameter each stage declares as its size
 * ({@link StageProvider#sizeParameter()}): set once by a detector recipe, read once when a detector is built.
 */
public final class ImageSizes {
    private ImageSizes() {
    }

    /**
     * The side the model will see, known before any image is read.
     *
     * @param stage     the stage that sets it (the pipeline's last stage declaring a size parameter)
     * @param parameter that stage's size parameter
     * @param side      its value
     */
    public record Side(String stage, String parameter, int side) {
    }

    /**
     * @param stages   pipeline stages
     * @param size     square side
     * @param registry where the stages' declarations are looked up
     * @return the stages with every declared size parameter set to {@code size} (other stages, and unknown ids that
     *         validation reports, unchanged)
     */
    public static List<PluginSpec> withSize(List<PluginSpec> stages, int size, PluginRegistry registry) {
        List<PluginSpec> out = new ArrayList<>(stages.size());
        for (PluginSpec s : stages) {
            Optional<String> p = registry.stages().find(s.id()).flatMap(StageProvider::sizeParameter);
            out.add(p.map(name -> s.with(name, Integer.toString(size))).orElse(s));
        }
        return List.copyOf(out);
    }

    /**
     * @param stages   pipeline stages (valid ids and parameters)
     * @param registry where the stages' declarations are looked up
     * @return the side set by the last stage that declares a size parameter (its given or default value), or empty when
     *         no stage sets the size (the images keep theirs)
     */
    public static Optional<Side> side(List<PluginSpec> stages, PluginRegistry registry) {
        for (int i = stages.size() - 1; i >= 0; i--) {
            PluginSpec s = stages.get(i);
            Optional<StageProvider> p = registry.stages().find(s.id());
            Optional<String> name = p.flatMap(StageProvider::sizeParameter);
            if (name.isPresent()) {
                int side = registry.stages().validate(s).getInt(name.get());
                return Optional.of(new Side(s.id(), name.get(), side));
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #side(List, PluginRegistry)} for stages already validated (what a detector does when it is built).
     *
     * @param stages pipeline stages, validated
     * @return the side set by the last stage that declares a size parameter, or empty when no stage sets the size
     */
    public static Optional<Side> side(List<ValidatedStage> stages) {
        for (int i = stages.size() - 1; i >= 0; i--) {
            ValidatedStage s = stages.get(i);
            Optional<String> name = s.provider().sizeParameter();
            if (name.isPresent()) {
                return Optional.of(new Side(s.spec().id(), name.get(), s.params().getInt(name.get())));
            }
        }
        return Optional.empty();
    }
}
