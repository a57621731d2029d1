package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.util.List;

/**
 * Ready-made detectors, chosen by patient-grouped 5-fold cross-validation on the three shared radiograph sets, on
 * folds 1-3, confirmed on folds 4-5, clean and under a simulated change of acquisition (the README's "Results",
 * {@code anomaly-benchmarks}' {@code DetectorValidation}). A preset that did not beat the default on its anatomy there
 * is not shipped.
 *
 * <ul>
 *   <li>{@link #GENERAL}, the library's default <b>for radiographs</b>: histogram equalisation, 64 x 64, a 64-component
 *       PCA of the normal images, and the mean cosine distance of an image's PCA coefficients to its 3 nearest
 *       training images. Not for other images: the cosine of coefficients centred on the normal mean ranks images
 *       close to that mean (the most typical ones) as outliers when the normal class is tight, as in one-class
 *       benchmarks of digits or objects; use {@link #NON_XRAY} there.
 *   <li>{@link #CHEST}: histogram equalisation and an 8 x 8 thumbnail, scored by the mean Euclidean distance of its
 *       standardised pixels to the 5 nearest training thumbnails. Pneumonia changes the overall density; the coarse
 *       thumbnail keeps that and forgives framing differences between acquisitions.
 *   <li>{@link #HAND}: PCA as in {@code GENERAL}, scored by the cosine distance to the single nearest training image.
 *   <li>{@link #NON_XRAY}: no equalisation, PCA 64, mean Euclidean distance to the 3 nearest training images'
 *       coefficients: for images that are not radiographs.
 * </ul>
 *
 * <p>The ids refer to plugins of {@code anomaly-preprocess} and {@code anomaly-models}, which must be on the class
 * path to build a detector from a preset.
 */
public enum DetectorPreset implements Choice {
    /** Radiographs of any anatomy: equalised, PCA 64 + kNN (cosine, k = 3). */
    GENERAL("general", true, PluginSpec.of("pca", "components", "64"),
            PluginSpec.of("knn", "k", "3", "metric", "cosine", "standardize", "false")),
    /** Chest X-rays: equalised, raw 8 x 8 pixels + kNN (Euclidean, standardised, k = 5). */
    CHEST("chest", true, PluginSpec.of("raw-pixels", "size", "8"), PluginSpec.of("knn", "k", "5")),
    /** Hand radiographs: equalised, PCA 64 + kNN (cosine, k = 1). */
    HAND("hand", true, PluginSpec.of("pca", "components", "64"),
            PluginSpec.of("knn", "k", "1", "metric", "cosine", "standardize", "false")),
    /** Images that are not radiographs: min-max only, PCA 64 + kNN (Euclidean, k = 3). */
    NON_XRAY("non-xray", false, PluginSpec.of("pca", "components", "64"),
            PluginSpec.of("knn", "k", "3", "standardize", "false"));

    private final String word;
    private final boolean equalise;
    private final PluginSpec model;
    private final PluginSpec scorer;

    DetectorPreset(String word, boolean equalise, PluginSpec model, PluginSpec scorer) {
        this.word = word;
        this.equalise = equalise;
        this.model = model;
        this.scorer = scorer;
    }

    /** @return the preset's name, as the CLI's {@code --preset} takes it */
    public String word() {
        return word;
    }

    /** @return the model */
    public PluginSpec model() {
        return model;
    }

    /** @return the scorer */
    public PluginSpec scorer() {
        return scorer;
    }

    /**
     * @param size square side the images are brought to
     * @return the preset's pipeline: {@link DetectorDefaults#recommendedPipeline(int)} (histogram equalisation first)
     *         for the radiograph presets, {@link DetectorDefaults#pipeline(int)} for {@link #NON_XRAY}
     */
    public List<PluginSpec> pipeline(int size) {
        return equalise ? DetectorDefaults.recommendedPipeline(size) : DetectorDefaults.pipeline(size);
    }

    /**
     * @param word a preset's name, case-insensitive
     * @return the preset
     * @throws IllegalArgumentException naming the valid presets when there is none of that name
     */
    public static DetectorPreset of(String word) {
        return Choices.find(DetectorPreset.class, word).orElseThrow(() -> new IllegalArgumentException(
                "unknown detector preset '" + word + "'; expected one of " + words()));
    }

    /** @return the presets' names, comma-separated */
    public static String words() {
        return Choices.words(DetectorPreset.class);
    }
}
