package io.github.deepc.anomaly.presets;

import io.github.deepc.anomaly.core.detector.DetectorRecipe;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The library's recommended detector, chosen on measurements (see the README's results): global histogram
 * equalisation, resize and centred padding to 64 x 64, min-max normalisation, then {@link DetectorPreset#GENERAL}: a
 * 64-component PCA of the normal images, and the mean cosine distance of a new image's PCA coefficients to its 3
 * nearest training images.
 *
 * <p>On the validation splits of the shared data sets it scored ROC-AUC 0.82 (chest X-rays, patient-grouped) and
 * 0.70 (hand radiographs), where the reference convolutional autoencoder scored 0.25 and 0.55 with the same
 * pipeline; it trains in seconds on a thousand images on 2 cores. {@link DetectorPreset} has detectors tuned for
 * one of the two. The ids refer to plugins of {@code anomaly-preprocess} and {@code anomaly-models}, on which this
 * module ({@code anomaly-presets}) depends.
 */
public final class DetectorDefaults {
    /** Default square image side in pixels ({@link DetectorRecipe#DEFAULT_SIZE}). */
    public static final int SIZE = DetectorRecipe.DEFAULT_SIZE;

    private DetectorDefaults() {
    }

    /**
     * The basic geometry and intensity pipeline, also the {@code default} named pipeline.
     *
     * @param size square side the images are brought to
     * @return resize (longest side to {@code size}), centred padding to {@code size x size}, min-max to [0,1]
     */
    public static List<PluginSpec> pipeline(int size) {
        String n = Integer.toString(size);
        return List.of(PluginSpec.of("resize", "size", n), PluginSpec.of("pad", "size", n), PluginSpec.of("normalize"));
    }

    /**
     * The recommended pipeline: histogram equalisation, then {@link #pipeline(int)}.
     *
     * @param size square side the images are brought to
     * @return the stages
     */
    public static List<PluginSpec> recommendedPipeline(int size) {
        List<PluginSpec> stages = new ArrayList<>();
        stages.add(PluginSpec.of("equalize"));
        stages.addAll(pipeline(size));
        return List.copyOf(stages);
    }

    /** @return the default model, {@link DetectorPreset#GENERAL}'s: PCA with 64 components */
    public static PluginSpec model() {
        return DetectorPreset.GENERAL.model();
    }

    /** @return the default scorer, {@link DetectorPreset#GENERAL}'s: mean cosine distance to the 3 nearest latents */
    public static PluginSpec scorer() {
        return DetectorPreset.GENERAL.scorer();
    }
}
