package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One run of an experiment: a (pipeline, model, scorer) combination trained with one seed.
 *
 * @param pipeline    the pipeline's name
 * @param stages      the pipeline's stages
 * @param modelLabel  the model's name in tables
 * @param model       the model
 * @param scorerLabel the scorer's name in tables
 * @param scorer      the scorer
 * @param seed        the training seed
 */
public record RunSpec(String pipeline, List<PluginSpec> stages, String modelLabel, PluginSpec model,
                      String scorerLabel, PluginSpec scorer, long seed) {
    private static final int MAX_SLUG = 80;

    /** Validates and copies. */
    public RunSpec {
        Objects.requireNonNull(pipeline, "pipeline");
        stages = List.copyOf(stages);
        Objects.requireNonNull(modelLabel, "modelLabel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorerLabel, "scorerLabel");
        Objects.requireNonNull(scorer, "scorer");
    }

    /**
     * A stable, file-name-safe id: a readable slug of the names and seed plus a hash of everything that defines the
     * run (stages, model and scorer with their parameters, seed), so that changing a parameter makes a new run
     * instead of reusing an old result.
     *
     * @return the run id, e.g. {@code default-64_cae_masked-mse_s1-3fa09c2e}
     */
    public String id() {
        String slug = slug(pipeline) + "_" + slug(modelLabel) + "_" + slug(scorerLabel) + "_s" + seed;
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG);
        }
        String canonical = stages + "|" + model + "|" + scorer + "|" + seed;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return slug + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the combination this run belongs to (the same for every seed) */
    public Combination combination() {
        return new Combination(pipeline, modelLabel, scorerLabel);
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
        return pipeline + " / " + modelLabel + " / " + scorerLabel + " / seed " + seed;
    }

    /**
     * A (pipeline, model, scorer) combination, the unit of the summary table.
     *
     * @param pipeline pipeline name
     * @param model    model label
     * @param scorer   scorer label
     */
    public record Combination(String pipeline, String model, String scorer) {
        /** @return a file-name-safe form */
        public String slug() {
            return RunSpec.slug(pipeline) + "_" + RunSpec.slug(model) + "_" + RunSpec.slug(scorer);
        }

        @Override
        public String toString() {
            return model + " + " + scorer + " (" + pipeline + ")";
        }
    }
}
