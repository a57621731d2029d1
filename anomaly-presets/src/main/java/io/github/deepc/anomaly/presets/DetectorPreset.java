package io.github.deepc.anomaly.presets;

import io.github.deepc.anomaly.core.detector.DetectorParts;
import io.github.deepc.anomaly.core.detector.Preset;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
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
 *   <li>{@link #CHEST}: an ensemble of {@code GENERAL}'s detector and a 16 x 16 thumbnail (min-max, no equalisation)
 *       scored by the mean Euclidean distance of its standardised pixels to the 5 nearest training thumbnails; each
 *       member's scores are calibrated on held-out training normals (robust z-scores) and averaged. Pneumonia changes
 *       the overall density, which the thumbnail keeps and equalisation removes; the PCA member keeps the ensemble
 *       steady when the framing of the acquisition changes.
 *   <li>{@link #HAND}: PCA as in {@code GENERAL}, scored by the cosine distance to the single nearest training image.
 *   <li>{@link #NON_XRAY}: no equalisation, PCA 64, mean Euclidean distance to the 3 nearest training images'
 *       coefficients: for images that are not radiographs.
 * </ul>
 *
 * <p>The ids refer to plugins of {@code anomaly-preprocess} and {@code anomaly-models}, on which this module
 * ({@code anomaly-presets}) depends. {@link DetectorCatalogs#preset(String)} finds a preset by name.
 */
public enum DetectorPreset implements Choice, Preset {
    /** Radiographs of any anatomy: equalised, PCA 64 + kNN (cosine, k = 3). */
    GENERAL("general", Part.PCA_COSINE_3),
    /**
     * Chest X-rays: an ensemble of {@code GENERAL}'s detector and min-max 16 x 16 thumbnails + kNN (Euclidean,
     * standardised, k = 5), their scores calibrated on held-out normals (robust z-scores) and averaged.
     */
    CHEST("chest", Part.PCA_COSINE_3, Part.MINMAX_RAW_16),
    /** Hand radiographs: equalised, PCA 64 + kNN (cosine, k = 1). */
    HAND("hand", new Part(true, PluginSpec.of("pca", "components", "64"),
            PluginSpec.of("knn", "k", "1", "metric", "cosine", "standardize", "false"))),
    /** Images that are not radiographs: min-max only, PCA 64 + kNN (Euclidean, k = 3). */
    NON_XRAY("non-xray", new Part(false, PluginSpec.of("pca", "components", "64"),
            PluginSpec.of("knn", "k", "3", "standardize", "false")));

    /**
     * One detector of a preset: histogram equalisation or not before the geometry ({@link DetectorDefaults}), a model
     * and a scorer.
     *
     * @param equalise whether the pipeline starts with histogram equalisation
     * @param model    the model
     * @param scorer   the scorer
     */
    public record Part(boolean equalise, PluginSpec model, PluginSpec scorer) {
        static final Part PCA_COSINE_3 = new Part(true, PluginSpec.of("pca", "components", "64"),
                PluginSpec.of("knn", "k", "3", "metric", "cosine", "standardize", "false"));
        static final Part MINMAX_RAW_16 = new Part(false, PluginSpec.of("raw-pixels", "size", "16"),
                PluginSpec.of("knn", "k", "5"));

        /**
         * @param size square side the images are brought to
         * @return the part's pipeline: {@link DetectorDefaults#recommendedPipeline(int)} when it equalises,
         *         {@link DetectorDefaults#pipeline(int)} otherwise
         */
        public List<PluginSpec> pipeline(int size) {
            return equalise ? DetectorDefaults.recommendedPipeline(size) : DetectorDefaults.pipeline(size);
        }

        /**
         * @param size square side the images are brought to
         * @return this part's components at that size
         */
        public DetectorParts at(int size) {
            return new DetectorParts(pipeline(size), model, scorer);
        }
    }

    private final String word;
    private final Part primary;
    private final List<Part> members;

    DetectorPreset(String word, Part primary, Part... members) {
        this.word = word;
        this.primary = primary;
        this.members = List.of(members);
    }

    /** @return the preset's name, as the CLI's {@code --preset} takes it */
    @Override
    public String word() {
        return word;
    }

    /** @return the (first detector's) model */
    public PluginSpec model() {
        return primary.model();
    }

    /** @return the (first detector's) scorer */
    public PluginSpec scorer() {
        return primary.scorer();
    }

    /**
     * @param size square side the images are brought to
     * @return the (first detector's) pipeline: {@link DetectorDefaults#recommendedPipeline(int)} (histogram
     *         equalisation first) for the radiograph presets, {@link DetectorDefaults#pipeline(int)} for
     *         {@link #NON_XRAY}
     */
    public List<PluginSpec> pipeline(int size) {
        return primary.pipeline(size);
    }

    /** @return the other detectors of an ensemble preset (their scores are calibrated and averaged), or none */
    public List<Part> members() {
        return members;
    }

    @Override
    public List<DetectorParts> detectors(int size) {
        List<DetectorParts> all = new ArrayList<>();
        all.add(primary.at(size));
        members.forEach(m -> all.add(m.at(size)));
        return List.copyOf(all);
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
