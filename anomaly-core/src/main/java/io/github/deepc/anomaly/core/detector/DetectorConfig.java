package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.List;
import java.util.Objects;

/**
 * The complete, serialisable configuration of a detector: which stages, model and scorer with which parameters,
 * the master seed and the name of the normal class; for an ensemble also the other members and how their scores
 * are combined.
 *
 * @param pipeline    preprocessing stages, in order
 * @param model       the model
 * @param scorer      the scorer
 * @param seed        master seed of every stochastic step
 * @param normalClass name of the normal class folder the detector was trained on
 * @param members     the other members of an ensemble (each a complete single detector; none for a single detector)
 * @param combine     how an ensemble combines its members' scores ({@link ScoreCalibration.Method} word), or
 *                    {@code null} for a single detector
 * @param testTimeShifts test-time augmentation: shifted copies of each image scored too (0 = none; see
 *                    {@link TestTimeShifts})
 */
public record DetectorConfig(@JsonProperty("pipeline") List<PluginSpec> pipeline,
                             @JsonProperty("model") PluginSpec model,
                             @JsonProperty("scorer") PluginSpec scorer,
                             @JsonProperty("seed") long seed,
                             @JsonProperty("normalClass") String normalClass,
                             @JsonProperty("members") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DetectorConfig> members,
                             @JsonProperty("combine") @JsonInclude(JsonInclude.Include.NON_NULL) String combine,
                             @JsonProperty("testTimeShifts") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int testTimeShifts) {
    /** Validates and copies. */
    public DetectorConfig {
        pipeline = List.copyOf(pipeline);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
        normalClass = normalClass == null ? "NORMAL" : normalClass;
        members = members == null ? List.of() : List.copyOf(members);
        TestTimeShifts.check(testTimeShifts);
        for (DetectorConfig m : members) {
            if (m.isEnsemble()) {
                throw new IllegalArgumentException("an ensemble member cannot itself be an ensemble");
            }
        }
        if (members.isEmpty()) {
            combine = null;
        } else {
            combine = ScoreCalibration.Method.of(combine == null ? ScoreCalibration.Method.ROBUST_Z.word() : combine).word();
        }
    }

    /**
     * A single detector's configuration.
     *
     * @param pipeline    preprocessing stages, in order
     * @param model       the model
     * @param scorer      the scorer
     * @param seed        master seed
     * @param normalClass name of the normal class folder
     */
    public DetectorConfig(List<PluginSpec> pipeline, PluginSpec model, PluginSpec scorer, long seed, String normalClass) {
        this(pipeline, model, scorer, seed, normalClass, List.of(), null, 0);
    }

    /** @return whether this is an ensemble (it has other members) */
    @JsonIgnore
    public boolean isEnsemble() {
        return !members.isEmpty();
    }

    /**
     * @param newPipeline the pipeline with fitted stages' learned parameters
     * @return this configuration with another pipeline
     */
    DetectorConfig withPipeline(List<PluginSpec> newPipeline) {
        return new DetectorConfig(newPipeline, model, scorer, seed, normalClass, members, combine, testTimeShifts);
    }

    /**
     * @param newScorer another scorer
     * @return this configuration with that scorer
     */
    DetectorConfig withScorer(PluginSpec newScorer) {
        return new DetectorConfig(pipeline, model, newScorer, seed, normalClass, members, combine, testTimeShifts);
    }

    /**
     * @param newMembers the members' (fitted) configurations
     * @return this configuration with other members
     */
    DetectorConfig withMembers(List<DetectorConfig> newMembers) {
        return new DetectorConfig(pipeline, model, scorer, seed, normalClass, newMembers, combine, testTimeShifts);
    }
}
