package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One run of an experiment: a (pipeline, model, scorer) combination trained with one seed, on one fold of one
 * repetition (grouped-cv) and with one cap on the training normals.
 *
 * @param pipeline    the pipeline's name
 * @param stages      the pipeline's stages
 * @param modelLabel  the model's name in tables
 * @param model       the model
 * @param scorerLabel the scorer's name in tables
 * @param scorer      the scorer
 * @param seed        the training seed
 * @param repetition  grouped-cv: the repetition, from 1; 0 for the single-split protocols
 * @param fold        grouped-cv: the fold, from 1; 0 for the single-split protocols
 * @param trainLimit  the cap on the training normals ({@link TrainLimit#ALL} for none)
 */
public record RunSpec(String pipeline, List<PluginSpec> stages, String modelLabel, PluginSpec model,
                      String scorerLabel, PluginSpec scorer, long seed, int repetition, int fold, TrainLimit trainLimit) {
    private static final int MAX_SLUG = 80;

    /** Validates and copies. */
    public RunSpec {
        Objects.requireNonNull(pipeline, "pipeline");
        stages = List.copyOf(stages);
        Objects.requireNonNull(modelLabel, "modelLabel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorerLabel, "scorerLabel");
        Objects.requireNonNull(scorer, "scorer");
        trainLimit = trainLimit == null ? TrainLimit.ALL : trainLimit;
        if (repetition < 0 || fold < 0 || (repetition == 0) != (fold == 0)) {
            throw new IllegalArgumentException("repetition and fold are both 0 (single split) or both >= 1, got "
                    + repetition + " and " + fold);
        }
    }

    /**
     * A run of a single-split protocol on all training normals.
     *
     * @param pipeline    the pipeline's name
     * @param stages      the pipeline's stages
     * @param modelLabel  the model's name in tables
     * @param model       the model
     * @param scorerLabel the scorer's name in tables
     * @param scorer      the scorer
     * @param seed        the training seed
     */
    public RunSpec(String pipeline, List<PluginSpec> stages, String modelLabel, PluginSpec model, String scorerLabel,
                   PluginSpec scorer, long seed) {
        this(pipeline, stages, modelLabel, model, scorerLabel, scorer, seed, 0, 0, TrainLimit.ALL);
    }

    /**
     * A stable, file-name-safe id: a readable slug of the names and seed plus a hash of everything that defines the
     * run (stages, model and scorer with their parameters, seed, fold, train limit), so that changing a parameter
     * makes a new run instead of reusing an old result. Runs of single-split protocols on all training normals keep
     * the ids they had before folds and limits existed, so older output folders resume.
     *
     * @return the run id, e.g. {@code default-64_cae_masked-mse_s1-3fa09c2e} or
     *         {@code default-64_cae_masked-mse_s1_r1-f3_n100-0b41d2aa}
     */
    public String id() {
        String slug = slug(pipeline) + "_" + slug(modelLabel) + "_" + slug(scorerLabel) + "_s" + seed;
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG);
        }
        String canonical = stages + "|" + model + "|" + scorer + "|" + seed;
        if (fold > 0) {
            slug += "_r" + repetition + "-f" + fold;
            canonical += "|r" + repetition + "|f" + fold;
        }
        if (!trainLimit.isAll()) {
            slug += "_n" + trainLimit.images();
            canonical += "|n" + trainLimit.images();
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return slug + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the combination this run belongs to (the same for every seed) */
    public Combination combination() {
        return new Combination(pipeline, modelLabel, scorerLabel, trainLimit);
    }

    /**
     * @param text any text
     * @return lowercase letters, digits, dots and hyphens only
     */
    static String slug(String text) {
        String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "x" : s;
    }

    @Override
    public String toString() {
        return pipeline + " / " + modelLabel + " / " + scorerLabel + " / seed " + seed
                + (fold > 0 ? " / repetition " + repetition + " fold " + fold : "")
                + (trainLimit.isAll() ? "" : " / " + trainLimit.images() + " training normals at most");
    }

    /**
     * A (pipeline, model, scorer) combination with its cap on the training normals, the unit of the summary table.
     *
     * @param pipeline   pipeline name
     * @param model      model label
     * @param scorer     scorer label
     * @param trainLimit the cap on the training normals
     */
    public record Combination(String pipeline, String model, String scorer, TrainLimit trainLimit) {
        /** Requires a limit. */
        public Combination {
            trainLimit = trainLimit == null ? TrainLimit.ALL : trainLimit;
        }

        /**
         * A combination on all training normals.
         *
         * @param pipeline pipeline name
         * @param model    model label
         * @param scorer   scorer label
         */
        public Combination(String pipeline, String model, String scorer) {
            this(pipeline, model, scorer, TrainLimit.ALL);
        }

        /** @return a file-name-safe form */
        public String slug() {
            return RunSpec.slug(pipeline) + "_" + RunSpec.slug(model) + "_" + RunSpec.slug(scorer)
                    + (trainLimit.isAll() ? "" : "_n" + trainLimit.images());
        }

        @Override
        public String toString() {
            return model + " + " + scorer + " (" + pipeline + ")"
                    + (trainLimit.isAll() ? "" : " [" + trainLimit.images() + " training normals]");
        }
    }
}
