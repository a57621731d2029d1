package io.github.deepc.anomaly.models.oneclass;

import java.util.Optional;
import io.github.deepc.anomaly.core.model.InputRequirements;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code deep-one-class} model ({@link DeepOneClassModel}): compactness on the normals plus
 * descriptiveness on a reference set of other images (Perera and Patel 2019); outputs the features (LATENT) and the
 * squared distance to the mean normal feature (DISTANCE).
 *
 * <p>Parameters: {@code reference} (a class-folder path or {@code phantoms}, the default), {@code exclude-root} (the
 * training data root, which the reference folder must not overlap; callers that know it must pass it),
 * {@code reference-per-class} (100), {@code lambda} (0.1), {@code epochs} (10), {@code batch-size} (32),
 * {@code learning-rate} (Adam, 1e-3), {@code weight-decay} (1e-6), {@code rep-dim} (32) and {@code engine}
 * ({@code direct}, the default, or {@code samediff}, the reference).
 */
public final class DeepOneClassModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = parameters(List.of(
            ParameterSpec.ofString("reference", ReferenceSet.PHANTOMS,
                    "reference images of other classes: a folder with one subfolder per class (at least 2), or"
                            + " 'phantoms' for generated hand phantoms with their 4 anomaly kinds as classes"),
            ParameterSpec.ofString("exclude-root", "",
                    "root of the training/evaluation data; a reference folder equal to, inside or above it is refused"),
            ParameterSpec.ofInt("reference-per-class", 100, 1, 100_000,
                    "most reference images per class (phantoms: exactly this many)"),
            ParameterSpec.ofDouble("lambda", 0.1, 0.0, 1e6, "weight of the compactness loss against descriptiveness")));

    private static List<ParameterSpec> parameters(List<ParameterSpec> own) {
        List<ParameterSpec> all = new ArrayList<>(own);
        all.addAll(OneClassParameters.training(10, 1e-3));
        return List.copyOf(all);
    }

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DeepOneClassModelProvider() {
    }

    @Override
    public String id() {
        return DeepOneClassModel.ID;
    }

    @Override
    public String description() {
        return "deep one-class features (compactness on normals + descriptiveness on a reference set); outputs"
                + " features and squared distance to the mean normal feature";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> outputs() {
        return CentredFeatureModel.OUTPUTS;
    }

    @Override
    public InputRequirements inputRequirements(Parameters params) {
        return InputRequirements.sidesMultipleOf(BiasFreeEncoder.STRIDE, "three stride-2 stages of the encoder");
    }

    @Override
    public Optional<String> defaultScorer() {
        return Optional.of("distance");
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new DeepOneClassModel(params.getString("reference"), params.getString("exclude-root"),
                params.getInt("reference-per-class"), params.getDouble("lambda"), params.getInt("epochs"),
                params.getInt("batch-size"), params.getDouble("learning-rate"), params.getDouble("weight-decay"),
                params.getInt("rep-dim"),
                Choices.parse(CaeEngine.class, DeepOneClassModel.ID + ".engine", params.getString("engine")),
                params.getInt(InferenceBatch.PARAMETER));
    }
}
