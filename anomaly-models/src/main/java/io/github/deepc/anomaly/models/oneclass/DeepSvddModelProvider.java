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
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code deep-svdd} model ({@link DeepSvddModel}): one-class Deep SVDD with a bias-free convolutional
 * network; outputs the features (LATENT) and the squared distance to the centre (DISTANCE, for scorer
 * {@code distance}).
 *
 * <p>Parameters: {@code epochs} (default 20), {@code batch-size} (32), {@code learning-rate} (Adam, 1e-4),
 * {@code weight-decay} (L2, 1e-6), {@code rep-dim} (32) and {@code engine} ({@code direct}, the default, or
 * {@code samediff}, the reference).
 */
public final class DeepSvddModelProvider implements ModelProvider {
    private static final List<ParameterSpec> PARAMETERS = OneClassParameters.training(20, 1e-4);

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DeepSvddModelProvider() {
    }

    @Override
    public String id() {
        return DeepSvddModel.ID;
    }

    @Override
    public String description() {
        return "one-class Deep SVDD (bias-free conv net); outputs features and squared distance to the centre";
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
        return new DeepSvddModel(params.getInt("epochs"), params.getInt("batch-size"), params.getDouble("learning-rate"),
                params.getDouble("weight-decay"), params.getInt("rep-dim"),
                Choices.parse(CaeEngine.class, DeepSvddModel.ID + ".engine", params.getString("engine")),
                params.getInt(InferenceBatch.PARAMETER));
    }
}
