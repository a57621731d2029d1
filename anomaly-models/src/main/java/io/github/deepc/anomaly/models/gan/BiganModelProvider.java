package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.Set;

/**
 * Provides the {@code bigan} model ({@link BiganModel}): generator, encoder and a discriminator on (image, latent)
 * pairs; outputs D(x, E(x)), the reconstruction G(E(x)) and the code E(x). Parameters: the common GAN parameters of
 * {@link GanModelProvider}.
 */
public final class BiganModelProvider extends GanModelProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public BiganModelProvider() {
    }

    @Override
    public String id() {
        return BiganModel.ID;
    }

    @Override
    public String description() {
        return "BiGAN (direct engine, or SameDiff with engine=samediff): generator, encoder, joint discriminator; outputs D(x,E(x)), G(E(x)) and E(x)";
    }

    @Override
    public Set<OutputKind> outputs() {
        return BiganModel.OUTPUTS;
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new BiganModel(common(params).attention(false).spectralNorm(false).build());
    }
}
