package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.Set;

/**
 * Provides the {@code dcgan} model ({@link DcganModel}): a DCGAN whose output is the discriminator's probability that
 * an image is real. Parameters: the common GAN parameters of {@link GanModelProvider}.
 */
public final class DcganModelProvider extends GanModelProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DcganModelProvider() {
    }

    @Override
    public String id() {
        return DcganModel.ID;
    }

    @Override
    public String description() {
        return "DCGAN (direct engine, or SameDiff with engine=samediff); outputs the discriminator's probability that the image is real";
    }

    @Override
    public Set<OutputKind> outputs() {
        return DcganModel.OUTPUTS;
    }

    @Override
    public AnomalyModel create(Parameters params) {
        return new DcganModel(common(params).attention(false).spectralNorm(false).build());
    }
}
