package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An alpha-GAN (Rosca et al. 2017, "Variational Approaches for Auto-Encoding Generative Adversarial Networks"): an
 * encoder E and a generator/decoder G trained as an auto-encoder and as a GAN at once, with an image discriminator D
 * that tells real images from reconstructions {@code G(E(x))} and samples {@code G(z)}, and a code discriminator C
 * that tells prior samples {@code z} from codes {@code E(x)} (replacing the VAE's KL term by a learned one).
 *
 * <p>Losses (logistic, real targets smoothed to {@code label-smoothing}): D and C, updated together,
 * {@code l(D(x), 1) + l(D(G(E(x))), 0) + l(D(G(z)), 0) + l(C(z), 1) + l(C(E(x)), 0)}; G and E, updated together,
 * {@code lambda * L1(x, G(E(x))) + l(D(G(E(x))), 1) + l(D(G(z)), 1) + l(C(E(x)), 1)} with the masked L1 error over
 * valid pixels and {@code lambda = reconstruction-weight}. (The paper gives the encoder only the reconstruction and
 * code terms; here one update of G and E with the summed loss also passes the image-adversarial gradient through
 * {@code G(E(x))} to E, a common simplification.)
 *
 * <p>With {@code attention}, SAGAN self-attention layers sit in G, E and D; with {@code spectral-norm}, every weight
 * of D and C is spectrally normalised (see {@link SpectralNorm}). Outputs per image: D(x)
 * ({@link OutputKind#DISCRIMINATOR_PROBABILITY}), C(E(x)) ({@link OutputKind#CODE_DISCRIMINATOR_PROBABILITY}),
 * G(E(x)) ({@link OutputKind#RECONSTRUCTION}) and E(x) ({@link OutputKind#LATENT}).
 */
public final class AlphaGanModel extends GanModel {
    /** What the model outputs per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.DISCRIMINATOR_PROBABILITY,
            OutputKind.CODE_DISCRIMINATOR_PROBABILITY, OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    /** The model id. */
    public static final String ID = "alpha-gan";

    /** G applied to E(x) and z stacked: G(E(x)), then G(z), in the generator's graph. */
    static final String DECODED = "decoded";
    /** Masked L1 reconstruction error in the generator's graph. */
    static final String RECONSTRUCTION_LOSS = "reconstruction_loss";
    /** Code-discriminator logits on {@value #CODES}. */
    static final String CODE_LOGIT = "c_logit";
    /** Image-discriminator loss. */
    static final String D_LOSS = "d_loss";
    /** Code-discriminator loss. */
    static final String C_LOSS = "c_loss";
    private static final List<GanSteps.Figure> D_FIGURES = List.of(new GanSteps.Figure(DISCRIMINATOR_LOSS, D_LOSS),
            new GanSteps.Figure(CODE_DISCRIMINATOR_LOSS, C_LOSS));
    private static final List<GanSteps.Figure> G_FIGURES = List.of(new GanSteps.Figure(GENERATOR_LOSS, LOSS),
            new GanSteps.Figure(RECONSTRUCTION, RECONSTRUCTION_LOSS));

    /** @param config hyper-parameters */
    public AlphaGanModel(GanConfig config) {
        super(config, ID, OUTPUTS);
    }

    @Override
    GanArchitecture architecture(int height, int width) {
        return GanArchitecture.of(config(), height, width, config().attention(), config().spectralNorm());
    }

    @Override
    void discriminatorGraph(SameDiff dg, ParamScope own, GanArchitecture a) {
        double real = config().labelSmoothing();
        // D on x, G(E(x)), G(z) stacked in one batch; C on z, E(x) stacked
        SDVariable images = a.imageBatch(dg, IMAGES);
        SDVariable codes = a.latentBatch(dg, CODES);
        SDVariable logits = dg.identity(LOGIT, Networks.imageDiscriminator(own, images, a));
        SDVariable codeLogits = dg.identity(CODE_LOGIT, Networks.codeDiscriminator(own, codes, a));
        SDVariable dLoss = dg.identity(D_LOSS, Layers.groupLogisticLosses(dg, logits, real, 0.0, 0.0).sum());
        SDVariable cLoss = dg.identity(C_LOSS, Layers.groupLogisticLosses(dg, codeLogits, real, 0.0).sum());
        dg.identity(GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 3));
        dg.identity(LOSS, dLoss.add(cLoss));
    }

    @Override
    void generatorGraph(SameDiff gg, ParamScope own, ParamScope other, GanArchitecture a) {
        // encoder and generator: G decodes E(x) and z in one pass
        SDVariable x = a.imageBatch(gg, REAL);
        SDVariable mask = a.imageBatch(gg, MASK);
        SDVariable z = a.latentBatch(gg, Z);
        SDVariable encoded = gg.identity(LATENT, Networks.encoder(own, x, a));
        SDVariable decoded = gg.identity(DECODED, Networks.generator(own, gg.concat(0, encoded, z), a));
        SDVariable reconstructed = gg.split(decoded, 2, 0)[0];
        SDVariable l1 = gg.identity(RECONSTRUCTION_LOSS, Layers.maskedL1(gg, reconstructed, x, mask));
        SDVariable adversarial = Layers.groupLogisticLosses(gg, Networks.imageDiscriminator(other, decoded, a), 1.0, 1.0)
                .sum().add(Layers.logisticLoss(gg, Networks.codeDiscriminator(other, encoded, a), 1.0));
        gg.identity(LOSS, l1.mul(config().reconstructionWeight()).add(adversarial));
        gg.identity(RECONSTRUCTED, Networks.generator(own, encoded, a)); // inference only
        gg.identity(GENERATED, Networks.generator(own, z, a));           // samples only
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())),
                LATENT, DECODED);
        try {
            GanSteps.discriminatorUpdate(p, Map.of(IMAGES, List.of(batch.images(), gen.get(DECODED)),
                    CODES, List.of(batch.z(), gen.get(LATENT))), D_FIGURES, batch.size(), stats);
        } finally {
            GraphMemory.closeAll(gen);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        GanSteps.generatorUpdate(p, Map.of(REAL, batch.images(), MASK, batch.masks(), Z, batch.z()), G_FIGURES,
                batch.size(), stats);
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        return EncoderInference.infer(p, images, x, config().latent(), true);
    }
}
