package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference of the GANs with an encoder (bigan, alpha-gan), whose graphs share the names for it: the code
 * {@code E(x)}, the reconstruction {@code G(E(x))} and the discriminator's view of {@code (x, E(x))}.
 */
final class EncoderInference {
    private EncoderInference() {
    }

    /**
     * @param p                 players
     * @param images            the images of one inference batch
     * @param x                 their pixels {@code [n, 1, H, W]}
     * @param latent            code length
     * @param codeDiscriminator whether to add the code discriminator's {@code C(E(x))} (alpha-gan)
     * @return per image: {@link OutputKind#DISCRIMINATOR_PROBABILITY}, optionally
     *         {@link OutputKind#CODE_DISCRIMINATOR_PROBABILITY}, the reconstruction and the latent code
     */
    static List<ModelOutput> infer(Players p, List<GrayImage> images, INDArray x, int latent,
                                   boolean codeDiscriminator) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(GanModel.REAL, x)),
                GanModel.LATENT, GanModel.RECONSTRUCTED);
        Map<String, INDArray> dis = null;
        float[] codes;
        float[] recs;
        float[] logits;
        float[] codeLogits = null;
        try {
            Map<String, INDArray> feeds = p.discriminatorFeeds(Map.of(GanModel.IMAGES, x,
                    GanModel.CODES, gen.get(GanModel.LATENT)));
            dis = codeDiscriminator
                    ? p.discriminator().output(feeds, GanModel.LOGIT, AlphaGanModel.CODE_LOGIT)
                    : p.discriminator().output(feeds, GanModel.LOGIT);
            codes = GraphSupport.toFloats(gen.get(GanModel.LATENT));
            recs = GraphSupport.toFloats(gen.get(GanModel.RECONSTRUCTED));
            logits = GraphSupport.toFloats(dis.get(GanModel.LOGIT));
            if (codeDiscriminator) {
                codeLogits = GraphSupport.toFloats(dis.get(AlphaGanModel.CODE_LOGIT));
            }
        } finally {
            GraphMemory.closeAll(gen);
            GraphMemory.closeAll(dis);
        }
        int px = images.isEmpty() ? 0 : images.get(0).size();
        List<ModelOutput> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            ModelOutput.Builder b = ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, GanModel.probability(logits[i]));
            if (codeLogits != null) {
                b.scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY, GanModel.probability(codeLogits[i]));
            }
            result.add(b.reconstruction(GanModel.row(recs, i, px)).latent(GanModel.row(codes, i, latent)).build());
        }
        return result;
    }
}
