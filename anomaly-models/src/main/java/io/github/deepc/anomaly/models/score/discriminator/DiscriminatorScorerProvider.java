package io.github.deepc.anomaly.models.score.discriminator;

import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides {@link DiscriminatorScorer} as scorer {@code discriminator}, parameter {@code source} = {@code image}
 * (1 - D(x), the default), {@code code} (1 - C(E(x)), alpha-gan) or {@code mean}. Declares only
 * {@link OutputKind#DISCRIMINATOR_PROBABILITY} as required (see {@link DiscriminatorScorer} for the code output).
 */
public final class DiscriminatorScorerProvider implements ScorerProvider {
    /** The provider id. */
    public static final String ID = "discriminator";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofChoice("source", DiscriminatorScorer.Source.IMAGE.word(),
                    "image = 1 - D(x); code = 1 - C(E(x)) (needs a code discriminator, e.g. alpha-gan); mean = both",
                    DiscriminatorScorer.Source.IMAGE.word(), DiscriminatorScorer.Source.CODE.word(),
                    DiscriminatorScorer.Source.MEAN.word()));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DiscriminatorScorerProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "1 minus a GAN discriminator's probability that the image (or its code) is real; no heat map";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.DISCRIMINATOR_PROBABILITY);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        return new DiscriminatorScorer(DiscriminatorScorer.Source.of(params.getString("source")));
    }
}
